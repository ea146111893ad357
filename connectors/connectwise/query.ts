/**
 * Building `conditions` strings. Values are always quoted or bracketed here, never pasted raw,
 * so a board name or hub id cannot change the shape of a query.
 */

/** A string literal. How CW escapes a `"` inside one is UNCONFIRMED; we use a backslash. */
export function cwString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A datetime literal, UTC: `[2024-01-01T00:00:00Z]`. CW stores whole seconds; milliseconds are
 * kept only if a value has them, so a keyset bound never rounds below the record it came from.
 */
export function cwDateTime(at: Date): string {
  return `[${at.getUTCMilliseconds() === 0 ? toCwTimestamp(at) : at.toISOString()}]`;
}

/** CW's own timestamp format: whole seconds, `Z`. */
export function toCwTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** CW timestamps have second precision; a cursor must never round forward past a record. */
export function floorToSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

export function boardCondition(board: string): string {
  return `board/name=${cwString(board)}`;
}

/** `lastUpdated>=[since]`: the inclusive start of an incremental pull. */
export function changedSinceCondition(board: string, since: Date): string {
  return `lastUpdated>=${cwDateTime(since)} and ${boardCondition(board)}`;
}

/**
 * Keyset continuation: everything strictly after `(lastUpdated, id)` in the pull's order. Unlike
 * `page=N`, it cannot skip a record when another one changes and moves to the end mid-pull.
 */
export function afterKeyCondition(board: string, key: { ts: Date; id: number }): string {
  const ts = cwDateTime(key.ts);
  return `(lastUpdated>${ts} or (lastUpdated=${ts} and id>${Math.trunc(key.id)})) and ${boardCondition(board)}`;
}

export const PULL_ORDER = 'lastUpdated asc, id asc';
