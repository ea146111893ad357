/**
 * A local Freshservice API v2 for tests, the demo and end-to-end runs, on `node:http` port 0.
 *
 * Serves `http://127.0.0.1:<port>/api/v2` with API-key Basic auth, `{ticket}`/`{tickets}`
 * envelopes, `updated_since`/`order_by`/`order_type` listing paged by page number with a `Link`
 * header, the filter API for the correlation custom field, notes and conversations, agents,
 * Freshworks error bodies, the per-minute limit with `X-RateLimit-*` headers and 429 +
 * `Retry-After`, and Workflow Automator webhooks. Levers act as an agent in the agent portal.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FreshserviceConfig } from './config.ts';
import { renderConversation, renderTicket } from './sim-render.ts';
import { type SimEnv, simRoutes } from './sim-routes.ts';
import { API_BASE_PATH, createSimHandler, type SimCounters, type SimFault } from './sim-server.ts';
import { createSimStore, type SimAgent, type TicketInput } from './sim-store.ts';
import { createSimWebhooks, webhookBody } from './sim-webhooks.ts';

export interface FreshserviceSimulatorOptions {
  clock?: Date;
  /** Account requests per minute. Default 400 (the Pro plan). */
  perMinute?: number;
  /** Ticket custom fields the account has. Default `['cf_hub_ticket_id']`. */
  customFields?: string[];
}

export interface SimTicketInput {
  subject: string;
  description?: string;
  status?: number;
  priority?: number;
  responderId?: number | null;
  requesterEmail?: string;
  customFields?: Record<string, string>;
  /** The department (MSP mode: company), e.g. SIM_DEPARTMENTS.contoso. */
  departmentId?: number | null;
  groupId?: number | null;
  category?: string | null;
}

export interface SimTicketChange {
  subject?: string;
  status?: number;
  priority?: number;
  responderId?: number | null;
  departmentId?: number | null;
  groupId?: number | null;
  category?: string | null;
}

/** Two customer departments (Freshservice MSP mode shows them as companies). */
export const SIM_DEPARTMENTS = { contoso: 27_000_050_001, globex: 27_000_050_002 } as const;

export const SIM_API_KEY = 'simFreshserviceApiKey0123456789';
export const SIM_WEBHOOK_HEADER = 'X-Hub-Webhook-Secret';
export const SIM_WEBHOOK_SECRET = 'sim-shared-webhook-secret-5f1e9c';

const toInput = (c: SimTicketChange): TicketInput => ({
  ...(c.subject !== undefined ? { subject: c.subject } : {}),
  ...(c.status !== undefined ? { status: c.status } : {}),
  ...(c.priority !== undefined ? { priority: c.priority } : {}),
  ...(c.responderId !== undefined ? { responder_id: c.responderId } : {}),
  ...(c.departmentId !== undefined ? { department_id: c.departmentId } : {}),
  ...(c.groupId !== undefined ? { group_id: c.groupId } : {}),
  ...(c.category !== undefined ? { category: c.category } : {}),
});

