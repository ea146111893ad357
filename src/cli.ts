import { parseArgs } from 'node:util';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { bootstrapIfEmpty } from './auth/bootstrap.ts';
import { createApiToken } from './auth/tokens.ts';
import { ROUTING_OPTIONS, ROUTING_USAGE, runRouting } from './cli-routing.ts';
import { ConfigError, parseConfig } from './config.ts';
import { createDatabase, type Db } from './db/client.ts';
import type { PartyKind, Role } from './db/schema/index.ts';
import { apiTokens, PARTY_KINDS, parties, people, ROLES } from './db/schema/index.ts';
import { createLogger } from './logger.ts';

const USAGE = `Usage: npm run hub -- <command> [options]

  party list
  party create --slug <slug> --name <name> --kind INTERNAL|MSP
  token create --party <slug> --role admin|agent|viewer [--name <label>]
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
      const [row] = await db
        .insert(people)
        .values({
          partyId: await partyId(db, need(flags.party, 'party')),
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
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`hub: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
