/**
 * The conformance harness over the ServiceNow simulator: the suite's levers mapped onto what an
 * agent does in the instance (open, rename, comment), plus the clock, 429s and the Business Rule's
 * signed notices (which sign a timestamp, so replays can be refused as stale).
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { ServiceNowConfig } from './config.ts';
import { createServiceNowSimulator, type ServiceNowSimulatorOptions } from './simulator.ts';

const PAGE_SIZE = 4;

export async function createServiceNowHarness(
  options: ServiceNowSimulatorOptions & { config?: Partial<ServiceNowConfig> } = {},
): Promise<ConnectorHarness<ServiceNowConfig>> {
  const sim = await createServiceNowSimulator(options);
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE, ...options.config });
  return {
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      webhookReplayWindow: true,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, password: 'wrong-password-1234' },
    invalidConfigs: [
      {},
      { ...validConfig, instanceUrl: 'not a url' },
      { ...validConfig, instanceUrl: 'ftp://acme.service-now.com' },
      { ...validConfig, password: '' },
      { ...validConfig, username: undefined },
      { ...validConfig, pageSize: 0 },
      { ...validConfig, pageSize: 20_000 },
      { ...validConfig, assignmentGroup: 'Service Desk' },
      { ...validConfig, scopeQuery: 'active=true^ORDERBYnumber' },
      { ...validConfig, auth: 'oauth', oauthClientId: undefined, oauthClientSecret: undefined },
      { ...validConfig, webhookSecret: 'short' },
    ],
    assignableExternalIds: sim.agentIds(),
    secrets: [validConfig.password, sim.credentials.oauthClientSecret, sim.webhookSecret],
    pageSize: PAGE_SIZE,
    unknownExternalId: '0123456789abcdef0123456789abcdef',
    // ServiceNow has no state between New and In Progress: OPEN is written as In Progress (README).
    roundTrip: { statuses: ['NEW', 'IN_PROGRESS', 'WAITING', 'RESOLVED', 'CLOSED'] },

    // Two customer companies on one instance, told apart by the incident's company.
    scope: {
      keys: [sim.companyIds[0] ?? '', sim.companyIds[1] ?? ''],
      pullFilter: 'server',
      async seedTicketsIn(company, count, opts) {
        return Array.from({ length: count }, (_, n) => {
          const title = `${opts?.titlePrefix ?? 'scoped'} ${n + 1}`;
          return sim.seedIncident({ short_description: title, company })['sys_id']!;
        });
      },
    },
    async seedTickets(count, opts) {
      return sim
        .seedIncidents(count, { titlePrefix: opts?.titlePrefix ?? 'conformance' })
        .map((i) => i['sys_id']!);
    },
    async touchTicket(externalId, title) {
      sim.rename(externalId, title);
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return sim.seedIncident({ short_description: title, correlation_id: hubTicketId })['sys_id']!;
    },
    async countCorrelated(hubTicketId) {
      return sim.countCorrelated(hubTicketId);
    },
    async addVendorComment(externalId, body, visibility) {
      sim.addJournal(externalId, visibility === 'PUBLIC' ? 'comments' : 'work_notes', body);
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const signed = sim.signedWebhook(externalId, sentAt ? { sentAt } : {});
      return { headers: signed.headers, rawBody: signed.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
