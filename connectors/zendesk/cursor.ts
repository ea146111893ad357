/**
 * The pull checkpoint. `after` is Zendesk's own `after_cursor` (an exact position in the export);
 * `since` is the newest change time seen (unix seconds), from which a new pull restarts with an
 * overlap; `eos` says whether the page that produced it ended the stream.
 */
import { z } from 'zod';
import type { ConnectorLogger } from '../../src/connector-kit/index.ts';
import type { ExportStart } from './client.ts';

const CursorSchema = z.object({
  v: z.literal(1),
  since: z.number().int().min(0),
  after: z.string().min(1).nullable(),
  eos: z.boolean(),
});

export type ZdCursor = z.infer<typeof CursorSchema>;

export function encodeCursor(cursor: Omit<ZdCursor, 'v'>): string {
  return JSON.stringify({
    v: 1,
    since: cursor.since,
    after: cursor.after,
    eos: cursor.eos,
  } satisfies ZdCursor);
}

/**
 * A stored cursor, or null for a full export. A bare ISO timestamp (a hand-set starting point) is
 * accepted. Anything unreadable restarts with a full export: re-reading is safe because the
 * engine's merge is idempotent, while throwing would stop the connection for good.
 */
export function decodeCursor(raw: string | null, log?: ConnectorLogger): ZdCursor | null {
  if (raw === null || raw === '') return null;
  if (/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(raw) && !Number.isNaN(Date.parse(raw))) {
    return { v: 1, since: Math.floor(Date.parse(raw) / 1000), after: null, eos: true };
  }
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  log?.warn({ cursorLength: raw.length }, 'unreadable Zendesk cursor; starting a full export');
  return null;
}

/**
 * Where a pull starts. Mid-stream (a crash between pages) it continues at Zendesk's cursor. After
 * the end of the stream it restarts at `since - overlapSeconds`: Zendesk leaves out changes of
 * the last minute and a change can commit after its timestamp, so re-reading a short window is
 * what keeps them from being lost. With `overlapSeconds` 0 it trusts Zendesk's cursor alone.
 */
export function startOf(cursor: ZdCursor | null, overlapSeconds: number): ExportStart {
  if (cursor === null) return { startTime: 0 };
  if (cursor.after !== null && (!cursor.eos || overlapSeconds === 0)) return { cursor: cursor.after };
  return { startTime: Math.max(0, cursor.since - overlapSeconds) };
}
