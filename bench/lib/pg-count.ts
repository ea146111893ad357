/**
 * Counts queries sent by every `pg` client in this process (pool clients included): how the
 * read row proves there is no N+1 without needing pg_stat_statements on the server.
 */
import pg from 'pg';

let count = 0;
let recording: string[] | null = null;
let installed = false;

export function installQueryCounter(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    count++;
    if (recording) {
      const q = args[0] as string | { text?: string };
      recording.push(typeof q === 'string' ? q : (q?.text ?? '?'));
    }
    return original.apply(this, args);
  };
}

export const queryCount = () => count;

/** Runs `fn` and returns the SQL texts sent meanwhile. */
export async function recordQueries(fn: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  try {
    await fn();
    return recording;
  } finally {
    recording = null;
  }
}
