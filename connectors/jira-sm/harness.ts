/**
 * The conformance harness over the Jira simulator: the suite's levers mapped onto what an agent
 * does in Jira (create a request, rename it, comment), plus the clock, 429s and signed webhooks.
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { JiraSmConfig } from './config.ts';
import type { PageTokenMode } from './sim-search.ts';
import { createJiraSimulator, type JiraSimulator } from './simulator.ts';

const PAGE_SIZE = 3;
const WEBHOOK_SECRET = 'whsec-simulated-jira-0001';

export type JiraHarness = ConnectorHarness<JiraSmConfig> & { simulator: JiraSimulator };

/**
 * `pageTokenMode: 'offset'` makes `nextPageToken` an offset into a re-run query: the pessimistic
 * reading of Jira's undocumented token, which the pull must survive too.
 */
export async function createJiraSmHarness(
  options: { pageTokenMode?: PageTokenMode } = {},
): Promise<JiraHarness> {
  const sim = await createJiraSimulator();
  sim.setPageTokenMode(options.pageTokenMode ?? 'keyset');
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE, webhookSecret: WEBHOOK_SECRET });
  const wrongToken = 'ATATT3xFfGF0wrongTokenForConformance';
  const { siteUrl, email, apiToken } = validConfig;
  return {
    simulator: sim,
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      webhookReplayWindow: true,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, apiToken: wrongToken },
    invalidConfigs: [
      {},
      { siteUrl: 'not a url', email, apiToken, projectKey: 'ITS' },
      { siteUrl: 'ftp://contoso.atlassian.net', email, apiToken, projectKey: 'ITS' },
      { siteUrl, email: 'not-an-email', apiToken, projectKey: 'ITS' },
      { siteUrl, email, apiToken: '', projectKey: 'ITS' },
      { siteUrl, email, projectKey: 'ITS' },
      { siteUrl, email, apiToken, projectKey: 'its lowercase' },
      { siteUrl, email, apiToken, projectKey: 'ITS', pageSize: 0 },
      { siteUrl, email, apiToken, projectKey: 'ITS', pageSize: 101 },
      { siteUrl, email, apiToken, projectKey: 'ITS', webhookSecret: 'short' },
    ],
    assignableExternalIds: ['alice@contoso-it.example', 'bob@contoso-it.example'].map(
      (e) => sim.store.userByEmail(e)!.accountId,
    ),
    secrets: [apiToken, wrongToken, WEBHOOK_SECRET],
    pageSize: PAGE_SIZE,
    unknownExternalId: '999999',

    // Two customers' service projects: ITS (the configured one) and GLX.
    scope: {
      keys: ['ITS', 'GLX'],
      pullFilter: 'server',
      async seedTicketsIn(projectKey, count, opts) {
        return Array.from({ length: count }, (_, n) =>
          String(sim.createIssue({ summary: `${opts?.titlePrefix ?? 'scoped'} ${n + 1}`, projectKey }).id),
        );
      },
    },
    async seedTickets(count, opts) {
      return sim.seedIssues(count, opts?.titlePrefix ?? 'conformance').map((i) => String(i.id));
    },
    async touchTicket(externalId, title) {
      sim.rename(externalId, title);
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return String(sim.createIssue({ summary: title, hubTicketId }).id);
    },
    async countCorrelated(hubTicketId) {
      return sim.findByCorrelation(hubTicketId).length;
    },
    async addVendorComment(externalId, body, visibility) {
      sim.comment(externalId, body, { internal: visibility === 'INTERNAL' });
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const signed = sim.signedWebhook(externalId, WEBHOOK_SECRET, sentAt);
      return { headers: signed.headers, rawBody: signed.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
