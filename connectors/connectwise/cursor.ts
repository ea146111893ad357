/**
 * The pull checkpoint: `{ts, id}` of the last record applied, in `lastUpdated, id` order. Many
 * tickets can share one second, so `ts` alone is not a position; the id breaks the tie.
 */
import { z } from 'zod';
import type { ConnectorLogger } from '../../src/connector-kit/index.ts';

const CursorSchema = z.object({
  v: z.literal(1),
  ts: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  id: z.number().int().min(0),
});

export type CwCursor = z.infer<typeof CursorSchema>;

export function encodeCursor(cursor: { ts: string; id: number }): string {
  return JSON.stringify({ v: 1, ts: cursor.ts, id: cursor.id } satisfies CwCursor);
}

/**
 * A stored cursor, or null for a full pull. A bare ISO timestamp (a hand-set starting point)
 * is accepted. Anything unreadable restarts with a full pull: re-reading is safe because the
 * engine's merge is idempotent, while throwing would stop the connection for good.
 */
export function decodeCursor(raw: string | null, log?: ConnectorLogger): CwCursor | null {
  if (raw === null || raw === '') return null;
  if (/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(raw) && !Number.isNaN(Date.parse(raw)))
    return { v: 1, ts: raw, id: 0 };
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  log?.warn({ cursorLength: raw.length }, 'unreadable ConnectWise cursor; starting a full pull');
  return null;
}

/** Order of two `(lastUpdated, id)` keys. */
export function compareKeys(a: { ts: string; id: number }, b: { ts: string; id: number }): number {
  const byTime = Date.parse(a.ts) - Date.parse(b.ts);
  return byTime !== 0 ? Math.sign(byTime) : Math.sign(a.id - b.id);
}
