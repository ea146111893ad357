/**
 * The pull checkpoint: the `lastActivityDate` of the newest ticket applied, as an ISO instant.
 * Pulls read whole time windows, so the timestamp alone is a safe (inclusive) resume point: the
 * next pull re-reads from it, minus the overlap, and the engine dedupes.
 */
import { z } from 'zod';
import type { ConnectorLogger } from '../../src/connector-kit/index.ts';

const CursorSchema = z.object({
  v: z.literal(1),
  ts: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
});

export type AtCursor = z.infer<typeof CursorSchema>;

/** A cursor before any Autotask ticket: what an empty pull checkpoints. */
export const EPOCH_CURSOR = '1970-01-01T00:00:00.000Z';

export function encodeCursor(ts: string): string {
  return JSON.stringify({ v: 1, ts } satisfies AtCursor);
}

/**
 * A stored cursor, or null for a full pull. A bare ISO instant (a hand-set starting point) is
 * accepted. Anything unreadable restarts with a full pull: re-reading is safe because the engine's
 * merge is idempotent, while throwing would stop the connection for good.
 */
export function decodeCursor(raw: string | null, log?: ConnectorLogger): AtCursor | null {
  if (raw === null || raw === '') return null;
  if (/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(raw) && !Number.isNaN(Date.parse(raw))) return { v: 1, ts: raw };
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  log?.warn({ cursorLength: raw.length }, 'unreadable Autotask cursor; starting a full pull');
  return null;
}
