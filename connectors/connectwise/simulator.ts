/**
 * A local ConnectWise PSA (Manage) REST API for tests, the demo and end-to-end runs.
 *
 * Serves `http://127.0.0.1:<port>/v4_6_release/apis/3.0` with CW's auth (Basic
 * `company+public:private` plus `clientId`), paths, envelopes, `conditions`/`orderBy`, navigable
 * and forward-only paging with `Link`, errors, injectable 429/500, and signed callbacks. The levers
 * below act "as an MSP technician in the CW UI": they bump `lastUpdated` and fire callbacks.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectWiseConfig } from './config.ts';
import { createSimCallbacks, type SimCallbackEntry, type SimDelivery } from './sim-callbacks.ts';
import { createSimLevers } from './sim-levers.ts';
import { type SimEnv, ticketRoutes } from './sim-routes.ts';
import { systemRoutes } from './sim-routes-system.ts';
import { API_MEMBER_ID } from './sim-seed.ts';
import {
  createSimHandler,
  type SimCounters,
  type SimCredentials,
  type SimFault,
  type SimRequestLogEntry,
} from './sim-server.ts';
import { createSimStore } from './sim-store.ts';

export type { SeedTicketInput, SimActorOptions, TicketChangeInput } from './sim-levers.ts';
export type { SimCredentials, SimRequestLogEntry } from './sim-server.ts';

export interface ConnectWiseSimulatorOptions {
  /** Defaults: company `contoso_msp`, keys `simPublicKey`/`simPrivateKey`, a fixed clientId GUID. */
  credentials?: Partial<SimCredentials>;
  /** Start with the clock frozen at this instant (see `setClock`). */
  clock?: Date;
}

export const DEFAULT_SIM_CREDENTIALS: SimCredentials = {
  companyId: 'contoso_msp',
  publicKey: 'simPublicKey',
  privateKey: 'simPrivateKey',
  clientId: '3f2b9c1e-8a4d-4e6f-9b0a-5c7d1e2f3a4b',
};

const CODEBASE = '/v4_6_release';
const BASE_PATH = `${CODEBASE}/apis/3.0`;

