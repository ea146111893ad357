import { badInput } from '../errors.ts';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor: base64url of a JSON array whose first element names the list's kind. */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * Decodes a cursor this API handed out, or throws BAD_USER_INPUT naming `field`. `parse`
 * gets the decoded JSON and returns the typed position, or null when it does not fit this
 * list (another list's cursor, a wrong value type): a crafted cursor never reaches SQL.
 */
export function decodeCursor<T>(cursor: string, parse: (value: unknown) => T | null, field = 'after'): T {
  let position: T | null = null;
  if (cursor.length <= 400 && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      position = parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown);
    } catch {
      position = null;
    }
  }
  if (position === null) {
    throw badInput(
      field,
      'is not a cursor from this list; pass a cursor (or pageInfo.endCursor) this same list returned, with the same orderBy',
    );
  }
  return position;
}

/** True for an ISO-8601 timestamp as `Date.toISOString()` writes it. */
export function isIsoTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}
