/**
 * The simulator's HTTP plumbing: the OAuth token endpoint (`POST /auth/token`, form encoded,
 * client credentials, optional `?tenant=`), bearer checks on `/api`, injected 429/5xx faults with
 * `Retry-After`, counters, and the `onNextPageServed` hook. Routes live in `sim-routes.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimHaloError } from './sim-errors.ts';
import { routeApi } from './sim-routes.ts';
import type { SimStore } from './sim-store.ts';

export interface SimCredentials {
  clientId: string;
  clientSecret: string;
  /** When set, the token request must carry `?tenant=` with this value. */
  tenant?: string;
}

export interface SimFault {
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export interface SimRequestLogEntry {
  method: string;
  /** Path below `/api` (or `/auth/token`). */
  path: string;
  query: Record<string, string>;
}

export interface SimServerState {
  store: SimStore;
  credentials: SimCredentials;
  /** Access token -> expiry (simulator clock, ms). */
  tokens: Map<string, number>;
  tokenLifetimeSeconds: number;
  faults: SimFault[];
  pageHooks: Array<() => Promise<void> | void>;
  counters: {
    requests: number;
    tokenRequests: number;
    writes: Map<string, number>;
    log: SimRequestLogEntry[];
  };
}

const RATE_LIMIT = 700;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function issueToken(state: SimServerState, form: URLSearchParams, query: URLSearchParams) {
  const { credentials } = state;
  if (form.get('grant_type') !== 'client_credentials') {
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }
  const clientOk =
    form.get('client_id') === credentials.clientId && form.get('client_secret') === credentials.clientSecret;
  const tenantOk = credentials.tenant === undefined || query.get('tenant') === credentials.tenant;
  if (!clientOk || !tenantOk) return { status: 400, body: { error: 'invalid_client' } };
  if (!form.get('scope')) return { status: 400, body: { error: 'invalid_scope' } };
  const token = randomBytes(24).toString('base64url');
  state.tokens.set(token, state.store.now().getTime() + state.tokenLifetimeSeconds * 1000);
  return {
    status: 200,
    body: {
      access_token: token,
      token_type: 'Bearer',
      expires_in: state.tokenLifetimeSeconds,
      scope: form.get('scope'),
    },
  };
}

function bearerValid(state: SimServerState, req: IncomingMessage): boolean {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const expiry = token ? state.tokens.get(token) : undefined;
  return expiry !== undefined && expiry > state.store.now().getTime();
}

function takeFault(state: SimServerState): SimHaloError | null {
  const fault = state.faults[0];
  if (!fault) return null;
  if (--fault.remaining <= 0) state.faults.shift();
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.status === 429) {
    // Halo's rate-limit headers are UNCONFIRMED; these follow the common X-RateLimit convention.
    Object.assign(headers, { 'x-ratelimit-limit': String(RATE_LIMIT), 'x-ratelimit-remaining': '0' });
    return new SimHaloError(429, { message: 'Too many requests. Please try again later.' }, headers);
  }
  return new SimHaloError(fault.status, { message: 'An error has occurred.' }, headers);
}

async function handle(state: SimServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const text = await readText(req);
  state.counters.requests++;
  const lowerPath = url.pathname.toLowerCase();
  const api = lowerPath.startsWith('/api/');
  state.counters.log.push({
    method,
    path: api ? url.pathname.slice(4) : url.pathname,
    query: Object.fromEntries(url.searchParams),
  });
  if (state.counters.log.length > 1000) state.counters.log.shift();
  const fault = takeFault(state);
  if (fault) throw fault;
  if (method === 'POST' && lowerPath === '/auth/token') {
    state.counters.tokenRequests++;
    const answer = issueToken(state, new URLSearchParams(text), url.searchParams);
    return send(res, answer.status, answer.body);
  }
  if (!api) throw new SimHaloError(404, { message: 'Not found' });
  if (!bearerValid(state, req)) {
    return send(res, 401, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new SimHaloError(400, { '': 'The request body is not valid JSON.' });
  }
  const answer = routeApi(state.store, {
    method,
    path: url.pathname.slice(4),
    query: url.searchParams,
    body,
  });
  if (answer.write)
    state.counters.writes.set(answer.write, (state.counters.writes.get(answer.write) ?? 0) + 1);
  if (answer.listPage) {
    for (const hook of state.pageHooks.splice(0)) {
      // A failing hook must not turn the page into a 500; the check notices the missing change.
      await Promise.resolve()
        .then(hook)
        .catch((err: unknown) => console.warn('onNextPageServed hook failed', err));
    }
  }
  send(res, answer.status ?? 200, answer.body);
}

export function createSimHandler(state: SimServerState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(state, req, res).catch((err: unknown) => {
      if (err instanceof SimHaloError) return send(res, err.status, err.body, err.headers);
      send(res, 500, { message: 'An error has occurred.' });
    });
  };
}
