/**
 * The simulator's HTTP plumbing below `/api/v2`: API-key Basic auth (`{key}:X`), injected faults,
 * Freshservice's per-minute account limit with `X-RateLimit-Total`, `X-RateLimit-Remaining`,
 * `X-RateLimit-Used-CurrentRequest` (an `include` costs one more credit) and 429 + `Retry-After`.
 * Failed calls count against the limit too. The `Date` header follows the simulator's clock;
 * rate-limit windows run on the wall clock so a frozen clock cannot stall them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimHttpError, unauthorized } from './sim-errors.ts';
import type { SimEnv, SimResponse, SimRoute } from './sim-routes.ts';
import type { SimAgent } from './sim-store.ts';

export const API_BASE_PATH = '/api/v2';

export interface SimFault {
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export interface SimCounters {
  requests: number;
  writes: Map<string, number>;
  log: Array<{ method: string; path: string; query: Record<string, string> }>;
}

export interface SimHandlerDeps {
  routes: SimRoute[];
  env: SimEnv;
  agentForKey(apiKey: string): SimAgent | null;
  faults: SimFault[];
  counters: SimCounters;
  /** Requests per minute for the account (plan-based: 100 Starter .. 500 Enterprise). */
  perMinute: () => number;
}

function authenticate(req: IncomingMessage, deps: SimHandlerDeps): SimAgent {
  const auth = req.headers.authorization;
  if (!auth?.toLowerCase().startsWith('basic ')) throw unauthorized();
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.lastIndexOf(':');
  const agent = colon > 0 ? deps.agentForKey(decoded.slice(0, colon)) : null;
  if (!agent) throw unauthorized();
  return agent;
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
      description: 'Validation failed',
      errors: [{ field: 'body', message: 'Invalid JSON', code: 'invalid_json' }],
    });
  }
}

export function createSimHandler(deps: SimHandlerDeps) {
  let windowStart = 0;
  let used = 0;

  function rateLimit(cost: number): Record<string, string> {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      used = 0;
    }
    const total = deps.perMinute();
    if (used + cost > total) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000));
      throw new SimHttpError(
        429,
        { message: `You have exceeded the limit of requests per minute` },
        {
          'retry-after': String(retryAfter),
          'x-ratelimit-total': String(total),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used-currentrequest': '0',
        },
      );
    }
    used += cost;
    return {
      'x-ratelimit-total': String(total),
      'x-ratelimit-remaining': String(total - used),
      'x-ratelimit-used-currentrequest': String(cost),
    };
  }

  async function handle(req: IncomingMessage, url: URL): Promise<SimResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.slice(API_BASE_PATH.length).replace(/\/+$/, '');
    deps.counters.requests += 1;
    deps.counters.log.push({ method, path, query: Object.fromEntries(url.searchParams) });
    if (deps.counters.log.length > 1000) deps.counters.log.shift();
    const fault = deps.faults[0];
    if (fault) {
      if (--fault.remaining <= 0) deps.faults.shift();
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      throw new SimHttpError(fault.status, { message: `injected ${fault.status}` }, headers);
    }
    const rateHeaders = rateLimit(url.searchParams.has('include') ? 2 : 1);
    try {
      const actor = authenticate(req, deps);
      const route = deps.routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) {
        const known = deps.routes.some((r) => r.pattern.test(path));
        throw new SimHttpError(known ? 405 : 404, {
          code: 'invalid_path',
          message: 'This path is not valid',
        });
      }
      const body = await readJson(req);
      if (method !== 'GET')
        deps.counters.writes.set(route.key, (deps.counters.writes.get(route.key) ?? 0) + 1);
      const answer = await route.handle(
        { url, params: route.pattern.exec(path)!.slice(1), body, actor },
        deps.env,
      );
      return { ...answer, headers: { ...rateHeaders, ...answer.headers } };
    } catch (err) {
      if (err instanceof SimHttpError)
        throw new SimHttpError(err.status, err.body, { ...rateHeaders, ...err.headers });
      throw err;
    }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'sim.invalid'}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        date: deps.env.now().toUTCString(),
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    try {
      if (!url.pathname.startsWith(`${API_BASE_PATH}/`))
        throw new SimHttpError(404, { code: 'invalid_path', message: 'This path is not valid' });
      const answer = await handle(req, url);
      send(answer.status ?? 200, answer.body, answer.headers);
    } catch (err) {
      if (err instanceof SimHttpError) return send(err.status, err.body, err.headers);
      send(500, { message: 'simulator error' });
    }
  };
}
