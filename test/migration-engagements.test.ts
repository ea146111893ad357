/**
 * Upgrading an existing install: a database at the first schema (0000), with tickets, comments,
 * events, links and tokens, migrated to the current schema keeps every row, puts everything in
 * the default engagement (key prefix HUB, so HUB-1 stays HUB-1), and its tokens keep working.
 * On Postgres and on PGlite.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzleLite } from 'drizzle-orm/pglite';
import { migrate as migrateLite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { generateToken, hashToken } from '../src/auth/tokens.ts';
import { parseConfig } from '../src/config.ts';
import { createDatabase, MIGRATIONS_FOLDER } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { availableBackends, createTestDatabase } from './support/backends.ts';

const backends = await availableBackends();
const log = createLogger('silent');
const TABLES = [
  'parties',
  'people',
  'person_identities',
  'api_tokens',
  'connections',
  'tickets',
  'comments',
  'ticket_events',
  'ticket_links',
  'comment_links',
  'sync_outbox',
] as const;

/** A migrations folder holding only the first migration: "today's schema" before this upgrade. */
function firstMigrationOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-mig-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
  const first = journal.entries[0];
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: [first] }));
  copyFileSync(join(MIGRATIONS_FOLDER, `${first.tag}.sql`), join(dir, `${first.tag}.sql`));
  return dir;
}

type Exec = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** What an install running the old schema holds: two parties and some of everything. */
async function seedOldInstall(exec: Exec): Promise<string> {
  const token = generateToken();
  const [internal] = await exec(
    `insert into parties (slug, name, kind) values ('internal', 'Internal IT', 'INTERNAL') returning id`,
  );
  const [msp] = await exec(
    `insert into parties (slug, name, kind) values ('msp', 'MSP', 'MSP') returning id`,
  );
  const [alice] = await exec(
    `insert into people (party_id, name, email) values ($1, 'Alice', 'alice@corp.example') returning id`,
    [internal!.id],
  );
  await exec(`insert into people (party_id, name, email) values ($1, 'Tech', 'tech@msp.example')`, [msp!.id]);
  await exec(
    `insert into api_tokens (party_id, role, name, token_hash, token_prefix) values ($1, 'ADMIN', 'first admin', $2, $3)`,
    [internal!.id, hashToken(token), token.slice(0, 10)],
  );
  await exec(
    `insert into api_tokens (party_id, role, name, token_hash, token_prefix) values ($1, 'AGENT', 'msp agent', $2, 'hub_x')`,
    [msp!.id, hashToken(generateToken())],
  );
  await exec(
    `insert into connections (id, party_id, connector, name) values ('msp-connectwise', $1, 'connectwise', 'CW')`,
    [msp!.id],
  );
  await exec(
    `insert into person_identities (person_id, connection_id, external_id) values ($1, 'msp-connectwise', '7')`,
    [alice!.id],
  );
  for (const [title, owner, shared] of [
    ['printer', internal!.id, false],
    ['vpn', msp!.id, true],
    ['laptop', internal!.id, false],
  ] as const) {
    const [t] = await exec(
      `insert into tickets (title, owner_party_id, origin_party_id, shared) values ($1, $2, $3, $4) returning id`,
      [title, owner, internal!.id, shared],
    );
    await exec(
      `insert into ticket_events (ticket_id, type, ticket_version, actor_party_id, actor_name, source) values ($1, 'CREATED', 1, $2, 'first admin', 'API')`,
      [t!.id, internal!.id],
    );
    if (title === 'vpn') {
      const [c] = await exec(
        `insert into comments (ticket_id, party_id, body, visibility) values ($1, $2, 'please look', 'PUBLIC') returning id`,
        [t!.id, internal!.id],
      );
      await exec(
        `insert into ticket_events (ticket_id, type, ticket_version, actor_party_id, actor_name, source, comment_id) values ($1, 'COMMENTED', 1, $2, 'first admin', 'API', $3)`,
        [t!.id, internal!.id, c!.id],
      );
      await exec(
        `insert into ticket_links (ticket_id, connection_id, external_id) values ($1, 'msp-connectwise', '501')`,
        [t!.id],
      );
      await exec(
        `insert into comment_links (comment_id, connection_id, external_id) values ($1, 'msp-connectwise', 'n-1')`,
        [c!.id],
      );
      await exec(
        `insert into sync_outbox (connection_id, ticket_id, kind) values ('msp-connectwise', $1, 'ticket')`,
        [t!.id],
      );
    }
  }
  return token;
}

