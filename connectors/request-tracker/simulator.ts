/**
 * A faithful fake of Request Tracker 5.0.3's REST2 on `node:http`, port 0, for tests and the
 * demo. Same paths and answers as the real server (see `fixtures/` and the README), basic and
 * token auth, a settable one-second clock, and levers a real RT does not have:
 * - `injectRateLimit`: RT itself never rate limits; these 429s (with Retry-After) exist only
 *   to exercise the kit's retries;
 * - `onNextPageServed`: run code right after a `/tickets` page is computed (changes mid-pull);
 * - counters: every request, and writes per endpoint (the hub's e2e tests assert them).
 *
 *   const rt = await startRtSimulator();
 *   const config = { baseUrl: rt.url, token: rt.token };       // or username root, password password
 *   const id = rt.createTicket({ subject: 'Printer on fire', requestor: 'carol@example.com' });
 *   rt.reply(id, 'On it', { internal: true, as: 'hub-alice' });
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RtConfig, rtConfigSchema } from './config.ts';
import type { SimUser } from './sim-model.ts';
import { SimServerError } from './sim-render-records.ts';
import { route, type SimResponse } from './sim-routes.ts';
import { createSimStore, type SimStore } from './sim-store.ts';
import { TicketSqlError } from './sim-ticket-sql.ts';
import { createVendorActions, type SimVendorActions } from './sim-vendor.ts';

export interface RtSimulatorOptions {
  /** RT's $Timezone: how TicketSQL dates are read for users without a preference. Default UTC. */
  timeZone?: string;
  /** Start with the clock fixed here instead of following real time. */
  clock?: Date;
}

export interface RtSimulator extends SimVendorActions {
  /** The connector's `baseUrl` (REST2 is under `${url}/REST/2.0`). */
  url: string;
  /** An auth token for `hub-sync`, the least-privilege integration user. */
  token: string;
  store: SimStore;
  /** Fix the clock at `at` (whole seconds) until set again; `null` follows real time again. */
  setClock(at: Date | null): void;
  now(): Date;
  onNextPageServed(fn: () => Promise<void> | void): void;
  injectRateLimit(count: number, retryAfterSeconds: number): void;
  requestCount(): number;
  /** Writes received per endpoint, e.g. `{ 'POST /ticket': 2, 'PUT /ticket/:id': 1 }`. */
  writeCounts(): Record<string, number>;
  totalWrites(): number;
  resetCounters(): void;
  /** A token for any user (RT: user preferences > Auth Tokens). */
  createToken(userName: string): string;
  /** A parsed connector config pointing here, authenticating with `token`; overrides win. */
  connectorConfig(overrides?: Partial<RtConfig>): RtConfig;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export async function startRtSimulator(options: RtSimulatorOptions = {}): Promise<RtSimulator> {
  const store = createSimStore();
  if (options.clock) store.setClock(options.clock);
  const timeZone = options.timeZone ?? 'UTC';
  const tokens = new Map<string, number>();
  const writes = new Map<string, number>();
  let requests = 0;
  let rateLimit = { remaining: 0, retryAfterSeconds: 1 };
  let pageHook: (() => Promise<void> | void) | null = null;
  let base = '';

  function createToken(userName: string): string {
    const user = store.findUser(userName);
    if (!user) throw new Error(`no simulated RT user ${userName}`);
    const token = `${tokens.size + 1}-${user.id}-${randomBytes(16).toString('hex')}`;
    tokens.set(token, user.id);
    return token;
  }

  function authenticate(req: IncomingMessage, url: URL): SimUser | undefined {
    const header = req.headers.authorization ?? '';
    const token = /^token (.+)$/i.exec(header)?.[1] ?? url.searchParams.get('token');
    if (token) return store.userById(tokens.get(token) ?? -1);
    const basic = /^Basic (.+)$/i.exec(header)?.[1];
    if (!basic) return undefined;
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = store.findUser(decoded.slice(0, colon));
    return user?.password !== undefined && user.password === decoded.slice(colon + 1) ? user : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1;
    const url = new URL(req.url ?? '/', base);
    const raw = await readBody(req);
    if (rateLimit.remaining > 0) {
      rateLimit.remaining -= 1;
      return send(
        res,
        429,
        { message: 'Too Many Requests' },
        { 'retry-after': String(rateLimit.retryAfterSeconds) },
      );
    }
    if (!url.pathname.startsWith('/REST/2.0')) return send(res, 404, { message: 'Not Found' });
    const actor = authenticate(req, url);
    if (!actor) return send(res, 401, { message: 'Unauthorized' });
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      return send(res, 400, { message: 'JSON text must be an object or array' });
    }
    const path = url.pathname.slice('/REST/2.0'.length);
    const ctx = { base: `${base}/REST/2.0`, store, params: url.searchParams };
    let out: SimResponse;
    try {
      out = route({ method: req.method ?? 'GET', path, url, body, actor, ctx, timeZone });
    } catch (err) {
      if (err instanceof TicketSqlError) return send(res, 400, { message: `${err.message}\n` });
      if (err instanceof SimServerError) return send(res, 500, undefined);
      throw err;
    }
    if (out.write) writes.set(out.write, (writes.get(out.write) ?? 0) + 1);
    if (out.listPage && pageHook) {
      const hook = pageHook;
      pageHook = null;
      // A failing hook must not turn the page into a 500; the check notices the missing change.
      await Promise.resolve()
        .then(hook)
        .catch((err: unknown) => console.warn('onNextPageServed hook failed', err));
    }
    send(res, out.status, out.body, out.headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, 500, { message: err instanceof Error ? err.message : 'simulator error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = createToken('hub-sync');

  return {
    url: base,
    token,
    store,
    ...createVendorActions(store),
    setClock: (at) => store.setClock(at),
    now: () => store.now(),
    onNextPageServed(fn) {
      pageHook = fn;
    },
    injectRateLimit(count, retryAfterSeconds) {
      rateLimit = { remaining: count, retryAfterSeconds };
    },
    requestCount: () => requests,
    writeCounts: () => Object.fromEntries(writes),
    totalWrites: () => [...writes.values()].reduce((sum, n) => sum + n, 0),
    resetCounters() {
      requests = 0;
      writes.clear();
    },
    createToken,
    connectorConfig: (overrides = {}) => rtConfigSchema.parse({ baseUrl: base, token, ...overrides }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
