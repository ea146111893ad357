/**
 * Encoded queries (`sysparm_query`) and glide date-times, connector side.
 *
 * Precedence matters: `^OR` binds tighter than `^`, so `a^b^ORc` is `a AND (b OR c)`. The keyset
 * condition "after (ts, id)" is therefore written as `ts>=T ^ (ts>T OR sys_id>ID)`, which needs no
 * `^NQ` and stays correct when ANDed after a connection's own `scopeQuery`.
 */
import { ConnectorError } from '../../src/connector-kit/index.ts';

/** The pull order: last-updated, then sys_id to break ties inside one second. */
export const PULL_ORDER = 'ORDERBYsys_updated_on^ORDERBYsys_id';

/** A Date as the Table API writes and compares it: `YYYY-MM-DD HH:mm:ss`, UTC. */
export function toGlideDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A raw glide date-time (UTC, no zone marker) as a Date. */
export function parseGlideDateTime(value: string): Date {
  const date = new Date(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) {
    throw new ConnectorError('invalid_response', 'ServiceNow sent an unreadable date-time');
  }
  return date;
}

/**
 * A value safe to put in an encoded query. `^` separates terms and a comma separates `IN` values;
 * rather than trusting an escape whose handling varies by release, such values are refused.
 */
export function queryValue(value: string, opts: { list?: boolean } = {}): string {
  if (/[\^\r\n]/.test(value) || (opts.list && value.includes(','))) {
    throw new ConnectorError('bad_request', 'value cannot be used in a ServiceNow encoded query');
  }
  return value;
}

/** Terms joined with `^` (AND), empty ones dropped. */
export function andQuery(...terms: Array<string | undefined>): string {
  return terms.filter((t): t is string => Boolean(t?.trim())).join('^');
}

export function changedSince(since: string): string {
  return `sys_updated_on>=${since}`;
}

/** Strictly after `(ts, id)` in PULL_ORDER. */
export function afterKey(key: { ts: string; id: string }): string {
  return `sys_updated_on>=${key.ts}^sys_updated_on>${key.ts}^ORsys_id>${key.id}`;
}

/** `field=value` for a correlation key or an email. */
export function equals(field: string, value: string): string {
  return `${field}=${queryValue(value)}`;
}

/** `fieldINa,b,c`. */
export function inList(field: string, values: string[]): string {
  return `${field}IN${values.map((v) => queryValue(v, { list: true })).join(',')}`;
}
