import { DataDirLockedError } from './db/data-dir-lock.ts';

/** A start that failed on something the operator can fix: the message says how; no stack trace. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Turns a failed `listen` into a message naming the port, the likely cause and the fix. */
export function listenError(err: unknown, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `Port ${port} on ${host} is already in use (another hub, or another program). Stop that process, or start this hub on a free port, e.g. PORT=${port + 1} npm start (PORT=0 picks one).`,
    );
  }
  if (code === 'EACCES') {
    return new StartupError(
      `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges). Set PORT to 1024 or above, e.g. PORT=4000.`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(
      `Cannot listen on ${host}: no such address on this machine. Set HOST to 127.0.0.1, or to 0.0.0.0 for every interface.`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** What to do when another process holds the embedded database folder. */
export function lockedMessage(err: DataDirLockedError, doing: string): string {
  const { holder } = err;
  const stop =
    holder.role === 'hub'
      ? `Stop that hub first (Ctrl-C in its terminal, or kill ${holder.pid}), then ${doing} again.`
      : `Wait for it to finish (or stop it: kill ${holder.pid}), then ${doing} again.`;
  return [
    err.message,
    stop,
    'To run the CLI while a hub runs, use Postgres (DATABASE_URL) for both; or give this one its own folder with HUB_DATA_DIR.',
    `If no such process runs any more, delete ${err.dataDir}/hub.lock.`,
  ].join('\n');
}

export function isLocked(err: unknown): err is DataDirLockedError {
  return err instanceof DataDirLockedError;
}
