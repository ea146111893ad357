/**
 * A local Jira Cloud site with one JSM service project (`ITS`), for tests, the demo and the
 * end-to-end pair matrix. Serves REST v3 and the JSM request API on `http://127.0.0.1:<port>`
 * with Basic `email:api_token` auth, Jira's envelopes and errors, `/search/jql` with a JQL subset
 * and `nextPageToken`, transitions-only status changes, ADF bodies, signed admin webhooks, and
 * 429s with Jira's rate-limit headers. Levers act as people in the Jira UI (see sim-levers.ts).
 *
 *   const jira = await createJiraSimulator();
 *   const config = jira.connectorConfig({ pageSize: 5 });
 *   const issue = jira.createIssue({ summary: 'VPN drops every hour', assigneeEmail: 'bob@contoso-it.example' });
 *   jira.comment(issue.id, 'Looking into it', { internal: true });
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JiraSmConfig, JiraSmConfigSchema } from './config.ts';
import { createSimLevers } from './sim-levers.ts';
import { API_USER_EMAIL, SIM_PROJECT } from './sim-model.ts';
import type { PageTokenMode } from './sim-search.ts';
import { createSimHandler, type SimFault } from './sim-server.ts';
import type { SimEvent } from './sim-store.ts';
import { createSimStore } from './sim-store.ts';
import { createSimWebhooks } from './sim-webhooks.ts';

export type { SimIssueSeed } from './sim-levers.ts';

export interface JiraSimulatorOptions {
  /** Start with the clock frozen here (see `setClock`). */
  clock?: Date;
  /** The API user's time zone (quoted JQL dates are read in it). Default Australia/Sydney. */
  apiUserTimeZone?: string;
}

export async function createJiraSimulator(options: JiraSimulatorOptions = {}) {
  const store = createSimStore({ clock: options.clock });
  const apiUser = store.userByEmail(API_USER_EMAIL)!;
  if (options.apiUserTimeZone) apiUser.timeZone = options.apiUserTimeZone;
  let base = '';
  const webhooks = createSimWebhooks(store, () => base);
  const state = {
    requests: 0,
    writes: new Map<string, number>(),
    faults: [] as SimFault[],
    pageHooks: [] as Array<() => Promise<void> | void>,
    tokenMode: 'keyset' as PageTokenMode,
    log: [] as Array<{ method: string; path: string; jql?: string }>,
  };
  const handler = createSimHandler({ store, state, base: () => base });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiToken = apiUser.tokens[0]!;

  return {
    url: base,
    store,
    apiUser,
    apiToken,
    projectKey: SIM_PROJECT.key,
    /** A valid connector config pointing here (override any field). */
    connectorConfig(overrides: Partial<JiraSmConfig> = {}): JiraSmConfig {
      return JiraSmConfigSchema.parse({
        siteUrl: base,
        email: API_USER_EMAIL,
        apiToken,
        projectKey: SIM_PROJECT.key,
        ...overrides,
      });
    },
    /** An API token for any user (id.atlassian.com > Security > API tokens). */
    createToken(email: string): string {
      const user = store.userByEmail(email);
      if (!user) throw new Error(`simulator: no Jira user ${email}`);
      const token = `ATATT3xFfGF0sim${user.tokens.length}${Buffer.from(email).toString('base64url')}`;
      user.tokens.push(token);
      return token;
    },
    ...createSimLevers(store),

    now: () => new Date(store.now()),
    /** Freeze the clock at `at` until set again; `null` follows real time. */
    setClock: (at: Date | null) => store.setClock(at),
    /** How `nextPageToken` behaves: a stable keyset position (default) or an offset into a re-run query. */
    setPageTokenMode(mode: PageTokenMode) {
      state.tokenMode = mode;
    },
    /** Run `fn` after the next `/search/jql` page is computed, before it is sent. */
    onNextPageServed(fn: () => Promise<void> | void) {
      state.pageHooks.push(fn);
    },
    /** Answer the next `count` requests with 429, `Retry-After` and Jira's rate-limit headers. */
    injectRateLimit(count: number, retryAfterSeconds: number, reason = 'jira-burst-based') {
      state.faults.push({ status: 429, remaining: count, retryAfterSeconds, reason });
    },
    /** Answer the next `count` requests with `status` (503 carries Retry-After like Jira's). */
    injectServerError(count: number, status = 503) {
      state.faults.push({ status, remaining: count, retryAfterSeconds: 1 });
    },
    requestCount: () => state.requests,
    /** Successful writes per endpoint, e.g. `{ 'POST /rest/api/3/issue': 1 }`. */
    writeCounts: (): Record<string, number> => Object.fromEntries(state.writes),
    totalWrites: () => [...state.writes.values()].reduce((a, b) => a + b, 0),
    /** Authenticated requests that reached a route (method, path, JQL), oldest first. */
    requestLog: () => [...state.log],
    resetCounters() {
      state.requests = 0;
      state.writes.clear();
      state.log.length = 0;
    },

    /** Register an admin webhook (Jira Settings > System > WebHooks). */
    registerWebhook: webhooks.register,
    webhooks: () => webhooks.hooks.map((h) => ({ ...h })),
    deliveries: () => [...webhooks.deliveries],
    flushWebhooks: () => webhooks.flush(),
    /** The signed request Jira would send now (or at `sentAt`) announcing a change to an issue. */
    signedWebhook(idOrKey: string | number, secret: string, sentAt?: Date) {
      const issue = store.findIssue(String(idOrKey));
      if (!issue) throw new Error(`simulator: no issue ${idOrKey}`);
      const event: SimEvent = {
        webhookEvent: 'jira:issue_updated',
        issueEventType: 'issue_generic',
        issue,
        actor: store.userByEmail('alice@contoso-it.example')!,
        changelog: [
          {
            field: 'summary',
            fieldId: 'summary',
            from: null,
            fromString: 'before',
            to: null,
            toString: issue.summary,
          },
        ],
      };
      return webhooks.signedRequest(event, secret, sentAt?.getTime());
    },

    async close() {
      await Promise.race([webhooks.flush(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type JiraSimulator = Awaited<ReturnType<typeof createJiraSimulator>>;
