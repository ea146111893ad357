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

/**
 * What a pull reads: the connection's boards and, when the connection is scoped, only its
 * companies (by identifier). A plain string is one board, unscoped.
 */
export interface PullFilter {
  boards: readonly string[];
  companies: readonly string[] | null;
}

function inList(field: string, values: readonly string[]): string {
  return values.length === 1
    ? `${field}=${cwString(values[0] ?? '')}`
    : `${field} in (${values.map(cwString).join(', ')})`;
}

/** `board/name="Help Desk" and company/identifier in ("Contoso", "Fabrikam")` */
export function boardCondition(filter: string | PullFilter): string {
  const { boards, companies } = typeof filter === 'string' ? { boards: [filter], companies: null } : filter;
  const board = inList('board/name', boards);
  return companies === null ? board : `${board} and ${inList('company/identifier', companies)}`;
}

/** `lastUpdated>=[since]`: the inclusive start of an incremental pull. */
export function changedSinceCondition(filter: string | PullFilter, since: Date): string {
  return `lastUpdated>=${cwDateTime(since)} and ${boardCondition(filter)}`;
}

/**
 * Keyset continuation: everything strictly after `(lastUpdated, id)` in the pull's order. Unlike
 * `page=N`, it cannot skip a record when another one changes and moves to the end mid-pull.
 */
export function afterKeyCondition(filter: string | PullFilter, key: { ts: Date; id: number }): string {
  const ts = cwDateTime(key.ts);
  return `(lastUpdated>${ts} or (lastUpdated=${ts} and id>${Math.trunc(key.id)})) and ${boardCondition(filter)}`;
}

export const PULL_ORDER = 'lastUpdated asc, id asc';
