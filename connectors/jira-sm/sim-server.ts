/**
 * The simulator's HTTP layer: request counting, injected faults (429 with Jira's rate-limit
 * headers), Basic `email:api_token` auth, JSON bodies, routing, Jira's error envelopes, write
 * counters and the `onNextPageServed` hooks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimHttpError, type SimResponse } from './sim-errors.ts';
import { JqlError } from './sim-jql.ts';
import type { SimUser } from './sim-model.ts';
import { findRoute } from './sim-routes.ts';
import type { PageTokenMode } from './sim-search.ts';
import type { SimStore } from './sim-store.ts';

export interface SimFault {
  status: number;
  remaining: number;
  retryAfterSeconds: number;
  reason?: string;
}

export interface SimServerState {
  requests: number;
  writes: Map<string, number>;
  faults: SimFault[];
  pageHooks: Array<() => Promise<void> | void>;
  tokenMode: PageTokenMode;
  /** The last 1000 requests: method, path and, for searches, the JQL. */
  log: Array<{ method: string; path: string; jql?: string }>;
}

/** Jira's burst limit per tenant/endpoint is not published per value; 100 is a stand-in. */
const RATE_LIMIT = 100;

function send(res: ServerResponse, out: SimResponse): void {
  const text =
    out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
  const type = typeof out.body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8';
  res.writeHead(out.status, { ...(text ? { 'content-type': type } : {}), ...out.headers });
  res.end(text);
}

function faultResponse(fault: SimFault, now: number): SimResponse {
  const headers: Record<string, string> = { 'retry-after': String(fault.retryAfterSeconds) };
  if (fault.status !== 429)
    return { status: fault.status, body: { errorMessages: ['Service Unavailable'], errors: {} }, headers };
  return {
    status: 429,
    body: 'Rate limit exceeded.',
    headers: {
      ...headers,
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': new Date(now + fault.retryAfterSeconds * 1000).toISOString(),
      'ratelimit-reason': fault.reason ?? 'jira-burst-based',
    },
  };
}

function authenticate(store: SimStore, header: string | undefined): SimUser | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(header ?? '')?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon > 0 ? store.userByEmail(decoded.slice(0, colon)) : undefined;
  return user?.tokens.includes(decoded.slice(colon + 1)) ? user : undefined;
}

const UNAUTHORIZED: SimResponse = {
  status: 401,
  body: 'Client must be authenticated to access this resource.',
  headers: { 'www-authenticate': 'Basic realm="Jira"', 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createSimHandler(deps: { store: SimStore; state: SimServerState; base: () => string }) {
  const { store, state } = deps;

  async function respond(req: IncomingMessage): Promise<SimResponse> {
    state.requests += 1;
    const raw = await readBody(req);
    const fault = state.faults[0];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) state.faults.shift();
      return faultResponse(fault, store.now());
    }
    const url = new URL(req.url ?? '/', deps.base());
    const method = req.method ?? 'GET';
    const found = findRoute(method, url.pathname);
    const viewer = authenticate(store, req.headers.authorization);
    if (!viewer) return UNAUTHORIZED;
    if (!found)
      return { status: 404, body: { errorMessages: [`null for uri: ${url.pathname}`], errors: {} } };
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      return {
        status: 400,
        body: { errorMessages: ['Unexpected character in the JSON request body.'], errors: {} },
      };
    }
    const out = found.route.handler({
      base: deps.base(),
      store,
      viewer,
      method,
      url,
      body,
      params: found.params,
      tokenMode: state.tokenMode,
    });
    const jql = (body as { jql?: unknown } | undefined)?.jql ?? url.searchParams.get('jql');
    state.log.push({ method, path: url.pathname, ...(typeof jql === 'string' ? { jql } : {}) });
    if (state.log.length > 1000) state.log.shift();
    const isWrite = method !== 'GET' && !found.route.name.includes('/search');
    if (isWrite && out.status < 300)
      state.writes.set(found.route.name, (state.writes.get(found.route.name) ?? 0) + 1);
    if (out.listPage) {
      for (const hook of state.pageHooks.splice(0)) await hook();
    }
    return out;
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      send(res, await respond(req));
    } catch (err) {
      if (err instanceof SimHttpError) {
        return send(res, {
          status: err.status,
          body: { errorMessages: err.errorMessages, errors: err.errors },
        });
      }
      if (err instanceof JqlError)
        return send(res, { status: 400, body: { errorMessages: [err.message], errors: {} } });
      send(res, {
        status: 500,
        body: { errorMessages: [err instanceof Error ? err.message : 'simulator error'], errors: {} },
      });
    }
  };
}
