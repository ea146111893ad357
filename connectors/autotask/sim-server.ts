/**
 * The simulator's HTTP plumbing: zone paths and the zone lookup, the header auth triple,
 * injected faults, the thread limit and request threshold, counters, JSON bodies and
 * `{errors}` envelopes. Routes live in `sim-routes.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../src/connector-kit/index.ts';
import { badRequest, invalid, SimAtError } from './sim-errors.ts';
import type { SimEnv, SimRoute } from './sim-routes.ts';
import { API_RESOURCE_ID } from './sim-seed.ts';

export interface SimCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export interface SimFault {
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export interface SimRequestLogEntry {
  method: string;
  /** Path below `/v1.0`, e.g. `/Tickets/query/next`. */
  path: string;
  body: unknown;
}

export interface SimCounters {
  requests: number;
  /** Requests by method and path with ids as `{id}`, e.g. `POST /Tickets/query/next`. */
  byPath: Map<string, number>;
  writes: Map<string, number>;
  log: SimRequestLogEntry[];
}

export interface SimServerState {
  origin: string;
  /** The zone path segment the database lives in now, e.g. `webservices5`. */
  zone: string;
  credentials: SimCredentials;
  faults: SimFault[];
  counters: SimCounters;
  latencyMs: number;
}

const API_PATH = /^(?:\/([\w-]+))?\/atservicesrest\/v1\.0(\/.*)?$/i;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function zoneInformation(state: SimServerState, url: URL) {
  const user = url.searchParams.get('user') ?? '';
  // Autotask answers 500 for a blank or unknown user (djat).
  if (user.toLowerCase() !== state.credentials.username.toLowerCase()) {
    throw new SimAtError(500, ['Zone information could not be determined for this user.']);
  }
  return {
    zoneName: 'Simulated Zone',
    url: `${state.origin}/${state.zone}/ATServicesRest/`,
    webUrl: `${state.origin}/ww5/`,
    ci: 5,
  };
}

function authenticate(state: SimServerState, req: IncomingMessage): void {
  const c = state.credentials;
  const ok =
    header(req, 'UserName')?.toLowerCase() === c.username.toLowerCase() &&
    header(req, 'Secret') === c.secret &&
    header(req, 'ApiIntegrationCode') === c.integrationCode;
  if (!ok) throw new SimAtError(401, ['Authorization has been denied for this request.']);
}

function personOf(env: SimEnv, req: IncomingMessage, method: string): number {
  const raw = method === 'GET' ? undefined : header(req, 'ImpersonationResourceId');
  if (raw === undefined) return API_RESOURCE_ID;
  const id = Number(raw);
  if (!env.store.resourceById(id)) throw invalid(`ImpersonationResourceId ${raw} is not an active resource.`);
  return id;
}

function takeFault(state: SimServerState): void {
  const fault = state.faults[0];
  if (!fault) return;
  if (--fault.remaining <= 0) state.faults.shift();
  const headers: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  throw new SimAtError(fault.status, [`Injected HTTP ${fault.status}.`], headers);
}

async function handleApi(
  state: SimServerState,
  routes: SimRoute[],
  env: SimEnv,
  req: IncomingMessage,
  url: URL,
  zone: string | undefined,
  sub: string,
) {
  const method = (req.method ?? 'GET').toUpperCase();
  if (/^\/zoneInformation$/i.test(sub) && method === 'GET') return { body: zoneInformation(state, url) };
  state.counters.requests++;
  const pathKey = `${method} ${sub.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
  state.counters.byPath.set(pathKey, (state.counters.byPath.get(pathKey) ?? 0) + 1);
  takeFault(state);
  // A database that moved zone answers 401 in its old one (djat re-looks the zone up on 401).
  if (zone?.toLowerCase() !== state.zone.toLowerCase())
    throw new SimAtError(401, ['Authorization has been denied for this request.']);
  authenticate(state, req);
  const found = routes
    .map((route) => ({ route, m: route.method === method ? route.pattern.exec(sub) : null }))
    .find((x) => x.m);
  if (!found?.m) throw new SimAtError(404, [`No HTTP resource was found that matches ${method} ${sub}.`]);
  const entity = (sub.split('/')[1] ?? '').toLowerCase();
  const release = env.limits.enter(`${state.credentials.integrationCode}|${entity}`);
  if (!release)
    throw new SimAtError(429, ['Thread threshold exceeded: at most 3 concurrent requests per endpoint.'], {
      'retry-after': '1',
    });
  try {
    const admitted = env.limits.admit();
    if (!admitted.ok) {
      throw new SimAtError(429, ['Request threshold exceeded for this database.'], {
        'retry-after': String(admitted.retryAfterSeconds),
      });
    }
    const body = await readJson(req);
    state.counters.log.push({ method, path: sub, body });
    if (state.counters.log.length > 1000) state.counters.log.shift();
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    const isRead = method === 'GET' || /\/query(\/next|\/count)?$/i.test(sub);
    if (!isRead)
      state.counters.writes.set(found.route.key, (state.counters.writes.get(found.route.key) ?? 0) + 1);
    const base = `${state.origin}/${zone}/ATServicesRest/V1.0`;
    return found.route.handle(
      {
        method,
        params: found.m.slice(1),
        url,
        body,
        queryUrl: (e) => `${base}/${e}/query`,
        personId: personOf(env, req, method),
      },
      env,
    );
  } finally {
    release();
  }
}

export function createSimHandler(state: SimServerState, routes: SimRoute[], env: SimEnv) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', state.origin);
    try {
      const m = API_PATH.exec(url.pathname);
      if (!m) throw new SimAtError(404, ['Not found.']);
      const answer = await handleApi(state, routes, env, req, url, m[1], m[2] ?? '/');
      send(res, answer.status ?? 200, answer.body);
    } catch (err) {
      if (err instanceof SimAtError) return send(res, err.status, err.body, err.headers);
      send(res, 500, { errors: ['An unexpected error occurred in the simulator.'] });
    }
  };
}
