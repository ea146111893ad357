import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Where integration tests get a database. Postgres is the real target: each test file gets
 * a fresh database on the server named by TEST_DATABASE_URL (default: the local server),
 * migrated from drizzle/. The embedded PGlite runs the same suites, so `npm test` passes on
 * a machine without a Postgres server; the Postgres runs are then skipped with a reason.
 */
export type BackendName = 'postgres' | 'pglite';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<string | null> | null = null;

/** Null when Postgres answers, otherwise the reason it does not. */
export function postgresUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return `Postgres at ${redact(ADMIN_URL)} is not reachable (${(err as Error).message}); set TEST_DATABASE_URL to run these tests against Postgres`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** The backends to run against, printing why one is skipped. HUB_TEST_BACKENDS=pglite narrows it. */
export async function availableBackends(): Promise<BackendName[]> {
  const wanted = (process.env.HUB_TEST_BACKENDS ?? 'postgres,pglite').split(',').map((s) => s.trim());
  const out: BackendName[] = [];
  if (wanted.includes('postgres')) {
    const why = await postgresUnavailable();
    if (why) console.warn(`[skip postgres] ${why}`);
    else out.push('postgres');
  }
  if (wanted.includes('pglite')) out.push('pglite');
  return out;
}

/** Creates an empty database and returns its URL and a function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
