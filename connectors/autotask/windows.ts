/**
 * Oldest-first reading over an API that cannot sort. Autotask answers queries in id order only
 * (its `nextPageUrl` is an id cursor), so a page of "changed since" is not oldest first, and a
 * checkpoint after an id-ordered page could skip older changes on later pages. Instead the range
 * of `lastActivityDate` is cut into windows small enough to hold in memory (sized with
 * `query/count`, cut as `sliceEdges` says until they fit), each window is read completely and sorted by
 * `(lastActivityDate, id)`, and windows are read oldest first. The newest window is open-ended,
 * so a clock skew between us and Autotask can never hide a ticket.
 *
 * Id-keyed paging inside a window is stable under concurrent edits: a ticket changed mid-read
 * leaves the window for a later one (or the next pull) without shifting others across pages.
 */
import { type AtFilter, cmp } from './filter.ts';

export interface WindowPage<T> {
  items: T[];
  next: string | null;
}

export interface WindowSource<T> {
  page(filter: AtFilter[], next?: string): Promise<WindowPage<T>>;
  count(filter: AtFilter[]): Promise<number>;
}

export interface WindowOptions {
  /** The most records one window may hold; larger windows are split. */
  maxRecords: number;
  /** Our clock, only used to choose where to split an open-ended window. */
  now: () => Date;
}

export interface Keyed {
  id: number;
  lastActivityDate: string;
}

/** Before an open-ended or unbounded window is split, its lower bound is at least this. */
const FLOOR_MS = Date.parse('2000-01-01T00:00:00.000Z');
const HOUR_MS = 3_600_000;

export function compareKeyed(a: Keyed, b: Keyed): number {
  return Date.parse(a.lastActivityDate) - Date.parse(b.lastActivityDate) || a.id - b.id;
}

export function rangeFilter(scope: AtFilter[], from: number | null, to: number | null): AtFilter[] {
  const out = [...scope];
  if (from !== null) out.push(cmp('gte', 'lastActivityDate', new Date(from).toISOString()));
  if (to !== null) out.push(cmp('lt', 'lastActivityDate', new Date(to).toISOString()));
  return out;
}

/** Where to cut `[from, to)`, or null when it cannot be cut (one millisecond wide). */
export function splitPoint(from: number | null, to: number | null, nowMs: number): number | null {
  const low = Math.max(from ?? FLOOR_MS, FLOOR_MS);
  if (to === null) return Math.max(nowMs, low + HOUR_MS);
  if (to - low <= 1) return from === null && to > FLOOR_MS ? FLOOR_MS : null;
  return low + Math.floor((to - low) / 2);
}

/**
 * Sorted batches of every record with `lastActivityDate >= from` (all records when null), window by
 * window, oldest first. One batch per window, except a one-millisecond window, whose id order
 * already is key order, which streams page by page however large it is.
 */
export async function* readWindows<T extends Keyed>(
  source: WindowSource<T>,
  scope: AtFilter[],
  from: number | null,
  options: WindowOptions,
): AsyncIterable<T[]> {
  yield* readRange(source, scope, from, null, options);
}

async function* readRange<T extends Keyed>(
  source: WindowSource<T>,
  scope: AtFilter[],
  from: number | null,
  to: number | null,
  options: WindowOptions,
): AsyncIterable<T[]> {
  const filter = rangeFilter(scope, from, to);
  const first = await source.page(filter);
  if (!first.next) {
    yield first.items.sort(compareKeyed);
    return;
  }
  const nowMs = options.now().getTime();
  const mid = splitPoint(from, to, nowMs);
  const count = mid === null ? 0 : await source.count(filter);
  if (mid !== null && count > options.maxRecords) {
    const edges = sliceEdges(from, to, count, first.items, nowMs, options.maxRecords) ?? [from, mid, to];
    for (let i = 0; i + 1 < edges.length; i++) {
      yield* readRange(source, scope, edges[i]!, edges[i + 1]!, options);
    }
    return;
  }
  const oneInstant = from !== null && to !== null && to - from <= 1;
  const all: T[] = [...first.items];
  let next: string | null = first.next;
  if (oneInstant) yield all.splice(0).sort(compareKeyed);
  while (next) {
    const page = await source.page(filter, next);
    if (oneInstant) yield page.items.sort(compareKeyed);
    else all.push(...page.items);
    next = page.items.length > 0 ? page.next : null;
  }
  if (!oneInstant) yield all.sort(compareKeyed);
}

/**
 * Where to cut an oversized `[from, to)` holding `count` records, using the first page as a hint:
 * every window pays a page and a count, so blind halving from year 2000 down to where the data is
 * costs dozens of requests. Instead: `[from, low)` (records older than the oldest seen: usually
 * few), `[low, low + 1 ms)` (a pile of records sharing that instant is streamed, never re-split),
 * then `[low + 1, to)` cut into equal-time slices expected to hold 3/4 of `maxRecords` each.
 * Every slice is narrower than the window, so the recursion ends; a slice that is still too big
 * is cut again the same way. Null when no useful cut exists (the caller halves instead).
 */
export function sliceEdges(
  from: number | null,
  to: number | null,
  count: number,
  firstPage: readonly Keyed[],
  nowMs: number,
  maxRecords: number,
): Array<number | null> | null {
  const times = firstPage.map((r) => Date.parse(r.lastActivityDate)).filter(Number.isFinite);
  if (times.length === 0) return null;
  const low = Math.min(...times);
  if ((from !== null && low < from) || (to !== null && low >= to)) return null;
  const edges: Array<number | null> = [from];
  if (from === null || low > from) edges.push(low);
  edges.push(low + 1);
  const start = low + 1;
  const end = to ?? Math.max(nowMs, start + HOUR_MS);
  const slices = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(maxRecords * 0.75))));
  const width = (end - start) / slices;
  for (let i = 1; i < slices; i++) {
    const edge = start + Math.floor(i * width);
    if (edge > (edges.at(-1) as number) && (to === null || edge < to)) edges.push(edge);
  }
  if (to === null || (edges.at(-1) as number) < to) edges.push(to);
  else edges[edges.length - 1] = to;
  return edges;
}
