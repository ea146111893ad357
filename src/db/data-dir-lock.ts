import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * One process per embedded (PGlite) data folder. PGlite has no server: two processes that
 * open one folder each run their own Postgres on the same files, so they diverge, lose each
 * other's writes and end in `Aborted()` (issue #14). The owner leaves a lock file that says
 * who it is, so the next one can refuse with a useful message.
 */
export const LOCK_FILE = 'hub.lock';

/** Locks this process holds, by absolute path: the same pid in a lock file is stale otherwise. */
const heldHere = new Set<string>();

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** `hub` or `cli` (a CLI command or the demo). */
  role: string;
  /** The hub's GraphQL URL, once it listens. */
  url?: string;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(describeHolder(dataDir, holder));
  }
}

export interface DataDirLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Records the hub's URL in the lock once it listens. */
  setUrl(url: string): void;
  /** Removes the lock if it is still ours. */
  release(): void;
}

export interface LockOptions {
  role: string;
  /** Told when a stale lock (its process is gone) is taken over. */
  onStale?: (holder: LockHolder) => void;
}

/** Takes the folder's lock or throws DataDirLockedError naming the process that holds it. */
export function acquireDataDirLock(dataDir: string, opts: LockOptions): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    role: opts.role,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // `wx`: create only if absent, atomically, so two starters cannot both win.
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, `${JSON.stringify(holder)}\n`);
      closeSync(fd);
      heldHere.add(path);
      return createHandle(path, holder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readHolder(path);
    if (current && isAlive(current, path)) throw new DataDirLockedError(dataDir, current);
    // Stale (its process is gone) or unreadable: move it aside atomically, then retry the create.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readHolder(aside);
    if (moved && current && !sameHolder(moved, current)) {
      // Another starter replaced the stale lock between our read and our rename: put it back.
      try {
        linkSync(aside, path);
      } catch {
        // a third one took the folder meanwhile; the retry reads whoever holds it now
      }
      rmSync(aside, { force: true });
      continue;
    }
    rmSync(aside, { force: true });
    if (current) opts.onStale?.(current);
  }
  const current = readDataDirLock(dataDir);
  throw current
    ? new DataDirLockedError(dataDir, current)
    : new Error(`could not take the lock ${path}: another process keeps replacing it`);
}

/** Throws DataDirLockedError when a live process holds the folder (before wiping it, say). */
export function assertDataDirFree(dataDir: string): void {
  const path = resolve(dataDir, LOCK_FILE);
  const holder = readHolder(path);
  if (holder && isAlive(holder, path)) throw new DataDirLockedError(dataDir, holder);
}

/** The lock's holder, or null when there is no (readable) lock. */
export function readDataDirLock(dataDir: string): LockHolder | null {
  return readHolder(join(dataDir, LOCK_FILE));
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      startedAt: String(parsed.startedAt ?? 'unknown'),
      role: String(parsed.role ?? 'hub'),
      ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * Whether the holder may still run. On another host we cannot tell (a shared folder), so it
 * counts as alive: refusing is safe, taking over is not.
 */
function isAlive(holder: LockHolder, path: string): boolean {
  if (holder.host !== hostname()) return true;
  // Our own pid: alive if this process holds it, else a previous run that had our pid (a
  // container restarted with the same hostname and pid 1).
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function createHandle(path: string, holder: LockHolder): DataDirLock {
  let current = holder;
  const ours = () => {
    const now = readHolder(path);
    return now !== null && sameHolder(now, holder);
  };
  return {
    path,
    get holder() {
      return current;
    },
    setUrl(url) {
      if (!ours()) return;
      current = { ...current, url };
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(current)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    },
    release() {
      if (ours()) rmSync(path, { force: true });
      heldHere.delete(path);
    },
  };
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;
}

export function describeHolder(dataDir: string, holder: LockHolder): string {
  const who = holder.role === 'hub' ? 'A hub' : `A "${holder.role}" process`;
  const where = holder.url ? `, serving ${holder.url}` : '';
  return [
    `${who} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}${where}) holds the embedded database in ${dataDir}.`,
    'Only one process may open an embedded database folder at a time.',
  ].join(' ');
}
