import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  assertDataDirFree,
  DataDirLockedError,
  type LockHolder,
} from './data-dir-lock.ts';

/** A pid that surely ran and is gone: a child that already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('data folder lock', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-lock-unit-'));
    dirs.push(dir);
    return dir;
  };
  const write = (dir: string, holder: Partial<LockHolder>) =>
    writeFileSync(
      join(dir, 'hub.lock'),
      JSON.stringify({ host: hostname(), startedAt: 'then', role: 'hub', ...holder }),
    );
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names its holder, records the URL and removes itself on release', () => {
    const dir = folder();
    const lock = acquireDataDirLock(dir, { role: 'hub' });
    lock.setUrl('http://127.0.0.1:4000/graphql');
    const written = JSON.parse(readFileSync(join(dir, 'hub.lock'), 'utf8'));
    expect(written).toMatchObject({
      pid: process.pid,
      host: hostname(),
      role: 'hub',
      url: 'http://127.0.0.1:4000/graphql',
    });
    expect(() => acquireDataDirLock(dir, { role: 'cli' })).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(join(dir, 'hub.lock'))).toBe(false);
    acquireDataDirLock(dir, { role: 'cli' }).release();
  });

  it('refuses while a live process holds it, naming pid, host and URL', () => {
    const dir = folder();
    write(dir, { pid: process.ppid, url: 'http://127.0.0.1:4000/graphql' });
    expect(() => acquireDataDirLock(dir, { role: 'hub' })).toThrow(
      new RegExp(`pid ${process.ppid} on ${hostname()}.*serving http://127.0.0.1:4000/graphql`),
    );
    expect(() => assertDataDirFree(dir)).toThrow(DataDirLockedError);
  });

  it('takes over a stale lock (its process is gone) and says so', () => {
    const dir = folder();
    const pid = deadPid();
    write(dir, { pid });
    const stale: LockHolder[] = [];
    const lock = acquireDataDirLock(dir, { role: 'hub', onStale: (h) => stale.push(h) });
    expect(stale.map((h) => h.pid)).toEqual([pid]);
    expect(JSON.parse(readFileSync(join(dir, 'hub.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock with its own pid it does not hold (a restarted container)', () => {
    const dir = folder();
    write(dir, { pid: process.pid, startedAt: 'a previous run' });
    acquireDataDirLock(dir, { role: 'hub' }).release();
  });

  it('never takes over a lock held from another host', () => {
    const dir = folder();
    write(dir, { pid: deadPid(), host: 'another-host' });
    expect(() => acquireDataDirLock(dir, { role: 'hub' })).toThrow(/on another-host/);
  });
});
