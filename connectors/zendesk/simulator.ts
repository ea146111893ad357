/**
 * A local Zendesk Support API for tests, the demo and end-to-end runs, on `node:http` port 0.
 *
 * Serves `http://127.0.0.1:<port>/api/v2` with Zendesk's API-token Basic auth, paths, envelopes,
 * the cursor-based incremental export (with the last minute held back), offset-paged lists,
 * `include=users` sideloads, 401/404/422 bodies, rate limits with `X-Rate-Limit` headers and 429 +
 * `Retry-After`, and signed webhooks. The levers act as an agent in the agent workspace would:
 * they bump `updated_at` and fire webhooks.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZendeskConfig } from './config.ts';
import { renderComment, renderTicket } from './sim-render.ts';
import { type SimEnv, simRoutes } from './sim-routes.ts';
import {
  API_BASE_PATH,
  createSimHandler,
  type SimCounters,
  type SimFault,
  type SimLimits,
} from './sim-server.ts';
import { createSimStore, type SimUser, type TicketChanges, type ZdSimStatus } from './sim-store.ts';
import { createSimWebhooks, eventBody, type SignedRequest, signWebhook } from './sim-webhooks.ts';

export interface ZendeskSimulatorOptions {
  /** Start with the clock frozen here (see `setClock`). */
  clock?: Date;
  /** Seconds of recent changes the export holds back. Zendesk: 60. */
  exclusionSeconds?: number;
  /** Account requests per minute (default 700) and export requests per minute (default 10; null: off). */
  limits?: Partial<SimLimits>;
}

export interface SimTicketInput {
  subject: string;
  description?: string;
  status?: ZdSimStatus;
  priority?: 'urgent' | 'high' | 'normal' | 'low' | null;
  assigneeId?: number | null;
  externalId?: string;
  requesterEmail?: string;
  /** The customer organisation, e.g. SIM_ORGANIZATIONS.contoso. */
  organizationId?: number | null;
  groupId?: number | null;
  type?: 'question' | 'incident' | 'problem' | 'task' | null;
  /** The agent acting; default Alice. */
  as?: number;
}

export interface SimTicketChange {
  subject?: string;
  status?: ZdSimStatus;
  priority?: 'urgent' | 'high' | 'normal' | 'low' | null;
  assigneeId?: number | null;
  organizationId?: number | null;
  groupId?: number | null;
  type?: 'question' | 'incident' | 'problem' | 'task' | null;
}

/** Two customer organisations (what tells an MSP's customers apart in one Zendesk account). */
export const SIM_ORGANIZATIONS = { contoso: 360_000_100_001, globex: 360_000_100_002 } as const;

export const SIM_API_EMAIL = 'hub-sync@acme.example';
export const SIM_API_TOKEN = 'simZendeskApiToken0123456789abcdef';
export const SIM_WEBHOOK_SECRET = 'dGhpcyBpcyBhIHNpbXVsYXRlZCBzZWNyZXQ=';

