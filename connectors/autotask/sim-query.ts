/**
 * Autotask's query endpoints for any entity: `POST /{Entity}/query` with `{MaxRecords,
 * IncludeFields, filter}`, answered `{items, pageDetails}` in id order, at most 500 per page, with
 * a `nextPageUrl` that takes the same body again (its `paging` parameter is an id cursor; the
 * `search` parameter carries the query for clients that GET it). `POST /{Entity}/query/count`
 * answers `{queryCount}`.
 */
import { badRequest, invalid } from './sim-errors.ts';
import { compileFilter, type SimRecord } from './sim-filter.ts';

export const MAX_RECORDS = 500;

export interface SimQuery {
  MaxRecords: number;
  IncludeFields: string[] | null;
  filter: unknown[];
}

/** The query from a body, or from the `search` parameter when the body is empty. */
export function parseQuery(body: unknown, url: URL): SimQuery {
  let source = body;
  if (source === undefined && url.searchParams.has('search')) {
    try {
      source = JSON.parse(url.searchParams.get('search') ?? '');
    } catch {
      throw badRequest('The search parameter is not valid JSON.');
    }
  }
  if (typeof source !== 'object' || source === null || Array.isArray(source))
    throw badRequest('A query body is required.');
  const q = source as Record<string, unknown>;
  const max = q['MaxRecords'] ?? q['maxRecords'] ?? MAX_RECORDS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RECORDS) {
    throw invalid(`MaxRecords must be an integer between 1 and ${MAX_RECORDS}.`);
  }
  const include = q['IncludeFields'] ?? q['includeFields'];
  const filter = q['filter'] ?? q['Filter'];
  if (!Array.isArray(filter)) throw invalid('A query needs a filter array.');
  return { MaxRecords: max, IncludeFields: Array.isArray(include) ? include.map(String) : null, filter };
}

/** A copy of the record (callers may hand out live store objects), trimmed to `include`. */
function project(record: SimRecord, include: string[] | null): SimRecord {
  if (!include || include.length === 0) return { ...record };
  const wanted = new Set(include.map((f) => f.toLowerCase()));
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.has(k.toLowerCase())));
}

export function countQuery(records: readonly SimRecord[], body: unknown, url: URL) {
  const query = parseQuery(body, url);
  const matches = compileFilter(query.filter);
  return { queryCount: records.filter(matches).length };
}

/**
 * One page. `queryUrl` is the absolute `.../{Entity}/query` the client called; the next page lives
 * at `queryUrl + '/next'`.
 */
export function queryPage(records: readonly SimRecord[], body: unknown, url: URL, queryUrl: string) {
  const query = parseQuery(body, url);
  let afterId = 0;
  const paging = url.searchParams.get('paging');
  if (paging !== null) {
    try {
      afterId = Number((JSON.parse(paging) as { lastId?: unknown }).lastId ?? 0);
    } catch {
      throw badRequest('The paging parameter is not valid JSON.');
    }
  }
  const matches = compileFilter(query.filter);
  // Scan in id order from the cursor and stop at the first match past the page: a large
  // simulated database then costs a page what it holds, not the whole table.
  const ordered = inIdOrder(records);
  const items: SimRecord[] = [];
  let more = false;
  for (let i = firstAfter(ordered, afterId); i < ordered.length; i++) {
    const record = ordered[i]!;
    if (!matches(record)) continue;
    if (items.length === query.MaxRecords) {
      more = true;
      break;
    }
    items.push(record);
  }
  const last = items.at(-1);
  const link = (lastId: number) => {
    const next = new URL(`${queryUrl}/next`);
    next.searchParams.set('paging', JSON.stringify({ pageSize: query.MaxRecords, lastId }));
    next.searchParams.set('search', JSON.stringify({ MaxRecords: query.MaxRecords, filter: query.filter }));
    return next.toString();
  };
  return {
    items: items.map((r) => project(r, query.IncludeFields)),
    pageDetails: {
      count: items.length,
      requestCount: query.MaxRecords,
      prevPageUrl: null,
      nextPageUrl: more && last ? link(Number(last['id'])) : null,
    },
  };
}

const idOf = (record: SimRecord): number => Number(record['id']);

const checked = new WeakSet<readonly SimRecord[]>();

/** The records by ascending id (the store's rows are; anything else is sorted). */
function inIdOrder(records: readonly SimRecord[]): readonly SimRecord[] {
  if (checked.has(records)) return records;
  for (let i = 1; i < records.length; i++) {
    if (idOf(records[i - 1]!) > idOf(records[i]!)) return [...records].sort((a, b) => idOf(a) - idOf(b));
  }
  checked.add(records);
  return records;
}

/** Index of the first record with an id above `afterId` in id-ordered records. */
function firstAfter(ordered: readonly SimRecord[], afterId: number): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (idOf(ordered[mid]!) > afterId) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
