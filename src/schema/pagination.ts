import { decodeCursor, encodeCursor } from '../domain/cursors.ts';
import { badInput } from '../errors.ts';

export { decodeCursor, encodeCursor, isIsoTimestamp } from '../domain/cursors.ts';

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

export interface RelayArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  after?: string | null | undefined;
}

/**
 * The page size of a forward page. The relay plugin declares `last` and `before` on every
 * connection, but our lists page forward only (keyset on their order): refusing them is
 * better than answering them wrongly, which is what happened before (issue #14).
 */
export function forwardPageSize(args: RelayArgs): number {
  const hint = 'this list pages forward only: use first and after (with the endCursor of the previous page)';
  if (args.last != null) throw badInput('last', hint);
  if (args.before != null) throw badInput('before', hint);
  return pageSize(args.first);
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

/** An event id cursor (`["event", id]`), shared by recentEvents and a ticket's history. */
export const eventCursor = {
  encode: (id: number) => encodeCursor(['event', id]),
  decode: (cursor: string, field = 'after'): number =>
    decodeCursor(
      cursor,
      (v) =>
        Array.isArray(v) && v.length === 2 && v[0] === 'event' && Number.isSafeInteger(v[1]) && v[1] > 0
          ? (v[1] as number)
          : null,
      field,
    ),
};