export async function createZendeskSimulator(options: ZendeskSimulatorOptions = {}) {
  let frozen: Date | null = options.clock ? new Date(options.clock) : null;
  let offsetMs = 0;
  const now = () => (frozen ? new Date(frozen) : new Date(Date.now() + offsetMs));
  const store = createSimStore(now);
  const webhooks = createSimWebhooks(store);
  const apiUser = store.addUser({ name: 'Hub Sync', email: SIM_API_EMAIL, role: 'agent' });
  const alice = store.addUser({ name: 'Alice Nguyen', email: 'alice.nguyen@acme.example', role: 'agent' });
  const bob = store.addUser({ name: 'Bob Okafor', email: 'bob.okafor@acme.example', role: 'admin' });
  const requester = store.addUser({
    name: 'Priya Patel',
    email: 'priya.patel@acme.example',
    role: 'end-user',
  });
  const tokens = new Map([[SIM_API_EMAIL, SIM_API_TOKEN]]);

  const faults: SimFault[] = [];
  const counters: SimCounters = { requests: 0, writes: new Map(), log: [] };
  const limits: SimLimits = { perMinute: 700, exportPerMinute: 10, ...options.limits };
  const pageHooks: Array<() => Promise<void> | void> = [];
  let handler: ReturnType<typeof createSimHandler> | undefined;
  const server = createServer((req, res) => void handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiBase = `${origin}${API_BASE_PATH}`;
  const env: SimEnv = {
    store,
    apiBase,
    now,
    exclusionSeconds: options.exclusionSeconds ?? 60,
    async afterExportPage() {
      for (const hook of pageHooks.splice(0)) await hook();
    },
    onWrite: (result) => webhooks.onWrite(result, now()),
  };
  handler = createSimHandler({
    routes: simRoutes,
    env,
    userForToken: (email, token) => (tokens.get(email) === token ? (store.userByEmail(email) ?? null) : null),
    faults,
    counters,
    limits,
  });

  const actorOf = (as: number | undefined) => as ?? alice.id;
  const changesOf = (c: SimTicketChange): TicketChanges => ({
    ...(c.subject !== undefined ? { subject: c.subject } : {}),
    ...(c.status !== undefined ? { status: c.status } : {}),
    ...(c.priority !== undefined ? { priority: c.priority } : {}),
    ...(c.assigneeId !== undefined ? { assignee_id: c.assigneeId } : {}),
    ...(c.organizationId !== undefined ? { organization_id: c.organizationId } : {}),
    ...(c.groupId !== undefined ? { group_id: c.groupId } : {}),
    ...(c.type !== undefined ? { type: c.type } : {}),
  });

  return {
    origin,
    baseUrl: origin,
    apiBase,
    people: { apiUser, alice, bob, requester },
    store,
    /** A connector config pointing here (override any field). */
    connectorConfig(overrides: Partial<ZendeskConfig> = {}): ZendeskConfig {
      return {
        baseUrl: origin,
        email: SIM_API_EMAIL,
        apiToken: SIM_API_TOKEN,
        pageSize: 1000,
        overlapSeconds: 120,
        webhookSigningSecret: SIM_WEBHOOK_SECRET,
        webhookToleranceSeconds: 300,
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
    setExclusionSeconds(seconds: number) {
      env.exclusionSeconds = seconds;
    },
    limits,

    /** Open a ticket as an agent in the agent workspace (channel `web`). */
    createTicket(input: SimTicketInput): number {
      const requesterId = input.requesterEmail
        ? (
            store.userByEmail(input.requesterEmail) ??
            store.addUser({ name: input.requesterEmail, email: input.requesterEmail })
          ).id
        : requester.id;
      const result = store.createTicket(
        {
          ...changesOf(input),
          ...(input.externalId !== undefined ? { external_id: input.externalId } : {}),
          comment: { body: input.description ?? input.subject, public: true },
          requesterId,
        },
        actorOf(input.as),
        'web',
      );
      env.onWrite(result);
      return result.ticket.id;
    },
    /**
     * Change a ticket as an agent would. `stampedSecondsAgo` models a change whose transaction
     * committed after its timestamp: `updated_at` lands that far behind the clock.
     */
    updateTicket(
      id: number,
      change: SimTicketChange,
      opts: { as?: number; stampedSecondsAgo?: number } = {},
    ) {
      const result = store.updateTicket(id, changesOf(change), actorOf(opts.as));
      if (opts.stampedSecondsAgo) result.ticket.updatedMs -= opts.stampedSecondsAgo * 1000;
      env.onWrite(result);
    },
    addComment(id: number, body: string, opts: { public: boolean; as?: number }) {
      env.onWrite(store.updateTicket(id, { comment: { body, public: opts.public } }, actorOf(opts.as)));
    },
    /** A user who can hold tickets (an agent unless told otherwise); existing ones are reused. */
    ensureUser(user: { email: string; name: string; role?: SimUser['role'] }): SimUser {
      return store.userByEmail(user.email) ?? store.addUser({ role: 'agent', ...user });
    },
    ticket: (id: number) => renderTicket(store.requireTicket(id), apiBase),
    comments: (id: number) => store.commentsOf(id).map((c) => renderComment(c)),
    countByExternalId: (externalId: string) =>
      [...store.tickets.values()].filter((t) => t.externalId === externalId).length,

    /** Point webhooks at `url`, signed with `secret`, as an admin would in Admin Center. */
    connectWebhook(url: string, secret = SIM_WEBHOOK_SECRET) {
      webhooks.connect(url, secret);
    },
    flushWebhooks: () => webhooks.flush(),
    deliveries: () => [...webhooks.deliveries],
    /** A correctly signed ticket event for `id`, as Zendesk would POST it at `sentAt`. */
    signedWebhook(id: number, sentAt = new Date(), secret = SIM_WEBHOOK_SECRET): SignedRequest {
      const body = eventBody(
        store.requireTicket(id),
        'status_changed',
        { current: 'open', previous: 'new' },
        now(),
      );
      const rawBody = Buffer.from(JSON.stringify(body));
      return { body, rawBody, headers: signWebhook(secret, rawBody, sentAt) };
    },

    /** Answer the next `count` API requests with 429 and `Retry-After: retryAfterSeconds`. */
    injectRateLimit(count: number, retryAfterSeconds: number) {
      faults.push({ status: 429, retryAfterSeconds, remaining: count });
    },
    injectServerError(count: number, status = 500) {
      faults.push({ status, remaining: count });
    },
    /** Run `fn` once the next export page is built, before it is sent. */
    onNextPageServed(fn: () => Promise<void> | void) {
      pageHooks.push(fn);
    },
    requestCount: () => counters.requests,
    /** API writes that reached an endpoint, by `METHOD /path/{id}`. */
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

export type ZendeskSimulator = Awaited<ReturnType<typeof createZendeskSimulator>>;
