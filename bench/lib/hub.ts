/**
 * Starts a real hub for a benchmark row: its own Postgres database (dropped at the end), the
 * two bootstrapped parties, tokens, and optionally a sync engine. Like test/support/hub.ts,
 * but it exposes the database URL (baselines talk to the same database) and the pool size.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type App, createApp } from '../../src/app.ts';
import { bootstrapIfEmpty } from '../../src/auth/bootstrap.ts';
import { createApiToken } from '../../src/auth/tokens.ts';
import { parseConfig } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import type { Role } from '../../src/db/schema/index.ts';
import { engagements, parties } from '../../src/db/schema/index.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import type { SyncEngine } from '../../src/sync/engine.ts';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const POOL_MAX = 10;

export interface BenchDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDb(tag: string): Promise<BenchDb> {
  const name = `hub_bench_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

export interface BenchHub {
  app: App;
  database: Database;
  db: BenchDb;
  log: Logger;
  url: string;
  wsUrl: string;
  port: number;
  partyIds: { internal: string; msp: string };
  /** The default engagement every bench ticket belongs to. */
  engagementId: string;
  token(party: 'internal' | 'msp', role?: Role): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchHub(
  tag: string,
  opts: { sync?: (database: Database, log: Logger) => Promise<SyncEngine>; poolMax?: number } = {},
): Promise<BenchHub> {
  const log = createLogger(process.env.BENCH_LOG ?? 'silent');
  const db = await createBenchDb(tag);
  const database = await createDatabase({
    url: db.url,
    dataDir: 'memory://',
    log,
    poolMax: opts.poolMax ?? POOL_MAX,
  });
  await bootstrapIfEmpty(database.db);
  const all = await database.db.select().from(parties);
  const partyIds = {
    internal: all.find((p) => p.slug === 'internal')!.id,
    msp: all.find((p) => p.slug === 'msp')!.id,
  };
  const [engagement] = await database.db.select().from(engagements);
  const sync = opts.sync ? await opts.sync(database, log) : undefined;
  const config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', MAX_QUERY_COST: '100000' });
  const app = createApp({ config, database, log, ...(sync ? { sync } : {}) });
  const port = await app.start(0);
  return {
    app,
    database,
    db,
    log,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    partyIds,
    engagementId: engagement!.id,
    async token(party, role = 'AGENT') {
      const t = await createApiToken(database.db, { partyId: partyIds[party], role, name: `bench ${party}` });
      return t.token;
    },
    async stop() {
      await app.stop();
      await database.close();
      await db.drop();
    },
  };
}
