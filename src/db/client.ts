import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleLite } from 'drizzle-orm/pglite';
import { migrate as migrateLite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';
import { unreachable } from './unavailable.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; the same query API as `Db`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Serialises migrations when several replicas start at once. */
const MIGRATION_LOCK_KEY = 727_001;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Run `onPayload` for every NOTIFY on `channel`; `onReconnect` after a lost listener came back. */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  /**
   * Takes a session-level advisory lock `(classId, hashtext(name))` on a session of its own and
   * keeps it until released. Postgres drops it when that session dies (the process crashed or
   * lost its connection), which is how other replicas tell a dead replica from a slow one.
   */
  holdLock(classId: number, name: string): Promise<SessionLock>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The embedded data folder's lock (PGlite on disk only): one process per folder. */
  lock?: DataDirLock;
}

export interface SessionLock {
  /** False once the session holding the lock is gone (the lock is then free for others). */
  readonly held: boolean;
  release(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  /** PGlite data folder, or `memory://` for a throwaway database. */
  dataDir: string;
  poolMax?: number;
  log: Logger;
  /** Who opens an embedded folder, written into its lock: `hub` (default), `cli`, `demo`. */
  role?: string;
}

export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  const database = opts.url ? await createPostgres(opts.url, opts) : await openPglite(opts);
  return database;
}

/** Takes the folder's lock (throws DataDirLockedError when another process holds it), then opens it. */
async function openPglite(opts: DatabaseOptions): Promise<Database> {
  if (opts.dataDir === 'memory://') return createPglite(opts.dataDir);
  const lock = acquireDataDirLock(opts.dataDir, {
    role: opts.role ?? 'hub',
    onStale: (holder) =>
      opts.log.warn(
        { dataDir: opts.dataDir, stale: holder },
        `took over a stale lock on ${opts.dataDir}: its holder (pid ${holder.pid}) is gone`,
      ),
  });
  try {
    return await createPglite(opts.dataDir, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function createPglite(dataDir: string, lock?: DataDirLock): Promise<Database> {
  const client = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir);
  const db = drizzleLite({ client, schema }) as unknown as Db;
  await migrateLite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    kind: 'pglite',
    ...(lock ? { lock } : {}),
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload);
      // A closed PGlite has no listeners left, and unlistening then fails inside PGlite.
      return async () => (client.closed ? undefined : unsubscribe());
    },
    // One process owns a PGlite folder: its one session holds every lock, and a crashed
    // process takes them all with it.
    async holdLock(classId, name) {
      await client.query('select pg_advisory_lock($1, hashtext($2))', [classId, name]);
      let held = true;
      return {
        get held() {
          return held && !client.closed;
        },
        async release() {
          if (!held || client.closed) return;
          held = false;
          await client.query('select pg_advisory_unlock($1, hashtext($2))', [classId, name]);
        },
      };
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function createPostgres(url: string, opts: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolMax ?? 10 });
  // An idle client erroring (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => opts.log.warn({ err: err.message }, 'idle postgres client error'));
  try {
    await runPgMigrations(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw unreachable(err, url) ?? err;
  }
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const listeners = new Set<PgListener>();
  const lockClients = new Set<pg.Client>();
  return {
    db,
    kind: 'postgres',
    async listen(channel, onPayload, onReconnect) {
      const listener = new PgListener(url, channel, onPayload, onReconnect, opts.log);
      await listener.start();
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
    async holdLock(classId, name) {
      const client = new pg.Client({ connectionString: url });
      let held = false;
      client.on('error', (err) => {
        if (held) opts.log.warn({ err: err.message, lock: name }, 'session holding an advisory lock lost');
        held = false;
      });
      await client.connect();
      lockClients.add(client);
      try {
        await client.query('select pg_advisory_lock($1, hashtext($2))', [classId, name]);
      } catch (err) {
        lockClients.delete(client);
        await client.end().catch(() => {});
        throw err;
      }
      held = true;
      return {
        get held() {
          return held;
        },
        async release() {
          held = false;
          lockClients.delete(client);
          await client.end().catch(() => {});
        },
      };
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      await Promise.all([...lockClients].map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}

async function runPgMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** A dedicated LISTEN connection that reconnects with backoff and reports when it is back. */
class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly onReconnect: (() => void) | undefined,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onPayload(msg.payload ?? '');
    });
    client.on('error', (err) => {
      this.log.warn({ err: err.message, channel: this.channel }, 'listener connection lost; reconnecting');
      this.reconnectLater();
    });
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
    this.attempt = 0;
  }

  private reconnectLater(): void {
    const old = this.client;
    this.client = null;
    old?.end().catch(() => {});
    if (this.stopped) return;
    const delay = Math.min(5000, 100 * 2 ** this.attempt++);
    setTimeout(() => {
      if (this.stopped) return;
      this.start().then(
        () => this.onReconnect?.(),
        () => this.reconnectLater(),
      );
    }, delay).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
