/**
 * Every CW list endpoint's query handling: `conditions`, `orderBy`, `fields`, navigable paging
 * (`page`/`pageSize`, 1-based, default 25, at most 1000) and forward-only paging (`pageId`), with
 * a `Link` header that keeps every original query parameter (pyconnectwise#14 lost `conditions`
 * when building next-page URLs by hand; a faithful server must not make that easy to miss).
 */
import { type CwCondition, parseCwConditions } from './conditions.ts';
import { compareByCwOrder, evaluateCwCondition, parseCwOrderBy, resolveCwField } from './conditions-eval.ts';
import { formatLinkHeader } from './link-header.ts';
import { badRequest } from './sim-errors.ts';

type Json = Record<string, unknown>;

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

/** Query parameters by lower-cased name: CW (ASP.NET) does not care about their case. */
export function queryParam(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

function intParam(url: URL, name: string): number | undefined {
  const raw = queryParam(url, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name} must be an integer`);
  return Number(raw);
}

/** Filter and sort with the request's `conditions` and `orderBy` (default `id asc`). */
export function filterAndSort(url: URL, items: Json[], forwardOnly: boolean): Json[] {
  let out = items;
  const conditions = queryParam(url, 'conditions');
  try {
    if (conditions?.trim()) {
      const ast = parseCwConditions(conditions);
      out = out.filter((item) => evaluateCwCondition(item, ast));
    }
    const orderBy = forwardOnly ? 'id asc' : (queryParam(url, 'orderBy') ?? 'id asc');
    return [...out].sort(compareByCwOrder(parseCwOrderBy(orderBy)));
  } catch (err) {
    throw badRequest(`Invalid query: ${(err as Error).message}`);
  }
}

/**
 * The earliest `lastUpdated` a record can have and still match `conditions`, when the
 * expression implies one (`lastUpdated>=[t] and ...`, or the keyset form
 * `(lastUpdated>[t] or (lastUpdated=[t] and id>n)) and ...`). The simulator uses it to skip
 * rendering records that cannot match, as a real server's index would: an incremental pull
 * against a million tickets then costs what its changes cost. Unparseable input gives
 * undefined (the full filter reports the error).
 */
export function lastUpdatedLowerBound(url: URL): number | undefined {
  const conditions = queryParam(url, 'conditions');
  if (!conditions?.trim()) return undefined;
  try {
    return lowerBound(parseCwConditions(conditions));
  } catch {
    return undefined;
  }
}

function lowerBound(c: CwCondition): number | undefined {
  if (c.type === 'compare') {
    const isField = c.field.length === 1 && c.field[0]?.toLowerCase() === 'lastupdated';
    const bounded = c.op === '>=' || c.op === '>' || c.op === '=';
    return isField && bounded && c.value.kind === 'datetime' ? c.value.value.getTime() : undefined;
  }
  const left = lowerBound(c.left);
  const right = lowerBound(c.right);
  if (c.type === 'and') {
    if (left === undefined) return right;
    return right === undefined ? left : Math.max(left, right);
  }
  return left === undefined || right === undefined ? undefined : Math.min(left, right);
}

/** `fields=id,summary,board/name`: keep only those paths. */
function project(item: Json, fields: string | undefined): Json {
  if (!fields?.trim()) return item;
  const out: Json = {};
  for (const field of fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)) {
    const path = field.split('/');
    const value = resolveCwField(item, path);
    if (value === undefined) continue;
    let target = out;
    for (const part of path.slice(0, -1)) {
      target[part] ??= {};
      target = target[part] as Json;
    }
    target[path.at(-1) as string] = value;
  }
  return out;
}

function linkTo(url: URL, publicOrigin: string, set: Record<string, string>): string {
  const next = new URL(url.pathname + url.search, publicOrigin);
  for (const key of [...next.searchParams.keys()]) {
    if (Object.keys(set).some((name) => name.toLowerCase() === key.toLowerCase()))
      next.searchParams.delete(key);
  }
  // The page parameter goes last: pyconnectwise reads it with `page=(\d+)>; rel=`.
  for (const [key, value] of Object.entries(set)) next.searchParams.append(key, value);
  return next.toString();
}

export interface ListResult {
  body: Json[];
  headers: Record<string, string>;
}

export function paginate(url: URL, publicOrigin: string, sorted: Json[], forwardOnly: boolean): ListResult {
  const requested = intParam(url, 'pageSize') ?? DEFAULT_PAGE_SIZE;
  if (requested < 1) throw badRequest('pageSize must be at least 1');
  const pageSize = Math.min(requested, MAX_PAGE_SIZE);
  const fields = queryParam(url, 'fields');
  if (forwardOnly) {
    const pageId = intParam(url, 'pageId') ?? 0;
    const remaining = sorted.filter((item) => Number(item['id']) > pageId);
    const body = remaining.slice(0, pageSize);
    const last = body.at(-1);
    const headers: Record<string, string> = {};
    if (last && remaining.length > pageSize) {
      const withoutPage = new URL(url);
      withoutPage.searchParams.delete('page');
      headers['Link'] = formatLinkHeader([
        { url: linkTo(withoutPage, publicOrigin, { pageId: String(last['id']) }), rel: 'next' },
      ]);
    }
    return { body: body.map((item) => project(item, fields)), headers };
  }
  // connectwise-rest starts paging at page 0; CW treats anything below 1 as the first page.
  const page = Math.max(1, intParam(url, 'page') ?? 1);
  const lastPage = Math.max(1, Math.ceil(sorted.length / pageSize));
  const body = sorted.slice((page - 1) * pageSize, page * pageSize);
  const links: Array<{ url: string; rel: string }> = [];
  const at = (n: number) => linkTo(url, publicOrigin, { pageSize: String(pageSize), page: String(n) });
  if (lastPage > 1) {
    if (page > 1) links.push({ url: at(Math.min(page - 1, lastPage)), rel: 'prev' });
    if (page < lastPage) links.push({ url: at(page + 1), rel: 'next' });
    links.push({ url: at(1), rel: 'first' }, { url: at(lastPage), rel: 'last' });
  }
  const headers: Record<string, string> = links.length > 0 ? { Link: formatLinkHeader(links) } : {};
  return { body: body.map((item) => project(item, fields)), headers };
}
