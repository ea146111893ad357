import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gqlAt, type HubProcess, runCli, startHubProcess, tokenFrom } from './support/processes.ts';

/**
 * Issue #14: two processes on one PGlite folder each ran their own Postgres on the same files,
 * so a token made by the CLI was refused by the hub, writes were lost and the CLI died with
 * `Aborted()`. Now one process owns the folder; the others refuse and say what to do.
 * Real processes, because the lock is between processes.
 */
describe('one process per embedded data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-lock-'));
  const env = { HUB_DATA_DIR: dir };
  const started: HubProcess[] = [];
  const start = () => {
    const hub = startHubProcess(env);
    started.push(hub);
    return hub;
  };
  afterAll(async () => {
    for (const hub of started) if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    await Promise.all(started.map((h) => h.exited));
    rmSync(dir, { recursive: true, force: true });
  });

  let first: HubProcess;
  let url = '';
  let adminToken = '';

  it('the hub writes a lock naming itself and its URL', async () => {
    first = start();
    const ready = await first.ready();
    if (!('url' in ready)) throw new Error(`hub exited: ${ready.stderr}`);
    url = ready.url;
    adminToken = ready.firstToken!;
    expect(adminToken).toMatch(/^hub_/);
    const lock = JSON.parse(readFileSync(join(dir, 'hub.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: first.child.pid, role: 'hub', url });
    expect(lock.host).toBeTruthy();
    expect(Date.parse(lock.startedAt)).not.toBeNaN();
  }, 120_000);

  it('the CLI refuses while the hub holds the folder, saying who holds it and what to do', async () => {
    const res = await runCli(['token', 'create', '--party', 'msp', '--role', 'agent'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`pid ${first.child.pid}`);
    expect(res.stderr).toContain(url);
    expect(res.stderr).toMatch(/Stop that hub first/);
    expect(res.stderr).toMatch(/DATABASE_URL/);
    expect(res.stdout).not.toMatch(/hub_/);
  }, 60_000);

  it('a second hub on the folder refuses to start and the first keeps serving', async () => {
    const second = start();
    const result = await second.ready();
    expect('code' in result && result.code).toBe(1);
    const { stderr } = await second.exited;
    expect(stderr).toMatch(/hub failed to start: A hub \(pid \d+/);
    expect(stderr).toContain(url);
    const viewer = await gqlAt<{ viewer: { role: string } }>(url, adminToken, '{ viewer { role } }');
    expect(viewer.data?.viewer.role).toBe('ADMIN');
  }, 120_000);

  it('after the hub stopped, the CLI works and the hub sees what it wrote', async () => {
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(existsSync(join(dir, 'hub.lock'))).toBe(false);
    const made = await runCli(['token', 'create', '--party', 'msp', '--role', 'agent'], env);
    expect(made.code, made.stderr).toBe(0);
    const token = tokenFrom(made.stdout);
    expect(existsSync(join(dir, 'hub.lock'))).toBe(false);

    const again = start();
    const ready = await again.ready();
    if (!('url' in ready)) throw new Error(`hub exited: ${ready.stderr}`);
    const viewer = await gqlAt<{ viewer: { role: string; party: { slug: string } } }>(
      ready.url,
      token,
      '{ viewer { role party { slug } } }',
    );
    expect(viewer.data?.viewer).toEqual({ role: 'AGENT', party: { slug: 'msp' } });

    // A hub killed outright leaves its lock; the next process takes it over and says so.
    again.child.kill('SIGKILL');
    await again.exited;
    expect(existsSync(join(dir, 'hub.lock'))).toBe(true);
    const list = await runCli(['token', 'list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(`${list.stdout}${list.stderr}`).toMatch(/took over a stale lock/);
    expect(list.stdout).toMatch(/msp\tAGENT/);
  }, 240_000);
});
