/**
 * Autotask's query endpoints for any entity: `POST /{Entity}/query` with `{MaxRecords,
 * IncludeFields, filter}`, answered `{items, pageDetails}` in id order, at most 500 per page, with
 * a `nextPageUrl` that takes the same body again (its `paging` parameter is an id cursor; the
 * `search` parameter carries the query for clients that GET it). `POST /{Entity}/query/count`
 * answers `{queryCount}`.
 */
import { badRequest, invalid } from './sim-errors.ts';
import { matchesFilter, type SimRecord } from './sim-filter.ts';

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

function project(record: SimRecord, include: string[] | null): SimRecord {
  if (!include || include.length === 0) return record;
  const wanted = new Set(include.map((f) => f.toLowerCase()));
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.has(k.toLowerCase())));
}

export function countQuery(records: SimRecord[], body: unknown, url: URL) {
  const query = parseQuery(body, url);
  return { queryCount: records.filter((r) => matchesFilter(r, query.filter)).length };
}

/**
 * One page. `queryUrl` is the absolute `.../{Entity}/query` the client called; the next page lives
 * at `queryUrl + '/next'`.
 */
export function queryPage(records: SimRecord[], body: unknown, url: URL, queryUrl: string) {
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
  const matched = records
    .filter((r) => matchesFilter(r, query.filter))
    .filter((r) => Number(r['id']) > afterId)
    .sort((a, b) => Number(a['id']) - Number(b['id']));
  const items = matched.slice(0, query.MaxRecords);
  const last = items.at(-1);
  const more = matched.length > items.length && last !== undefined;
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
      nextPageUrl: more ? link(Number(last['id'])) : null,
    },
  };
}
