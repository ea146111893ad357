/**
 * `GET /api/v2/tickets` listing and `GET /api/v2/tickets/filter`, with Freshservice's rules:
 * without `updated_since` only tickets created in the last 30 days; `order_by` (default
 * created_at) and `order_type` (default desc); `per_page` up to 100; a `Link: rel="next"` header
 * while more pages remain. `updated_since` is inclusive here (UNCONFIRMED; the connector's overlap
 * covers an exclusive one).
 */
import { SimHttpError, validation } from './sim-errors.ts';
import { renderTicket } from './sim-render.ts';
import type { SimStore, SimTicket } from './sim-store.ts';

const ORDER_FIELDS: Record<string, (t: SimTicket) => number> = {
  created_at: (t) => t.createdMs,
  updated_at: (t) => t.updatedMs,
  due_by: (t) => t.createdMs + 3 * 86_400_000,
  status: (t) => t.status,
};

function positiveInt(url: URL, name: string, fallback: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw validation(name, `It should be a Positive Integer less than or equal to ${max}`, 'invalid_value');
  }
  return value;
}

function linkHeader(url: URL, page: number): Record<string, string> {
  const next = new URL(url);
  next.searchParams.set('page', String(page + 1));
  return { link: `<${next.toString()}>; rel="next"` };
}

export function listTickets(store: SimStore, url: URL, nowMs: number) {
  const since = url.searchParams.get('updated_since');
  const sinceMs = since === null ? null : Date.parse(since);
  if (sinceMs !== null && Number.isNaN(sinceMs))
    throw validation('updated_since', 'It should be in the ISO 8601 format');
  const orderBy = url.searchParams.get('order_by') ?? 'created_at';
  const orderType = url.searchParams.get('order_type') ?? 'desc';
  const key = ORDER_FIELDS[orderBy];
  if (!key)
    throw validation('order_by', "It should be one of these values: 'created_at,due_by,updated_at,status'");
  if (orderType !== 'asc' && orderType !== 'desc')
    throw validation('order_type', "It should be one of these values: 'asc,desc'");
  const perPage = positiveInt(url, 'per_page', 30, 100);
  const page = positiveInt(url, 'page', 1, 100_000);
  const matching = [...store.tickets.values()]
    .filter((t) => (sinceMs === null ? t.createdMs >= nowMs - 30 * 86_400_000 : t.updatedMs >= sinceMs))
    .sort((a, b) => (orderType === 'asc' ? key(a) - key(b) || a.id - b.id : key(b) - key(a) || b.id - a.id));
  const slice = matching.slice((page - 1) * perPage, page * perPage);
  const withRequester = url.searchParams.get('include') === 'requester';
  return {
    body: { tickets: slice.map((t) => renderTicket(store, t, { requester: withRequester })) },
    headers: matching.length > page * perPage ? linkHeader(url, page) : {},
  };
}

/** `query="field:'value' AND field:2"`: quoted strings or numbers; custom fields without `cf_`. */
function parseFilter(raw: string | null): Array<[string, string]> {
  const m = raw === null ? null : /^"(.*)"$/s.exec(raw.trim());
  if (!m) throw validation('query', 'The query should be enclosed in double quotes', 'invalid_value');
  return m[1]!.split(/\s+AND\s+/).map((term) => {
    const t = /^\s*(\w+)\s*:\s*(?:'([^']*)'|(\d+))\s*$/.exec(term);
    if (!t) throw validation('query', `Invalid query term: ${term.trim()}`, 'invalid_value');
    return [t[1]!, t[2] ?? t[3]!];
  });
}

const BUILT_IN: Record<string, (t: SimTicket) => unknown> = {
  status: (t) => t.status,
  priority: (t) => t.priority,
  agent_id: (t) => t.responderId,
  group_id: (t) => t.groupId,
  department_id: (t) => t.departmentId,
};

export function filterTickets(store: SimStore, url: URL) {
  const terms = parseFilter(url.searchParams.get('query'));
  const readers = terms.map(([field, value]) => {
    const builtIn = BUILT_IN[field];
    if (builtIn) return (t: SimTicket) => String(builtIn(t)) === value;
    const custom = `cf_${field}`;
    if (!store.customFieldNames.includes(custom))
      throw validation(field, 'Unexpected/invalid field in request', 'invalid_field');
    return (t: SimTicket) => t.customFields[custom] === value;
  });
  const page = positiveInt(url, 'page', 1, 10);
  const matching = [...store.tickets.values()]
    .filter((t) => readers.every((r) => r(t)))
    .sort((a, b) => b.createdMs - a.createdMs || b.id - a.id);
  if (matching.length > 300) throw new SimHttpError(400, { description: 'Too many results' });
  return {
    tickets: matching.slice((page - 1) * 30, page * 30).map((t) => renderTicket(store, t)),
    total: matching.length,
  };
}
