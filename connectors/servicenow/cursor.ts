/**
 * The pull checkpoint: `(ts, id)` of the last record applied, in `sys_updated_on, sys_id` order.
 * Many incidents share one second, so `ts` alone is not a position; the sys_id breaks the tie.
 */
import { z } from 'zod';
import type { ConnectorLogger } from '../../src/connector-kit/index.ts';
import { SnDateTime, SnSysId } from './api-types.ts';

const CursorSchema = z.object({ v: z.literal(1), ts: SnDateTime, id: z.union([SnSysId, z.literal('')]) });

export type SnCursor = z.infer<typeof CursorSchema>;
export type SnKey = { ts: string; id: string };

export function encodeCursor(key: SnKey): string {
  return JSON.stringify({ v: 1, ts: key.ts, id: key.id } satisfies SnCursor);
}

/**
 * A stored cursor, or null for a full pull. A bare glide date-time (a hand-set starting point) is
 * accepted. Anything unreadable restarts with a full pull: re-reading is safe because the engine's
 * merge is idempotent, while throwing would stop the connection for good.
 */
export function decodeCursor(raw: string | null, log?: ConnectorLogger): SnCursor | null {
  if (raw === null || raw === '') return null;
  if (SnDateTime.safeParse(raw).success) return { v: 1, ts: raw, id: '' };
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  log?.warn({ cursorLength: raw.length }, 'unreadable ServiceNow cursor; starting a full pull');
  return null;
}

/** Order of two keys; glide date-times sort as strings, sys_ids are lower-case hex. */
export function compareKeys(a: SnKey, b: SnKey): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}