export async function createFreshserviceSimulator(options: FreshserviceSimulatorOptions = {}) {
  let frozen: Date | null = options.clock ? new Date(options.clock) : null;
  let offsetMs = 0;
  const now = () => (frozen ? new Date(frozen) : new Date(Date.now() + offsetMs));
  const store = createSimStore(now, options.customFields ?? ['cf_hub_ticket_id']);
  const webhooks = createSimWebhooks();
  const apiAgent = store.addAgent({ firstName: 'Hub', lastName: 'Sync', email: 'hub-sync@acme.example' });
  const maria = store.addAgent({ firstName: 'Maria', lastName: 'Lopez', email: 'maria.lopez@acme.example' });
  const tom = store.addAgent({ firstName: 'Tom', lastName: 'Becker', email: 'tom.becker@acme.example' });
  const requester = store.requesterFor('sam.ortiz@acme.example');
  const keys = new Map<string, SimAgent>([[SIM_API_KEY, apiAgent]]);

  const faults: SimFault[] = [];
  const counters: SimCounters = { requests: 0, writes: new Map(), log: [] };
  let perMinute = options.perMinute ?? 400;
  const pageHooks: Array<() => Promise<void> | void> = [];
  let handler: ReturnType<typeof createSimHandler> | undefined;
  const server = createServer((req, res) => void handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: SimEnv = {
    store,
    now,
    async afterListPage() {
      for (const hook of pageHooks.splice(0)) await hook();
    },
    onChange: (change) => webhooks.onChange(change),
  };
  handler = createSimHandler({
    routes: simRoutes,
    env,
    agentForKey: (key) => keys.get(key) ?? null,
    faults,
    counters,
    perMinute: () => perMinute,
  });

  return {
    origin,
    apiBase: `${origin}${API_BASE_PATH}`,
    people: { apiAgent, maria, tom, requester },
    store,
    /** A connector config pointing here (override any field). */
    connectorConfig(overrides: Partial<FreshserviceConfig> = {}): FreshserviceConfig {
      return {
        baseUrl: origin,
        apiKey: SIM_API_KEY,
        defaultRequesterEmail: requester.email,
        correlationField: 'cf_hub_ticket_id',
        pageSize: 100,
        overlapSeconds: 60,
        webhookSecret: SIM_WEBHOOK_SECRET,
        webhookHeader: SIM_WEBHOOK_HEADER,
        ...overrides,
      };
    },
    now,
    /** Freeze the clock at `at` (many changes then share one second); null resumes real time. */
    setClock(at: Date | null) {
      frozen = at ? new Date(at) : null;
    },
    advanceClock(ms: number) {
      if (frozen) frozen = new Date(frozen.getTime() + ms);
      else offsetMs += ms;
    },
    setRateLimit(requestsPerMinute: number) {
      perMinute = requestsPerMinute;
    },

    /** Raise a ticket as an agent in the agent portal. */
    createTicket(input: SimTicketInput): number {
      const change = store.createTicket({
        ...toInput(input),
        description: input.description ?? `<div>${input.subject}</div>`,
        email: input.requesterEmail ?? requester.email,
        ...(input.customFields ? { custom_fields: input.customFields } : {}),
      });
      webhooks.onChange(change);
      return change.ticket.id;
    },
    updateTicket(id: number, change: SimTicketChange) {
      webhooks.onChange(store.updateTicket(id, toInput(change)));
    },
    /** A note (private or public) or, with `reply`, a public reply emailed to the requester. */
    addConversation(id: number, body: string, opts: { private: boolean; reply?: boolean; as?: number }) {
      const source = opts.reply ? 0 : 2;
      const { change } = store.addConversation(
        id,
        { body, private: opts.private },
        opts.as ?? maria.id,
        source,
      );
      webhooks.onChange(change);
    },
    ensureAgent(agent: { email: string; name: string }): SimAgent {
      const [firstName = agent.name, ...rest] = agent.name.split(' ');
      return (
        store.agentByEmail(agent.email) ??
        store.addAgent({ firstName, lastName: rest.join(' '), email: agent.email })
      );
    },
    ticket: (id: number) => renderTicket(store, store.requireTicket(id)),
    conversations: (id: number) =>
      (store.conversations.get(store.requireTicket(id).id) ?? []).map(renderConversation),
    countCorrelated: (hubTicketId: string, field = 'cf_hub_ticket_id') =>
      [...store.tickets.values()].filter((t) => t.customFields[field] === hubTicketId).length,

    /** Set up the automator rule's webhook action, as an admin would. */
    connectWebhook(url: string, opts: { header?: string; secret?: string } = {}) {
      webhooks.connect({
        url,
        header: opts.header ?? SIM_WEBHOOK_HEADER,
        secret: opts.secret ?? SIM_WEBHOOK_SECRET,
      });
    },
    disconnectWebhook: () => webhooks.connect(null),
    flushWebhooks: () => webhooks.flush(),
    deliveries: () => [...webhooks.deliveries],
    /** The request the automator would send for a change to ticket `id`. */
    webhookRequest(id: number) {
      const rawBody = webhookBody({ ticket: store.requireTicket(id), event: 'ticket_updated' });
      return {
        rawBody,
        headers: {
          'content-type': 'application/json',
          [SIM_WEBHOOK_HEADER.toLowerCase()]: SIM_WEBHOOK_SECRET,
        },
      };
    },

    injectRateLimit(count: number, retryAfterSeconds: number) {
      faults.push({ status: 429, retryAfterSeconds, remaining: count });
    },
    injectServerError(count: number, status = 500) {
      faults.push({ status, remaining: count });
    },
    /** Run `fn` once the next `GET /tickets` page is built, before it is sent. */
    onNextPageServed(fn: () => Promise<void> | void) {
      pageHooks.push(fn);
    },
    requestCount: () => counters.requests,
    writeCounts: (): Record<string, number> => Object.fromEntries(counters.writes),
    writeCount: () => [...counters.writes.values()].reduce((a, b) => a + b, 0),
    requestLog: () => [...counters.log],
    resetCounters() {
      counters.requests = 0;
      counters.writes.clear();
      counters.log.length = 0;
    },
    async close() {
      await Promise.race([webhooks.flush(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FreshserviceSimulator = Awaited<ReturnType<typeof createFreshserviceSimulator>>;