async function counts(exec: Exec): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES)
    out[table] = Number((await exec(`select count(*)::int as n from ${table}`))[0]!.n);
  return out;
}

describe.each(backends)('migrating an existing install on %s', (backend) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps every ticket, comment, event, link and token, in a default HUB engagement', {
    timeout: 180_000,
  }, async () => {
    const oldFolder = firstMigrationOnly();
    cleanups.push(() => rmSync(oldFolder, { recursive: true, force: true }));
    let token: string;
    let before: Record<string, number>;
    let url: string | undefined;
    let dataDir = 'memory://';
    if (backend === 'postgres') {
      const created = await createTestDatabase();
      cleanups.push(created.drop);
      url = created.url;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await migratePg(drizzlePg({ client }), { migrationsFolder: oldFolder });
      const exec: Exec = async (text, params) => (await client.query(text, params as unknown[])).rows;
      token = await seedOldInstall(exec);
      before = await counts(exec);
      await client.end();
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'hub-mig-lite-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const client = await PGlite.create(dataDir);
      await migrateLite(drizzleLite({ client }) as never, { migrationsFolder: oldFolder });
      const exec: Exec = async (text, params) =>
        (await client.query(text, params as unknown[])).rows as never;
      token = await seedOldInstall(exec);
      before = await counts(exec);
      await client.close();
    }

    // The upgrade: the hub starts on the old database and applies every newer migration.
    const database = await createDatabase({ url, dataDir, log });
    cleanups.unshift(() => database.close());
    const exec: Exec = async (text) =>
      ((await database.db.execute(text)) as unknown as { rows: Record<string, unknown>[] }).rows;
    expect(await counts(exec)).toEqual(before);
    expect(before.tickets).toBe(3);
    const engagements = await exec(
      `select e.slug, e.key_prefix, i.slug as internal, m.slug as msp from engagements e
       join parties i on i.id = e.internal_party_id join parties m on m.id = e.msp_party_id`,
    );
    expect(engagements).toEqual([{ slug: 'default', key_prefix: 'HUB', internal: 'internal', msp: 'msp' }]);
    const unplaced = await exec(
      `select (select count(*) from tickets where engagement_id is null)::int as tickets,
              (select count(*) from connections where engagement_id is null)::int as connections,
              (select count(*) from people p join parties pa on pa.id = p.party_id
                 where pa.kind = 'INTERNAL' and p.engagement_id is null)::int as people`,
    );
    expect(unplaced).toEqual([{ tickets: 0, connections: 0, people: 0 }]);

    // The old admin token still works, sees its tickets under the same keys, and can write.
    const app = createApp({ config: parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database, log });
    const ask = async (query: string) => {
      const res = await app.yoga.fetch('http://hub.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    const listed = await ask(
      '{ tickets(first: 10, orderBy: { field: NUMBER, direction: ASC }) { totalCount edges { node { key title engagement { slug } comments(first: 5) { edges { node { body } } } } } } }',
    );
    expect(listed.errors).toBeUndefined();
    const tickets = (
      listed.data!.tickets as { totalCount: number; edges: { node: Record<string, unknown> }[] }
    ).edges;
    expect(tickets.map((e) => e.node.key)).toEqual(['HUB-1', 'HUB-2', 'HUB-3']);
    expect(tickets.every((e) => (e.node.engagement as { slug: string }).slug === 'default')).toBe(true);
    const created = await ask(
      'mutation { createTicket(input: { title: "after the upgrade" }) { ticket { key } } }',
    );
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({ createTicket: { ticket: { key: 'HUB-4' } } });
  });
});
