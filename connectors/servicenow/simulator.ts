/**
 * A local ServiceNow instance (Table API) for tests, the demo and end-to-end runs.
 *
 * Serves `http://127.0.0.1:<port>/api/now/table/{table}` for incident, sys_user, sys_user_group and
 * sys_journal_field with Basic auth and OAuth bearer tokens (`/oauth_token.do`), `sysparm_*`
 * parameters, an encoded-query parser, `{ result }` envelopes, `Link` + `X-Total-Count`, UTC
 * `YYYY-MM-DD HH:mm:ss` date-times from a settable clock, journal appends, the default incident
 * data policies, error envelopes, 429 with `Retry-After` and `X-RateLimit-*`, and the hub's
 * Business Rule posting signed change notices. The levers act as a person in the instance would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceNowConfig } from './config.ts';
import { createSimLevers } from './sim-levers.ts';
import { createSimOutbound, type SimBusinessRule } from './sim-outbound.ts';
import type { SimEnv } from './sim-routes.ts';
import {
  createSimHandler,
  type SimCounters,
  type SimCredentials,
  type SimFault,
  type SimRequestLogEntry,
} from './sim-server.ts';
import { createSimStore } from './sim-store.ts';
import { SEED_COMPANIES } from './sim-tables.ts';

export type { SimBusinessRule, SimDelivery } from './sim-outbound.ts';
export type { SimCredentials, SimRequestLogEntry } from './sim-server.ts';

export const DEFAULT_SIM_CREDENTIALS: SimCredentials = {
  username: 'hub.integration',
  password: 'simPassword-9f3a7c',
  oauthClientId: 'ac0dd3408c1031006907010c2cc6ef6d',
  oauthClientSecret: 'simClientSecret-51be2d',
};

export const DEFAULT_SIM_WEBHOOK_SECRET = 'sim-webhook-secret-4b1d9e0c';

export interface ServiceNowSimulatorOptions {
  credentials?: Partial<SimCredentials>;
  /** Start with the clock frozen at this instant (see `setClock`). */
  clock?: Date;
  webhookSecret?: string;
}

export async function createServiceNowSimulator(options: ServiceNowSimulatorOptions = {}) {
  const credentials: SimCredentials = { ...DEFAULT_SIM_CREDENTIALS, ...options.credentials };
  const webhookSecret = options.webhookSecret ?? DEFAULT_SIM_WEBHOOK_SECRET;
  let frozen: Date | null = options.clock ? new Date(options.clock) : null;
  let offsetMs = 0;
  const now = () => (frozen ? new Date(frozen) : new Date(Date.now() + offsetMs));

  const faults: SimFault[] = [];
  const counters: SimCounters = { requests: 0, writes: new Map(), log: [] };
  const pageHooks: Array<() => Promise<void> | void> = [];
  let hourlyLimit: number | null = null;
  let handler: ReturnType<typeof createSimHandler> | undefined;
  const server = createServer((req, res) => void handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const instanceUrl = `http://127.0.0.1:${port}`;

  const store = createSimStore(now);
  const outbound = createSimOutbound(store, { secret: webhookSecret, mode: 'hmac-sha256' });
  const env: SimEnv = {
    store,
    origin: instanceUrl,
    ignoredTerms: [],
    async afterIncidentPage() {
      for (const hook of pageHooks.splice(0)) await hook();
    },
  };
  const actorFor = (userName: string) => {
    const user = store.userByName(userName);
    return user ? { sys_id: user['sys_id']!, user_name: userName } : undefined;
  };
  handler = createSimHandler({
    credentials,
    env,
    faults,
    counters,
    hourlyLimit: () => hourlyLimit,
    actorFor,
  });
  const apiUser = store.userByName(credentials.username);

  return {
    instanceUrl,
    port,
    credentials,
    webhookSecret,
    /** sys_id of the integration user (API writes are made as it). */
    apiUserId: apiUser?.['sys_id'] ?? '',
    /** sys_id of the seeded "Service Desk" group. */
    groupId: store.groupId,
    /** sys_ids of the seeded customer companies (Contoso Ltd, Globex Corp). */
    companyIds: SEED_COMPANIES.map((c) => c.sys_id),

    /** A connector config pointing at this simulator (override any field). */
    connectorConfig(overrides: Partial<ServiceNowConfig> = {}): ServiceNowConfig {
      return {
        instanceUrl,
        auth: 'basic',
        username: credentials.username,
        password: credentials.password,
        scopeQuery: '',
        assignmentGroup: store.groupId,
        pageSize: 100,
        overlapSeconds: 60,
        priorityWrite: 'impact-urgency',
        resolveCloseCode: 'Solution provided',
        resolveCloseNotes: 'Resolved through the co-managed ticket hub.',
        holdReason: '1',
        webhookSecret,
        webhookAuth: 'hmac-sha256',
        webhookToleranceSeconds: 300,
        ...overrides,
      };
    },

    now,
    /** Freeze the clock at `at` (many changes then share one second); `null` resumes real time. */
    setClock(at: Date | null) {
      frozen = at ? new Date(at) : null;
    },
    advanceClock(ms: number) {
      if (frozen) frozen = new Date(frozen.getTime() + ms);
      else offsetMs += ms;
    },

    ...createSimLevers(store),

    /** Install the hub's Business Rule (as an admin would), or remove it with `null`. */
    registerBusinessRule(rule: (Partial<SimBusinessRule> & { url: string }) | null) {
      outbound.register(
        rule && { secret: webhookSecret, mode: 'hmac-sha256', skipUserName: credentials.username, ...rule },
      );
    },
    businessRule: outbound.rule,
    /** Wait until every queued Business Rule POST has been delivered (or failed). */
    flushWebhooks: () => outbound.flush(),
    deliveries: outbound.deliveries,
    /** A correctly signed Business Rule request for `sysId`, as sent at `sentAt` (default now). */
    signedWebhook: outbound.signed,

    /** Answer the next `count` requests with 429, `Retry-After` and the rule's `X-RateLimit-*`. */
    injectRateLimit(count: number, retryAfterSeconds: number) {
      faults.push({ status: 429, retryAfterSeconds, remaining: count });
    },
    /** Answer the next `count` requests with `status` (default 500). */
    injectServerError(count: number, status = 500) {
      faults.push({ status, remaining: count });
    },
    /** An Inbound REST rate limit rule of `perHour` requests per clock hour (null removes it). */
    setHourlyRateLimit(perHour: number | null) {
      hourlyLimit = perHour;
    },
    /** Run `fn` once the next incident list page is built, before it is sent. */
    onNextPageServed(fn: () => Promise<void> | void) {
      pageHooks.push(fn);
    },
    /** Requests received (rejected and faulted ones included). */
    requestCount: () => counters.requests,
    /** Writes that reached the Table API: all, or one `METHOD table` key such as `PATCH incident`. */
    writeCount: (key?: string) =>
      key === undefined
        ? [...counters.writes.values()].reduce((a, b) => a + b, 0)
        : (counters.writes.get(key) ?? 0),
    /** The last 1000 requests (method, path, decoded query), oldest first. */
    requestLog: (): SimRequestLogEntry[] => [...counters.log],
    /** Query terms dropped because they named unknown fields (the instance drops them silently). */
    ignoredQueryTerms: () => [...env.ignoredTerms],
    resetCounters() {
      counters.requests = 0;
      counters.writes.clear();
      counters.log.length = 0;
      env.ignoredTerms.length = 0;
    },

    async close() {
      await Promise.race([outbound.flush(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ServiceNowSimulator = Awaited<ReturnType<typeof createServiceNowSimulator>>;
