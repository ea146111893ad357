/**
 * The simulator's HTTP plumbing: Basic and Bearer auth, the OAuth token endpoint, injected faults,
 * the rate-limit rule (429 + `Retry-After` + `X-RateLimit-*`), counters, JSON bodies and
 * ServiceNow's error envelope. Table routes live in `sim-routes.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, notAuthenticated, SimHttpError } from './sim-errors.ts';
import { handleTable, type SimEnv } from './sim-routes.ts';
import type { SimActor } from './sim-store.ts';

export interface SimCredentials {
  username: string;
  password: string;
  oauthClientId: string;
  oauthClientSecret: string;
}

export interface SimFault {
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export interface SimRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
}

export interface SimCounters {
  requests: number;
  /** `METHOD table` -> writes that reached the Table API (after auth and faults). */
  writes: Map<string, number>;
  log: SimRequestLogEntry[];
}

export interface SimServerDeps {
  credentials: SimCredentials;
  env: SimEnv;
  faults: SimFault[];
  counters: SimCounters;
  /** Requests per hour before the rule answers 429 (null: no rule). */
  hourlyLimit: () => number | null;
  actorFor: (userName: string) => SimActor | undefined;
}

/** sys_id of the simulated Inbound REST rate limit rule, sent as `X-RateLimit-Rule`. */
export const RATE_LIMIT_RULE = '4f9b5d1a1b2c30104e6a0f3e2d4c5b6a';
const TOKEN_TTL_SECONDS = 1799;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'x-is-logged-in': 'true',
    ...headers,
  });
  res.end(status === 204 || body === undefined ? undefined : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 2_000_000) throw badRequest('Request entity too large', null);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Exception while reading request', 'The payload is not valid JSON.');
  }
}

export function createSimHandler(deps: SimServerDeps) {
  const tokens = new Map<string, { userName: string; expiresAt: number }>();
  const hourly = { windowStart: 0, count: 0 };
  // Tokens and rate windows run on the wall clock: the settable clock only stamps records.
  const now = () => Date.now();

  function rateHeaders(limit: number, resetAt: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-reset': String(Math.floor(resetAt / 1000)),
      'x-ratelimit-rule': RATE_LIMIT_RULE,
    };
  }

  function takeFault() {
    const fault = deps.faults[0];
    if (!fault) return;
    if (--fault.remaining <= 0) deps.faults.shift();
    if (fault.status !== 429)
      throw new SimHttpError(fault.status, 'Internal Server Error', 'injected failure');
    const wait = fault.retryAfterSeconds ?? 1;
    throw new SimHttpError(429, 'Too many requests', 'Rate limit exceeded for rule hub integration', {
      'retry-after': String(wait),
      ...rateHeaders(deps.hourlyLimit() ?? 1000, now() + wait * 1000),
    });
  }

  /** The hourly rule: counted per clock hour, like a rule whose window resets on the hour. */
  function enforceHourly(): Record<string, string> {
    const limit = deps.hourlyLimit();
    if (limit === null) return {};
    const windowStart = Math.floor(now() / 3_600_000) * 3_600_000;
    if (windowStart !== hourly.windowStart) Object.assign(hourly, { windowStart, count: 0 });
    const headers = rateHeaders(limit, windowStart + 3_600_000);
    if (++hourly.count > limit) {
      const wait = Math.max(1, Math.ceil((windowStart + 3_600_000 - now()) / 1000));
      throw new SimHttpError(429, 'Too many requests', 'Rate limit exceeded for rule hub integration', {
        ...headers,
        'retry-after': String(wait),
      });
    }
    return headers;
  }

  function authenticate(req: IncomingMessage): SimActor {
    const auth = req.headers.authorization ?? '';
    let userName: string | undefined;
    if (/^basic /i.test(auth)) {
      const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const ok =
        colon > 0 &&
        decoded.slice(0, colon) === deps.credentials.username &&
        decoded.slice(colon + 1) === deps.credentials.password;
      if (ok) userName = deps.credentials.username;
    } else if (/^bearer /i.test(auth)) {
      const token = tokens.get(auth.slice(7).trim());
      if (token && token.expiresAt > now()) userName = token.userName;
    }
    const actor = userName ? deps.actorFor(userName) : undefined;
    if (!actor) throw notAuthenticated();
    return actor;
  }

  function issueToken(text: string) {
    const form = new URLSearchParams(text);
    const c = deps.credentials;
    const ok =
      form.get('grant_type') === 'password' &&
      form.get('client_id') === c.oauthClientId &&
      form.get('client_secret') === c.oauthClientSecret &&
      form.get('username') === c.username &&
      form.get('password') === c.password;
    if (!ok) return { status: 401, body: { error_description: 'access_denied', error: 'server_error' } };
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { userName: c.username, expiresAt: now() + TOKEN_TTL_SECONDS * 1000 });
    const body = {
      access_token: token,
      refresh_token: randomBytes(32).toString('base64url'),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
    };
    return { status: 200, body };
  }

  async function handle(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ status: number; body?: unknown; headers: Record<string, string> }> {
    const method = (req.method ?? 'GET').toUpperCase();
    deps.counters.requests++;
    deps.counters.log.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (deps.counters.log.length > 1000) deps.counters.log.shift();
    takeFault();
    const text = await readBody(req);
    if (method === 'POST' && url.pathname === '/oauth_token.do') return { ...issueToken(text), headers: {} };
    const m = /^\/api\/now\/(?:v\d+\/)?table\/([a-z0-9_]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m?.[1]) throw new SimHttpError(400, 'Requested URI does not represent any resource', null);
    const actor = authenticate(req);
    const rate = enforceHourly();
    const body = method === 'GET' || method === 'DELETE' ? undefined : parseJson(text);
    if (method !== 'GET') {
      const key = `${method} ${m[1]}`;
      deps.counters.writes.set(key, (deps.counters.writes.get(key) ?? 0) + 1);
    }
    const answer = await handleTable({ method, url, table: m[1], sysId: m[2], body, actor }, deps.env);
    return { status: answer.status ?? 200, body: answer.body, headers: { ...rate, ...answer.headers } };
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    try {
      const answer = await handle(req, url);
      send(res, answer.status, answer.body, answer.headers);
    } catch (err) {
      if (err instanceof SimHttpError) return send(res, err.status, err.body, err.headers);
      send(res, 500, {
        error: { message: 'Internal Server Error', detail: 'simulator error' },
        status: 'failure',
      });
    }
  };
}
