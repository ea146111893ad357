/**
 * The simulator's HTTP plumbing: base path, Basic auth + `clientId`, injected faults, counters,
 * CW response headers, JSON bodies and error envelopes. Routes live in `sim-routes*.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimHttpError } from './sim-errors.ts';
import type { SimEnv, SimResponse, SimRoute } from './sim-routes.ts';
import type { SimMember } from './sim-seed.ts';

export interface SimCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export interface SimFault {
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export interface SimRequestLogEntry {
  method: string;
  /** Path below the API base, e.g. `/service/tickets`. */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  headers: { paginationType?: string };
}

export interface SimCounters {
  requests: number;
  /** The last 1000 API requests, oldest first. */
  log: SimRequestLogEntry[];
  /** GETs of the callback signing key URL. */
  keyFetches: number;
  /** `METHOD /path/{id}` -> writes that reached the endpoint (after auth and injected faults). */
  writes: Map<string, number>;
}

export interface SimHandlerDeps {
  basePath: string;
  credentials: SimCredentials;
  routes: SimRoute[];
  env: SimEnv;
  apiMember: () => SimMember;
  keyPath: string;
  signingKey: string;
  faults: SimFault[];
  counters: SimCounters;
  /** `METHOD /path/{id}` keys the API member lacks the security role for (answered 403). */
  denied: Set<string>;
}

export const API_VERSION = '2025.1';

const compiled = new WeakMap<SimRoute, RegExp>();
function patternOf(route: SimRoute): RegExp {
  let re = compiled.get(route);
  if (!re) {
    re = new RegExp(`^${route.path.replace(/\{id\}/g, '(\\d+)')}/?$`, 'i');
    compiled.set(route, re);
  }
  return re;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'api-current-version': API_VERSION,
    'x-cw-request-id': randomUUID(),
    'x-server-name': 'sim-cw-01',
    ...headers,
  });
  res.end(status === 204 || body === undefined ? undefined : JSON.stringify(body));
}

/** The reason authentication fails, or null when `company+public:private` and clientId match. */
export function authFailure(req: IncomingMessage, creds: SimCredentials): string | null {
  const auth = req.headers.authorization;
  if (!auth?.toLowerCase().startsWith('basic ')) return 'Authorization header is missing or not Basic';
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  const plus = user.indexOf('+');
  const ok =
    colon > 0 &&
    plus > 0 &&
    user.slice(0, plus).toLowerCase() === creds.companyId.toLowerCase() &&
    user.slice(plus + 1) === creds.publicKey &&
    decoded.slice(colon + 1) === creds.privateKey;
  if (!ok) return 'Password or username is incorrect';
  const clientId = req.headers['clientid'];
  if (clientId !== creds.clientId) return 'clientId header is missing or not registered';
  return null;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new SimHttpError(413, { code: 'RequestTooLarge', message: 'body too large' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimHttpError(400, { code: 'InvalidObject', message: 'Request body is not valid JSON' });
  }
}

function route(deps: SimHandlerDeps, method: string, path: string) {
  let pathMatched = false;
  for (const candidate of deps.routes) {
    const m = patternOf(candidate).exec(path);
    if (!m) continue;
    pathMatched = true;
    if (candidate.method === method) return { route: candidate, params: m.slice(1).map(Number) };
  }
  return { pathMatched };
}

async function handleApi(deps: SimHandlerDeps, req: IncomingMessage, url: URL): Promise<SimResponse> {
  deps.counters.requests++;
  const paginationType = req.headers['pagination-type'];
  deps.counters.log.push({
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname.slice(deps.basePath.length) || '/',
    query: Object.fromEntries(url.searchParams),
    headers: typeof paginationType === 'string' ? { paginationType } : {},
  });
  if (deps.counters.log.length > 1000) deps.counters.log.shift();
  const fault = deps.faults[0];
  if (fault) {
    if (--fault.remaining <= 0) deps.faults.shift();
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    const code = fault.status === 429 ? 'TooManyRequests' : 'InternalServerError';
    throw new SimHttpError(fault.status, { code, message: `injected ${fault.status}` }, headers);
  }
  const failure = authFailure(req, deps.credentials);
  if (failure) throw new SimHttpError(401, { code: 'Unauthorized', message: failure });
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.slice(deps.basePath.length) || '/';
  const found = route(deps, method, path);
  if (!('route' in found) || !found.route) {
    if (found.pathMatched)
      throw new SimHttpError(405, { code: 'MethodNotAllowed', message: `${method} not allowed` });
    throw new SimHttpError(404, { code: 'NotFound', message: `The resource ${path} was not found` });
  }
  if (deps.denied.has(`${method} ${found.route.path}`)) {
    // The exact body CW sends for a missing security-role permission is UNCONFIRMED.
    throw new SimHttpError(403, {
      code: 'Forbidden',
      message: 'You do not have permission to perform this action',
    });
  }
  const body = await readJson(req);
  if (method !== 'GET') {
    const key = `${method} ${found.route.path}`;
    deps.counters.writes.set(key, (deps.counters.writes.get(key) ?? 0) + 1);
  }
  const forwardOnly = String(req.headers['pagination-type'] ?? '').toLowerCase() === 'forward-only';
  return found.route.handle(
    { url, params: found.params, body, actor: deps.apiMember(), forwardOnly },
    deps.env,
  );
}

export function createSimHandler(deps: SimHandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    try {
      if (req.method === 'GET' && url.pathname === deps.keyPath) {
        deps.counters.keyFetches++;
        return send(res, 200, { signing_key: deps.signingKey });
      }
      if (!url.pathname.toLowerCase().startsWith(deps.basePath.toLowerCase())) {
        throw new SimHttpError(404, { code: 'NotFound', message: 'Unknown codebase' });
      }
      const answer = await handleApi(deps, req, url);
      send(res, answer.status ?? 200, answer.body, answer.headers);
    } catch (err) {
      if (err instanceof SimHttpError) return send(res, err.status, err.body, err.headers);
      send(res, 500, { code: 'InternalServerError', message: 'simulator error' });
    }
  };
}
