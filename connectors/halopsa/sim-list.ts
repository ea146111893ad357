/**
 * `GET /api/Tickets` in the simulator: filters (`search`, `client_id`, `agent_id`, `status_id`,
 * `datesearch` + `startdate`/`enddate`, `excludethese`), ordering (`order`..`order3` with
 * `orderdesc`..), and `pageinate`/`page_size` (capped at 100)/`page_no`. Without `order` Halo's
 * default is newest id first (UNCONFIRMED), which is what a connector must not rely on.
 */
import { SimHaloError } from './sim-errors.ts';
import type { SimTicket } from './sim-model.ts';
import { parseHaloParamDate } from './sim-render.ts';

const SORTABLE: Record<string, (t: SimTicket) => number | string> = {
  id: (t) => t.id,
  last_update: (t) => t.last_update.getTime(),
  lastactiondate: (t) => t.lastactiondate?.getTime() ?? 0,
  dateoccurred: (t) => t.dateoccurred.getTime(),
  dateoccured: (t) => t.dateoccurred.getTime(),
  summary: (t) => t.summary.toLowerCase(),
  status_id: (t) => t.status_id,
  priority_id: (t) => t.priority_id,
};

/** Halo's own spelling in its examples is `dateoccured`; both are accepted. */
const DATE_FIELDS: Record<string, (t: SimTicket) => Date | null> = {
  last_update: (t) => t.last_update,
  lastactiondate: (t) => t.lastactiondate,
  dateoccurred: (t) => t.dateoccurred,
  dateoccured: (t) => t.dateoccurred,
};

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw new SimHaloError(400, { [name]: `The value '${raw}' is not valid.` });
  return Number(raw);
}

function dateParam(q: URLSearchParams, name: string): Date | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const at = parseHaloParamDate(raw);
  if (!at) throw new SimHaloError(400, { [name]: `The value '${raw}' is not a valid date.` });
  return at;
}

function filterTickets(all: Iterable<SimTicket>, q: URLSearchParams): SimTicket[] {
  const clientId = intParam(q, 'client_id');
  const agentId = intParam(q, 'agent_id');
  const statusId = intParam(q, 'status_id');
  const search = q.get('search')?.trim().toLowerCase();
  const excluded = new Set((q.get('excludethese') ?? '').split(',').filter(Boolean).map(Number));
  const field = q.get('datesearch');
  const readDate = field ? DATE_FIELDS[field.toLowerCase()] : undefined;
  if (field && !readDate) throw new SimHaloError(400, { datesearch: `Unknown date field '${field}'.` });
  const start = dateParam(q, 'startdate');
  const end = dateParam(q, 'enddate');
  return [...all].filter((t) => {
    if (t.deleted || excluded.has(t.id)) return false;
    if (clientId !== undefined && t.client_id !== clientId) return false;
    if (agentId !== undefined && t.agent_id !== agentId) return false;
    if (statusId !== undefined && t.status_id !== statusId) return false;
    if (search) {
      const haystack = [String(t.id), t.summary, t.details, t.third_party_id_string].join('\n').toLowerCase();
      if (!haystack.includes(search)) return false;
    }
    if (readDate) {
      const at = readDate(t)?.getTime();
      if (at === undefined) return false;
      if (start && at < start.getTime()) return false;
      if (end && at > end.getTime()) return false;
    }
    return true;
  });
}

function sortTickets(tickets: SimTicket[], q: URLSearchParams): SimTicket[] {
  const keys: Array<{ read: (t: SimTicket) => number | string; desc: boolean }> = [];
  for (const [i, suffix] of ['', '2', '3', '4', '5'].entries()) {
    const name = q.get(`order${suffix}`);
    const read = name ? SORTABLE[name.toLowerCase()] : undefined;
    if (read) keys.push({ read, desc: q.get(`orderdesc${suffix}`) === 'true' });
    else if (i === 0) keys.push({ read: SORTABLE['id']!, desc: true });
  }
  return tickets.sort((a, b) => {
    for (const key of keys) {
      const x = key.read(a);
      const y = key.read(b);
      if (x !== y) return (x < y ? -1 : 1) * (key.desc ? -1 : 1);
    }
    return 0;
  });
}

export interface SimListResult {
  record_count: number;
  tickets: SimTicket[];
  page_no?: number;
  page_size?: number;
}

export function listTickets(all: Iterable<SimTicket>, q: URLSearchParams): SimListResult {
  const sorted = sortTickets(filterTickets(all, q), q);
  if (q.get('pageinate') !== 'true') {
    const count = intParam(q, 'count');
    return { record_count: sorted.length, tickets: count === undefined ? sorted : sorted.slice(0, count) };
  }
  const size = Math.min(100, Math.max(1, intParam(q, 'page_size') ?? 50));
  const page = Math.max(1, intParam(q, 'page_no') ?? 1);
  const slice = sorted.slice((page - 1) * size, page * size);
  return { record_count: sorted.length, page_no: page, page_size: size, tickets: slice };
}
