/**
 * The simulator's HTTP plumbing below `/api/v2`: API-token Basic auth, injected faults, Zendesk's
 * per-minute rate limits (account-wide, and 10/min on the incremental export) with `X-Rate-Limit`,
 * `X-Rate-Limit-Remaining` and 429 + `Retry-After`, counters, JSON bodies and error envelopes.
 * Rate-limit windows run on the wall clock, not the settable one, so a frozen clock cannot stall them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimHttpError } from './sim-errors.ts';
import type { SimEnv, SimResponse, SimRoute } from './sim-routes.ts';
import type { SimUser } from './sim-store.ts';

export const API_BASE_PATH = '/api/v2';

export interface SimFault {
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export interface SimLimits {
  /** Account-wide requests per minute (plan-based at Zendesk; 700 on Enterprise). */
  perMinute: number;
  /** Requests per minute to the incremental export (10 at Zendesk); null disables it. */
  exportPerMinute: number | null;
}

export interface SimCounters {
  requests: number;
  writes: Map<string, number>;
  log: Array<{ method: string; path: string; query: Record<string, string> }>;
}

export interface SimHandlerDeps {
  routes: SimRoute[];
  env: SimEnv;
  /** API token -> the user it belongs to. */
  userForToken(email: string, token: string): SimUser | null;
  faults: SimFault[];
  counters: SimCounters;
  limits: SimLimits;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const unauthorized = () => new SimHttpError(401, { error: "Couldn't authenticate you" });

/** The agent behind `Authorization`, null without one (anonymous), or a 401 for a bad token. */
function authenticate(req: IncomingMessage, deps: SimHandlerDeps): SimUser | null {
  const auth = req.headers.authorization;
  if (!auth) return null;
  if (!auth.toLowerCase().startsWith('basic ')) throw unauthorized();
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const m = /^([^:]+)\/token:(.+)$/.exec(decoded);
  const user = m ? deps.userForToken(m[1]!, m[2]!) : null;
  if (!user) throw unauthorized();
  return user;
}

function createWindow(limit: () => number | null) {
  let windowStart = 0;
  let used = 0;
  return {
    /** Counts one request; returns the remaining budget, or the seconds to wait when over. */
    take(): { remaining: number; limit: number } | { retryAfter: number } | null {
      const max = limit();
      if (max === null) return null;
      const now = Date.now();
      if (now - windowStart >= 60_000) {
        windowStart = now;
        used = 0;
      }
      if (used >= max) return { retryAfter: Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000)) };
      used += 1;
      return { remaining: max - used, limit: max };
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimHttpError(400, {
      error: 'Unprocessable Entity',
      description: 'Server could not parse JSON',
    });
  }
}

const tooMany = (retryAfter: number, headers: Record<string, string> = {}) =>
  new SimHttpError(
    429,
    { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
    { 'retry-after': String(retryAfter), ...headers },
  );

export function createSimHandler(deps: SimHandlerDeps) {
  const account = createWindow(() => deps.limits.perMinute);
  const exportWindow = createWindow(() => deps.limits.exportPerMinute);

  async function handle(req: IncomingMessage, url: URL): Promise<SimResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.slice(API_BASE_PATH.length);
    deps.counters.requests += 1;
    deps.counters.log.push({ method, path, query: Object.fromEntries(url.searchParams) });
    if (deps.counters.log.length > 1000) deps.counters.log.shift();
    const fault = deps.faults[0];
    if (fault) {
      if (--fault.remaining <= 0) deps.faults.shift();
      if (fault.status === 429) throw tooMany(fault.retryAfterSeconds ?? 1);
      throw new SimHttpError(fault.status, { error: 'ServerError', description: `injected ${fault.status}` });
    }
    const actor = authenticate(req, deps);
    const route = deps.routes.find((r) => r.pattern.test(path) && r.method === method);
    if (!route) {
      const known = deps.routes.some((r) => r.pattern.test(path));
      throw new SimHttpError(known ? 405 : 404, { error: 'InvalidEndpoint', description: 'Not found' });
    }
    if (!actor && !route.anonymous) throw unauthorized();
    const budget = account.take();
    const rateHeaders: Record<string, string> =
      budget && 'limit' in budget
        ? { 'x-rate-limit': String(budget.limit), 'x-rate-limit-remaining': String(budget.remaining) }
        : {};
    if (budget && 'retryAfter' in budget) throw tooMany(budget.retryAfter, { 'x-rate-limit-remaining': '0' });
    if (route.key === 'GET /incremental/tickets/cursor.json') {
      const exported = exportWindow.take();
      if (exported && 'retryAfter' in exported) throw tooMany(exported.retryAfter, rateHeaders);
    }
    const body = await readJson(req);
    if (method !== 'GET') deps.counters.writes.set(route.key, (deps.counters.writes.get(route.key) ?? 0) + 1);
    const params = route.pattern.exec(path)!.slice(1);
    const answer = await route.handle({ url, params, body, actor }, deps.env);
    return { ...answer, headers: { ...rateHeaders, ...answer.headers } };
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'sim.invalid'}`);
    try {
      if (!url.pathname.startsWith(`${API_BASE_PATH}/`))
        throw new SimHttpError(404, { error: 'InvalidEndpoint', description: 'Not found' });
      const answer = await handle(req, url);
      send(res, answer.status ?? 200, answer.body, answer.headers);
    } catch (err) {
      if (err instanceof SimHttpError) return send(res, err.status, err.body, err.headers);
      send(res, 500, { error: 'InternalError', description: 'simulator error' });
    }
  };
}
