/**
 * A local HaloPSA API for tests, the demo and end-to-end runs, on `node:http` port 0.
 *
 * Serves `POST /auth/token` (client credentials, form encoded, optional `?tenant=`) and `/api`
 * with bearer tokens that expire by the simulator's clock; `GET/POST /api/Tickets` (`pageinate`,
 * `page_size` <= 100, `page_no`, `order`/`order2`, `datesearch`+`startdate`, `excludethese`,
 * `search`), `GET /api/Tickets/{id}`, `GET/POST /api/Actions`, `GET /api/Agent`, `GET /api/Status`;
 * Halo-shaped 400/404 bodies; injectable 429s with `Retry-After`; and outbound webhooks with Basic
 * or header auth. Levers act as a technician in Halo's UI would: they bump `last_update` and fire
 * webhooks.
 *
 *   const sim = await createHaloSimulator();
 *   const config = sim.connectorConfig({ pageSize: 5 });
 *   const id = sim.createTicket({ summary: 'Printer on fire' }).id;
 *   sim.addNote(id, 'Looking now', { internal: true });
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HaloConfig } from './config.ts';
import { createSimLevers } from './sim-levers.ts';
import type { SimStatus } from './sim-model.ts';
import {
  createSimHandler,
  type SimCredentials,
  type SimRequestLogEntry,
  type SimServerState,
} from './sim-server.ts';
import { createSimStore } from './sim-store.ts';
import { createSimWebhooks, type SimWebhookAuth } from './sim-webhooks.ts';

export type { SimCredentials, SimRequestLogEntry } from './sim-server.ts';
export type { SimDelivery, SimWebhookAuth } from './sim-webhooks.ts';

export interface HaloSimulatorOptions {
  credentials?: Partial<SimCredentials>;
  /** The instance's statuses (`GET /api/Status`); defaults in `sim-model.ts` (UNCONFIRMED ids). */
  statuses?: SimStatus[];
  /** Start with the clock frozen here. */
  clock?: Date;
  /** `expires_in` of issued tokens. Default 3600. */
  tokenLifetimeSeconds?: number;
}

export const DEFAULT_SIM_CREDENTIALS: SimCredentials = {
  clientId: '5f2c0a3e-1b7d-4c1e-9f3a-2d6b8e0c4a11',
  clientSecret: 'sim-client-secret-7d41c9a2b8e0',
};

/** The secret the default webhook config authenticates with (Basic `halo:<secret>`). */
export const DEFAULT_WEBHOOK_SECRET = 'sim-webhook-secret-3f9a1c7e5b2d';

export async function createHaloSimulator(options: HaloSimulatorOptions = {}) {
  const store = createSimStore({ statuses: options.statuses, clock: options.clock });
  const webhooks = createSimWebhooks(store);
  const state: SimServerState = {
    store,
    credentials: { ...DEFAULT_SIM_CREDENTIALS, ...options.credentials },
    tokens: new Map(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    faults: [],
    pageHooks: [],
    counters: { requests: 0, tokenRequests: 0, writes: new Map(), log: [] },
  };
  const server = createServer(createSimHandler(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const defaultWebhookAuth: SimWebhookAuth = {
    type: 'basic',
    username: 'halo',
    password: DEFAULT_WEBHOOK_SECRET,
  };

  return {
    baseUrl,
    credentials: state.credentials,
    store,
    /** A connector config pointing at this simulator (override any field). */
    connectorConfig(overrides: Partial<HaloConfig> = {}): HaloConfig {
      return {
        baseUrl,
        tenant: state.credentials.tenant,
        clientId: state.credentials.clientId,
        clientSecret: state.credentials.clientSecret,
        scope: 'all',
        customerId: 12,
        publicOutcome: 'Public Note',
        internalOutcome: 'Private Note',
        pageSize: 100,
        overlapSeconds: 120,
        maxRequestsPerSecond: 50,
        webhookAuth: 'basic',
        webhookUsername: 'halo',
        webhookHeaderName: 'x-hub-webhook-secret',
        webhookSecret: DEFAULT_WEBHOOK_SECRET,
        ...overrides,
      };
    },
    now: () => store.now(),
    /** Freeze the clock at `at` (everything written meanwhile shares it); `null` resumes real time. */
    setClock: (at: Date | null) => store.setClock(at),

    ...createSimLevers(store),

    /** Configure an outbound webhook as an admin would (Configuration > Integrations > Webhooks). */
    addWebhook: (url: string, auth: SimWebhookAuth = defaultWebhookAuth, events?: string[]) =>
      webhooks.add({ url, auth, events }),
    webhookDeliveries: () => [...webhooks.deliveries],
    pauseWebhooks: () => webhooks.pause(),
    flushWebhooks: () => webhooks.flush(),
    /** The request Halo would send for a change to ticket `id`, authenticated with `auth`. */
    webhookFor(id: number, auth: SimWebhookAuth = defaultWebhookAuth) {
      return webhooks.message({ auth }, webhooks.payload({ event: 'Ticket Updated', ticketId: id }));
    },

    /** Answer the next `count` requests with 429 and `Retry-After: retryAfterSeconds`. */
    injectRateLimit(count: number, retryAfterSeconds: number) {
      state.faults.push({ status: 429, retryAfterSeconds, remaining: count });
    },
    injectServerError(count: number, status = 500) {
      state.faults.push({ status, remaining: count });
    },
    /** Revoke every issued token (the next API call answers 401). */
    revokeTokens: () => state.tokens.clear(),
    onNextPageServed(fn: () => Promise<void> | void) {
      state.pageHooks.push(fn);
    },
    requestCount: () => state.counters.requests,
    tokenRequestCount: () => state.counters.tokenRequests,
    /** Writes by `METHOD /path`, e.g. `{ 'POST /Tickets': 2, 'POST /Actions': 1 }`. */
    writeCounts: (): Record<string, number> => Object.fromEntries(state.counters.writes),
    writeCount: () => [...state.counters.writes.values()].reduce((a, b) => a + b, 0),
    requestLog: (): SimRequestLogEntry[] => [...state.counters.log],
    resetCounters() {
      state.counters.requests = 0;
      state.counters.tokenRequests = 0;
      state.counters.writes.clear();
      state.counters.log.length = 0;
    },
    async close() {
      await Promise.race([webhooks.flush(), new Promise((r) => setTimeout(r, 6_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type HaloSimulator = Awaited<ReturnType<typeof createHaloSimulator>>;
