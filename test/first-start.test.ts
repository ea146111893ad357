import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresUnavailable } from './support/backends.ts';
import { gqlAt, type HubProcess, runCli, startHubProcess, tokenFrom } from './support/processes.ts';

/**
 * Issue #14: a first start that failed after creating the admin token (port in use, a bad
 * connections file) never printed it. The configuration and the port are checked first, the
 * token is printed as soon as it exists, and `token create --role admin` mints a new one.
 */
describe('first start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-first-'));
  let blocker: Server;
  let busyPort = 0;
  const started: HubProcess[] = [];
  const start = (env: Record<string, string>) => {
    const hub = startHubProcess(env);
    started.push(hub);
    return hub;
  };

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const hub of started) if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    await Promise.all(started.map((h) => h.exited));
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a port in use fails before any token exists, with a hint and no stack trace', async () => {
    const res = await start({ HUB_DATA_DIR: join(dir, 'port'), PORT: String(busyPort) }).exited;
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Port ${busyPort} on 127.0.0.1 is already in use`);
    expect(res.stderr).toMatch(/PORT=/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stdout).not.toMatch(/hub_/);
  }, 120_000);

  it('a bad connections file fails before any token exists, every problem in one message', async () => {
    const file = join(dir, 'connections.json');
    writeFileSync(
      file,
      JSON.stringify({
        connections: [
          {
            id: 'msp-rt',
            connector: 'request-tracker',
            party: 'mps',
            settings: { baseUrl: 'http://127.0.0.1:1', token: { env: 'RT_TOKEN' }, pagesize: 10 },
          },
        ],
      }),
    );
    const res = await start({ HUB_DATA_DIR: join(dir, 'port'), HUB_CONNECTIONS_FILE: file, RT_TOKEN: 't' })
      .exited;
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/settings\.pagesize: unknown setting/);
    expect(res.stderr).toMatch(/party: no party "mps" \(known: internal, msp\)/);
    expect(res.stdout).not.toMatch(/hub_/);
  }, 120_000);

  it('the next start that works is still the first start and prints the token', async () => {
    const hub = start({ HUB_DATA_DIR: join(dir, 'port') });
    const ready = await hub.ready();
    if (!('url' in ready)) throw new Error(`hub exited: ${ready.stderr}`);
    expect(ready.firstToken).toMatch(/^hub_/);
    const viewer = await gqlAt<{ viewer: { role: string } }>(
      ready.url,
      ready.firstToken!,
      '{ viewer { role } }',
    );
    expect(viewer.data?.viewer.role).toBe('ADMIN');
    hub.child.kill('SIGTERM');
    expect((await hub.exited).code).toBe(0);
  }, 120_000);
});

const noPostgres = await postgresUnavailable();
if (noPostgres) console.warn(`[skip postgres] ${noPostgres}`);

describe.skipIf(noPostgres !== null)('first start on Postgres', () => {
  let db: { url: string; drop: () => Promise<void> };
  const started: HubProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const hub of started) if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    await Promise.all(started.map((h) => h.exited));
    await db?.drop();
  });

  it('a port in use leaves the database without parties, so the next start prints the token', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const failed = startHubProcess({ DATABASE_URL: db.url, PORT: String(port) });
    started.push(failed);
    const res = await failed.exited;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('already in use');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from parties');
    await client.end();
    expect(rows[0].n).toBe(0);
  }, 120_000);

  it('mints a new admin token with the CLI while the hub runs', async () => {
    const hub = startHubProcess({ DATABASE_URL: db.url });
    started.push(hub);
    const ready = await hub.ready();
    if (!('url' in ready)) throw new Error(`hub exited: ${ready.stderr}`);
    expect(ready.firstToken).toMatch(/^hub_/);
    const made = await runCli(['token', 'create', '--party', 'internal', '--role', 'admin'], {
      DATABASE_URL: db.url,
    });
    expect(made.code, made.stderr).toBe(0);
    const viewer = await gqlAt<{ viewer: { role: string } }>(
      ready.url,
      tokenFrom(made.stdout),
      '{ viewer { role } }',
    );
    expect(viewer.data?.viewer.role).toBe('ADMIN');
  }, 120_000);

  it('names DATABASE_URL, without its password, when Postgres does not answer', async () => {
    const url = 'postgres://hub:s3cret-pw@127.0.0.1:1/hub';
    const res = await startHubProcess({ DATABASE_URL: url }).exited;
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /Cannot use Postgres at postgres:\/\/hub:\*\*\*@127\.0\.0\.1:1\/hub \(DATABASE_URL\)/,
    );
    expect(res.stderr).not.toContain('s3cret-pw');
    const cli = await runCli(['party', 'list'], { DATABASE_URL: url });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/\(DATABASE_URL\)/);
  }, 120_000);
});
