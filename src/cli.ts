import { parseArgs } from 'node:util';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { bootstrapIfEmpty } from './auth/bootstrap.ts';
import { createApiToken } from './auth/tokens.ts';
import { ROUTING_OPTIONS, ROUTING_USAGE, runRouting } from './cli-routing.ts';
import { ConfigError, parseConfig } from './config.ts';
import { createDatabase, type Db } from './db/client.ts';
import type { PartyKind, Role } from './db/schema/index.ts';
import { apiTokens, engagements, PARTY_KINDS, parties, people, ROLES } from './db/schema/index.ts';
import { createEngagement } from './domain/engagement-admin.ts';
import { personEngagementOf } from './domain/engagements.ts';
import { AppError } from './errors.ts';
import { createLogger } from './logger.ts';

const USAGE = `Usage: npm run hub -- <command> [options]

  party list
  party create --slug <slug> --name <name> --kind INTERNAL|MSP
  engagement list
  engagement create --slug <slug> --name <name> --prefix <KEY> --msp <msp-party-slug>
                    (--internal <existing-party-slug> | --new-internal <slug> --internal-name <name>)
  token create --party <slug> --role admin|agent|viewer [--name <label>]
               [--engagements <slug,slug>]   an MSP token limited to these engagements
  token list
  token revoke --id <token-id>
  person create --party <slug> --name <name> [--email <email>]
  migrate                       apply migrations (the hub also does this at start)
${ROUTING_USAGE}

Uses DATABASE_URL, or the embedded database in HUB_DATA_DIR (default ./.hub-data).`;

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`missing --${flag}`);
  return value;
}

async function partyId(db: Db, slug: string): Promise<string> {
  const [row] = await db.select().from(parties).where(eq(parties.slug, slug));
  if (!row) {
    const known = (await db.select().from(parties)).map((p) => p.slug).join(', ') || 'none';
    throw new UsageError(`no party "${slug}" (known: ${known})`);
  }
  return row.id;
}

async function partySlug(db: Db, id: string): Promise<string> {
  const [row] = await db.select({ slug: parties.slug }).from(parties).where(eq(parties.id, id));
  return row?.slug ?? '?';
}

async function engagementIdsFor(db: Db, list: string): Promise<string[]> {
  const slugs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const rows = await db.select().from(engagements);
  return slugs.map((slug) => {
    const found = rows.find((e) => e.slug === slug);
    if (!found)
      throw new UsageError(
        `--engagements: no engagement "${slug}" (known: ${rows.map((e) => e.slug).join(', ')})`,
      );
    return found.id;
  });
}

async function run(db: Db, command: string[], flags: Record<string, string | undefined>): Promise<void> {
  const [noun, verb] = command;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  switch (`${noun} ${verb ?? ''}`.trim()) {
    case 'party list':
      for (const p of await db.select().from(parties).orderBy(asc(parties.slug)))
        out(`${p.slug}\t${p.kind}\t${p.name}`);
      return;
    case 'party create': {
      const kind = need(flags.kind, 'kind').toUpperCase();
      if (!PARTY_KINDS.includes(kind as PartyKind))
        throw new UsageError(`--kind must be one of ${PARTY_KINDS.join(', ')}`);
      await db
        .insert(parties)
        .values({ slug: need(flags.slug, 'slug'), name: need(flags.name, 'name'), kind: kind as PartyKind });
      out(`created party ${flags.slug}`);
      return;
    }
    case 'engagement list':
      for (const e of await db.select().from(engagements).orderBy(asc(engagements.slug))) {
        const [i, m] = await Promise.all([partySlug(db, e.internalPartyId), partySlug(db, e.mspPartyId)]);
        out(`${e.slug}\t${e.keyPrefix}\t${i}\t${m}\t${e.name}`);
      }
      return;
    case 'engagement create': {
      const newSlug = flags['new-internal'];
      const row = await createEngagement(db, {
        slug: need(flags.slug, 'slug'),
        name: need(flags.name, 'name'),
        keyPrefix: need(flags.prefix, 'prefix'),
        mspParty: need(flags.msp, 'msp'),
        internalParty: flags.internal ?? null,
        newInternalParty: newSlug
          ? { slug: newSlug, name: need(flags['internal-name'], 'internal-name') }
          : null,
      });
      out(`created engagement ${row.slug} (keys ${row.keyPrefix}-<n>)`);
      return;
    }
    case 'token create': {
      const role = need(flags.role, 'role').toUpperCase();
      if (!ROLES.includes(role as Role))
        throw new UsageError(`--role must be one of ${ROLES.join(', ').toLowerCase()}`);
      const slug = need(flags.party, 'party');
      const name = flags.name ?? `${slug} ${role.toLowerCase()}`;
      const { id, token } = await createApiToken(db, {
        partyId: await partyId(db, slug),
        role: role as Role,
        name,
        engagementIds: flags.engagements ? await engagementIdsFor(db, flags.engagements) : null,
      });
      out(`Token ${id} for party "${slug}" with role ${role} (shown once; store it now):\n\n  ${token}\n`);
      return;
    }
    case 'token list': {
      const rows = await db
        .select({ t: apiTokens, slug: parties.slug })
        .from(apiTokens)
        .innerJoin(parties, eq(parties.id, apiTokens.partyId))
        .where(isNull(apiTokens.revokedAt));
      for (const { t, slug } of rows) out(`${t.id}\t${slug}\t${t.role}\t${t.tokenPrefix}…\t${t.name}`);
      return;
    }
    case 'token revoke': {
      const id = need(flags.id, 'id');
      const done = await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning();
      if (done.length === 0) throw new UsageError(`no active token with id ${id}`);
      out(`revoked ${id} (running hubs stop accepting it within 30 s)`);
      return;
    }
    case 'person create': {
      const party = await partyId(db, need(flags.party, 'party'));
      const [row] = await db
        .insert(people)
        .values({
          partyId: party,
          engagementId: await personEngagementOf(db, party),
          name: need(flags.name, 'name'),
          email: flags.email?.toLowerCase() ?? null,
        })
        .returning();
      out(`created person ${row?.id}`);
      return;
    }
    case 'migrate':
      out('migrations applied');
      return;
    default:
      if (await runRouting(db, command, flags, need, out)) return;
      throw new UsageError(command.length ? `unknown command "${command.join(' ')}"` : 'no command given');
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      kind: { type: 'string' },
      party: { type: 'string' },
      role: { type: 'string' },
      id: { type: 'string' },
      email: { type: 'string' },
      prefix: { type: 'string' },
      msp: { type: 'string' },
      internal: { type: 'string' },
      'new-internal': { type: 'string' },
      'internal-name': { type: 'string' },
      engagements: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...ROUTING_OPTIONS,
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const config = parseConfig(process.env);
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const database = await createDatabase({ url: config.DATABASE_URL, dataDir: config.HUB_DATA_DIR, log });
  try {
    // A CLI run against a brand-new database sets up the default parties, like the hub does.
    const first = await bootstrapIfEmpty(database.db);
    if (first)
      process.stdout.write(
        `Initialised a new hub database; first admin token for "internal":\n\n  ${first.token}\n\n`,
      );
    await run(database.db, positionals, values as Record<string, string | undefined>);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof AppError) {
      process.stderr.write(`hub: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`hub: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
