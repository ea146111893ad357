import { badInput } from '../errors.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** The Relay `first` argument, checked here because the relay plugin owns its definition. */
export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/** Build a Relay connection from `limit + 1` rows fetched in order. */
export function toConnection<T, Extra extends object = object>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => string,
  extra?: Extra,
) {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    ...(extra as Extra),
  };
}

export function encodeSimpleCursor(value: string | number): string {
  return Buffer.from(String(value)).toString('base64url');
}

export function decodeSimpleCursor(cursor: string, field = 'after'): string {
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!value || value.length > 200) throw badInput(field, 'is not a cursor returned by this API');
  return value;
}