export async function createConnectWiseSimulator(options: ConnectWiseSimulatorOptions = {}) {
  const credentials: SimCredentials = { ...DEFAULT_SIM_CREDENTIALS, ...options.credentials };
  let frozen: Date | null = options.clock ? new Date(options.clock) : null;
  let offsetMs = 0;
  const now = () => (frozen ? new Date(frozen) : new Date(Date.now() + offsetMs));

  const faults: SimFault[] = [];
  const counters: SimCounters = { requests: 0, writes: new Map(), log: [], keyFetches: 0 };
  const pageHooks: Array<() => Promise<void> | void> = [];
  const denied = new Set<string>();
  let handler: ReturnType<typeof createSimHandler> | undefined;
  const server = createServer((req, res) => void handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}${BASE_PATH}`;

  const store = createSimStore({ baseUrl, now });
  const callbacks = createSimCallbacks({ store, origin, companyId: credentials.companyId, now });
  const env: SimEnv = {
    store,
    callbacks,
    publicOrigin: origin,
    async afterTicketPage() {
      for (const hook of pageHooks.splice(0)) await hook();
    },
  };
  handler = createSimHandler({
    basePath: BASE_PATH,
    credentials,
    routes: [...ticketRoutes, ...systemRoutes],
    env,
    apiMember: () => store.memberById(API_MEMBER_ID),
    keyPath: callbacks.keyPath,
    signingKey: callbacks.signingKey,
    faults,
    counters,
    denied,
  });

  return {
    baseUrl,
    origin,
    port,
    credentials,
    /** The board the seeded data and `connectorConfig()` use. */
    boardName: 'Help Desk',
    /** Id of the member the API keys belong to: API writes are made by it. */
    apiMemberId: API_MEMBER_ID,
    seed: store.seed,

    /** A connector config pointing at this simulator (override any field). */
    connectorConfig(overrides: Partial<ConnectWiseConfig> = {}): ConnectWiseConfig {
      return {
        baseUrl,
        ...credentials,
        board: 'Help Desk',
        boards: [],
        company: 'Contoso',
        pageSize: 1000,
        overlapSeconds: 60,
        callbackUrlHostAllowlist: [],
        ...overrides,
      };
    },

    now,
    /** Freeze the clock at `at` (many changes then share one timestamp); `null` resumes real time. */
    setClock(at: Date | null) {
      frozen = at ? new Date(at) : null;
    },
    advanceClock(ms: number) {
      if (frozen) frozen = new Date(frozen.getTime() + ms);
      else offsetMs += ms;
    },

    ...createSimLevers(store),

    /** Callback registrations, as `GET /system/callbacks` lists them. */
    callbacks: (): SimCallbackEntry[] => callbacks.entries.map((e) => ({ ...e })),
    /** Register a callback as an admin would in CW (made by the API member, level `owner`). */
    addCallback(url: string, opts: { isSelfSuppressedFlag?: boolean } = {}): SimCallbackEntry {
      const input = { url, objectId: 1, type: 'ticket', level: 'owner', description: 'simulator', ...opts };
      return { ...callbacks.create(input, API_MEMBER_ID, 'hubapi') };
    },
    /** Change a registration, e.g. `{ inactiveFlag: true }`. */
    updateCallback(
      id: number,
      changes: Partial<Pick<SimCallbackEntry, 'inactiveFlag' | 'isSelfSuppressedFlag' | 'url'>>,
    ) {
      Object.assign(callbacks.find(id), changes);
    },
    /** Every callback POST attempted so far, with the receiver's status. */
    deliveries: (): SimDelivery[] => [...callbacks.deliveries],
    /** Wait until every queued callback has been delivered (or failed). */
    flushCallbacks: () => callbacks.flush(),
    /** A correctly signed callback request for ticket `id`, as CW would POST it. */
    signedCallback(id: number, action: 'added' | 'updated' | 'deleted' = 'updated') {
      const entity = store.render.ticket(store.requireTicket(id));
      const body = callbacks.payload({ action, ticketId: id, entity, by: store.memberById(150) });
      const rawBody = Buffer.from(JSON.stringify(body));
      return {
        body,
        rawBody,
        headers: {
          'content-type': 'application/json',
          'x-content-signature': callbacks.sign(rawBody.toString()),
        },
      };
    },
    keyUrl: callbacks.keyUrl,
    signingKey: callbacks.signingKey,

    /** Answer the next `count` API requests with 429 and `Retry-After: retryAfterSeconds`. */
    injectRateLimit(count: number, retryAfterSeconds: number) {
      faults.push({ status: 429, retryAfterSeconds, remaining: count });
    },
    /** Answer the next `count` API requests with `status` (default 500). */
    injectServerError(count: number, status = 500) {
      faults.push({ status, remaining: count });
    },
    /** Answer 403 to `METHOD /path/{id}` (e.g. `GET /system/members`), as a missing security role would. */
    denyPermission(key: string) {
      denied.add(key);
    },
    /** Run `fn` once the next `GET /service/tickets` page is computed, before it is sent. */
    onNextPageServed(fn: () => Promise<void> | void) {
      pageHooks.push(fn);
    },
    /** API requests received (key_url fetches excluded; rejected and faulted ones included). */
    requestCount: () => counters.requests,
    /** Writes that reached an endpoint, by `METHOD /path/{id}`, e.g. `PATCH /service/tickets/{id}`. */
    writeCounts: (): Record<string, number> => Object.fromEntries(counters.writes),
    /** Total writes, or those to one `METHOD /path` key. */
    writeCount: (key?: string) =>
      key === undefined
        ? [...counters.writes.values()].reduce((a, b) => a + b, 0)
        : (counters.writes.get(key) ?? 0),
    /** The last 1000 API requests (method, path, decoded query), oldest first. */
    requestLog: (): SimRequestLogEntry[] => [...counters.log],
    /** How often the callback signing key was fetched. */
    keyFetchCount: () => counters.keyFetches,
    resetCounters() {
      counters.requests = 0;
      counters.writes.clear();
      counters.log.length = 0;
      counters.keyFetches = 0;
    },

    async close() {
      await Promise.race([callbacks.flush(), new Promise((r) => setTimeout(r, 6_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ConnectWiseSimulator = Awaited<ReturnType<typeof createConnectWiseSimulator>>;
