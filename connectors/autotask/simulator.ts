/**
 * A local Autotask PSA REST API for tests, the demo and end-to-end runs.
 *
 * Serves the zone lookup at `http://127.0.0.1:<port>/atservicesrest/v1.0/zoneInformation?user=`
 * and the database at `http://127.0.0.1:<port>/webservices5/ATServicesRest/V1.0`, with Autotask's
 * header auth, query grammar and id-cursor paging, `{item}`/`{itemId}`/`{errors}` envelopes,
 * picklist metadata, the request threshold and thread limit, injectable 429/500s, and signed
 * webhook callouts. The levers act "as a technician in the Autotask UI".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AutotaskConfig, AutotaskConfigSchema } from './config.ts';
import { createSimLimits, type SimLimitOptions } from './sim-limits.ts';
import { type SimEnv, simRoutes } from './sim-routes.ts';
import { API_USERNAME, SIM_COMPANY_ID } from './sim-seed.ts';
import {
  createSimHandler,
  type SimCredentials,
  type SimRequestLogEntry,
  type SimServerState,
} from './sim-server.ts';
import { createSimStore } from './sim-store.ts';
import { createVendorLevers } from './sim-vendor.ts';
import { createSimWebhooks } from './sim-webhooks.ts';

export type { SimRequestLogEntry } from './sim-server.ts';

export interface AutotaskSimulatorOptions extends SimLimitOptions {
  credentials?: Partial<SimCredentials>;
  /** Start with the data clock frozen here (see `setClock`). */
  clock?: Date;
  /** Hold every API request this long (to make the thread limit observable). */
  latencyMs?: number;
}

export const DEFAULT_SIM_CREDENTIALS: SimCredentials = {
  username: API_USERNAME,
  secret: 'sim-secret-Zx81',
  integrationCode: 'HUBSIMINTEGRATION01',
};

export async function createAutotaskSimulator(options: AutotaskSimulatorOptions = {}) {
  let frozen: Date | null = options.clock ? new Date(options.clock) : null;
  let offsetMs = 0;
  const now = () => (frozen ? new Date(frozen) : new Date(Date.now() + offsetMs));
  const pageHooks: Array<() => Promise<void> | void> = [];
  const store = createSimStore(now);
  const webhooks = createSimWebhooks(now);
  store.onChange((change) => webhooks.onChange(change));
  const limits = createSimLimits(options);
  const env: SimEnv = {
    store,
    webhooks,
    limits,
    async afterTicketPage() {
      for (const hook of pageHooks.splice(0)) await hook();
    },
  };
  const state: SimServerState = {
    origin: '',
    zone: 'webservices5',
    credentials: { ...DEFAULT_SIM_CREDENTIALS, ...options.credentials },
    faults: [],
    counters: { requests: 0, byPath: new Map(), writes: new Map(), log: [] },
    latencyMs: options.latencyMs ?? 0,
  };
  const handler = createSimHandler(state, simRoutes, env);
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  const zoneLookupUrl = `${state.origin}/atservicesrest`;

  return {
    port,
    origin: state.origin,
    zoneLookupUrl,
    credentials: state.credentials,
    store,
    companyId: SIM_COMPANY_ID,
    queueId: 29683354,
    /** The database's REST root now (moves with `moveZone`). */
    apiBase: () => `${state.origin}/${state.zone}/ATServicesRest/V1.0`,

    /** A connector config pointing at this simulator (override any field). */
    connectorConfig(overrides: Partial<AutotaskConfig> = {}): AutotaskConfig {
      return AutotaskConfigSchema.parse({
        zoneLookupUrl,
        ...state.credentials,
        companyId: SIM_COMPANY_ID,
        queueId: 29683354,
        webhookSecretKey: 'sim-webhook-key-4242',
        ...overrides,
      });
    },

    now,
    /** Freeze the data clock at `at`; `null` resumes real time. */
    setClock(at: Date | null) {
      frozen = at ? new Date(at) : null;
    },
    advanceClock(ms: number) {
      if (frozen) frozen = new Date(frozen.getTime() + ms);
      else offsetMs += ms;
    },
    /** Move the database to another zone: the old zone answers 401 from now on. */
    moveZone(zone = 'webservices6') {
      state.zone = zone;
    },

    ...createVendorLevers(store, webhooks),

    /** Answer the next `count` API requests with 429 and `Retry-After: retryAfterSeconds`. */
    injectRateLimit(count: number, retryAfterSeconds: number) {
      state.faults.push({ status: 429, retryAfterSeconds, remaining: count });
    },
    /** Answer the next `count` API requests with `status` (default 500). */
    injectServerError(count: number, status = 500) {
      state.faults.push({ status, remaining: count });
    },
    /** Run `fn` once the next Tickets query page is computed, before it is sent. */
    onNextPageServed(fn: () => Promise<void> | void) {
      pageHooks.push(fn);
    },
    /** API requests received (zone lookups excluded; rejected and faulted ones included). */
    requestCount: () => state.counters.requests,
    /** Writes that reached a route, by key, e.g. `{ 'PATCH /Tickets': 2 }`. */
    writeCounts: (): Record<string, number> => Object.fromEntries(state.counters.writes),
    writeCount: (key?: string) =>
      key === undefined
        ? [...state.counters.writes.values()].reduce((a, b) => a + b, 0)
        : (state.counters.writes.get(key) ?? 0),
    requestLog: (): SimRequestLogEntry[] => [...state.counters.log],
    /** API requests by method and path (ids as `{id}`), e.g. `{ 'GET /ThresholdInformation': 3 }`. */
    requestsByPath: (): Record<string, number> => Object.fromEntries(state.counters.byPath),
    /** Change the request threshold or its (scaled) timeframe, e.g. between two bench runs. */
    setLimits: (next: Pick<SimLimitOptions, 'threshold' | 'hourMs'>) => limits.configure(next),
    /** 429s the simulator sent because of the threshold or the thread limit. */
    limitRejections: () => limits.rejections(),
    thresholdUsed: () => limits.used(),
    resetCounters() {
      state.counters.requests = 0;
      state.counters.byPath.clear();
      state.counters.writes.clear();
      state.counters.log.length = 0;
      limits.reset();
    },
    async close() {
      await Promise.race([webhooks.flush(), new Promise((r) => setTimeout(r, 6_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type AutotaskSimulator = Awaited<ReturnType<typeof createAutotaskSimulator>>;
