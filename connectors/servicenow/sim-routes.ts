/**
 * The Table API routes: list (encoded query, offset paging, `Link` + `X-Total-Count`), read,
 * create, update (PATCH and PUT alike) and delete. Only `incident` is writable by the integration
 * user; the other tables answer 403 to writes, as an ACL would.
 */
import { badRequest, invalidTable, noRecord, notAuthorized, SimHttpError } from './sim-errors.ts';
import {
  listValues,
  matchesQuery,
  parseEncodedQuery,
  type SimQuery,
  SimQueryError,
  sortRecords,
} from './sim-query.ts';
import { parseRenderOptions, renderRecord } from './sim-render.ts';
import type { SimActor, SimStore } from './sim-store.ts';
import { SIM_TABLES, type SimRecord, type SimTable } from './sim-tables.ts';

export interface SimResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SimRequest {
  method: string;
  url: URL;
  table: string;
  sysId: string | undefined;
  body: unknown;
  actor: SimActor;
}

export interface SimEnv {
  store: SimStore;
  origin: string;
  /** Runs (and awaits) the `onNextPageServed` hooks once an incident list page is built. */
  afterIncidentPage(): Promise<void>;
  /** Terms dropped from queries because they named unknown fields (for tests). */
  ignoredTerms: string[];
}

const MAX_LIMIT = 10_000;

function tableOf(name: string): SimTable {
  const table = SIM_TABLES[name];
  if (!table) throw invalidTable(name);
  return table;
}

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw badRequest(`Invalid ${name}`, `${name} must be a non-negative integer`);
  return value;
}

function linkHeader(url: URL, origin: string, offset: number, limit: number, total: number): string {
  const at = (o: number) => {
    const params = new URLSearchParams(url.searchParams);
    params.set('sysparm_limit', String(limit));
    params.set('sysparm_offset', String(o));
    return `<${origin}${url.pathname}?${params.toString()}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${at(0)};rel="first"`];
  if (offset > 0) links.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  if (offset + limit < total) links.push(`${at(offset + limit)};rel="next"`);
  links.push(`${at(last)};rel="last"`);
  return links.join(',');
}

/**
 * The records a query can match: from an index when one AND term is `field=value` or `fieldINa,b`
 * on an indexed field (the query is still applied to them), else the whole table.
 */
function candidates(store: SimStore, table: SimTable, query: SimQuery): SimRecord[] {
  const [only, ...more] = query.queries;
  if (only && more.length === 0) {
    for (const [term, ...ored] of only) {
      if (!term || ored.length > 0 || (term.op !== '=' && term.op !== 'IN')) continue;
      const values = term.op === 'IN' ? listValues(term) : [term.value];
      const found = store.indexed(table.name, term.field, values);
      if (found) return found;
    }
  }
  return store.list(table.name);
}

async function list(req: SimRequest, env: SimEnv): Promise<SimResponse> {
  const table = tableOf(req.table);
  const params = req.url.searchParams;
  const limit = Math.min(MAX_LIMIT, intParam(params, 'sysparm_limit', MAX_LIMIT)) || MAX_LIMIT;
  const offset = intParam(params, 'sysparm_offset', 0);
  let query: ReturnType<typeof parseEncodedQuery>;
  try {
    query = parseEncodedQuery(params.get('sysparm_query') ?? '', new Set(table.fields));
  } catch (err) {
    if (err instanceof SimQueryError) throw badRequest('Invalid query', err.message);
    throw err;
  }
  env.ignoredTerms.push(...query.ignored);
  const matching = sortRecords(
    candidates(env.store, table, query).filter((r) => matchesQuery(r, query)),
    query.orderBy,
  );
  const opts = parseRenderOptions(params, env.origin);
  const result = matching.slice(offset, offset + limit).map((r) => renderRecord(env.store, table, r, opts));
  if (table.name === 'incident') await env.afterIncidentPage();
  return {
    body: { result },
    headers: {
      'x-total-count': String(matching.length),
      link: linkHeader(req.url, env.origin, offset, limit, matching.length),
    },
  };
}

function read(req: SimRequest, env: SimEnv): SimResponse {
  const table = tableOf(req.table);
  const record = req.sysId ? env.store.get(table.name, req.sysId) : undefined;
  if (!record) throw noRecord();
  return {
    body: {
      result: renderRecord(env.store, table, record, parseRenderOptions(req.url.searchParams, env.origin)),
    },
  };
}

function writableBody(req: SimRequest): Record<string, unknown> {
  if (req.table !== 'incident') {
    throw notAuthorized(`ACL Exception Insert Failed due to security constraints on table ${req.table}`);
  }
  if (req.body === undefined) return {};
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw badRequest('Exception while reading request', 'The payload is not valid JSON.');
  }
  return req.body as Record<string, unknown>;
}

function create(req: SimRequest, env: SimEnv): SimResponse {
  const record = env.store.createIncident(writableBody(req), req.actor);
  const opts = parseRenderOptions(req.url.searchParams, env.origin);
  return {
    status: 201,
    body: { result: renderRecord(env.store, tableOf('incident'), record, opts) },
    headers: { location: `${env.origin}/api/now/table/incident/${record['sys_id']}` },
  };
}

function update(req: SimRequest, env: SimEnv): SimResponse {
  const body = writableBody(req);
  if (!req.sysId || !env.store.get('incident', req.sysId)) throw noRecord();
  const record = env.store.updateIncident(req.sysId, body, req.actor);
  return {
    body: {
      result: renderRecord(
        env.store,
        tableOf('incident'),
        record,
        parseRenderOptions(req.url.searchParams, env.origin),
      ),
    },
  };
}

function remove(req: SimRequest, env: SimEnv): SimResponse {
  writableBody({ ...req, body: undefined });
  if (!req.sysId) throw noRecord();
  env.store.deleteIncident(req.sysId, req.actor);
  return { status: 204 };
}

export async function handleTable(req: SimRequest, env: SimEnv): Promise<SimResponse> {
  switch (req.method) {
    case 'GET':
      return req.sysId ? read(req, env) : list(req, env);
    case 'POST':
      if (req.sysId) break;
      return create(req, env);
    case 'PATCH':
    case 'PUT':
      if (!req.sysId) break;
      return update(req, env);
    case 'DELETE':
      if (!req.sysId) break;
      return remove(req, env);
  }
  throw new SimHttpError(405, 'Method not Supported', `${req.method} is not supported for this resource`);
}
