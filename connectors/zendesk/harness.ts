/**
 * The conformance harness over the Zendesk simulator: the suite's levers mapped onto what an agent
 * does in Zendesk (open, rename, comment), plus clock, 429s and signed webhooks.
 *
 * Two Zendesk rules are relaxed here, and exercised in zendesk.test.ts instead: the export's
 * one-minute hold-back (the suite freezes the clock at the time it writes, so with it nothing
 * written "now" could be exported until the clock moved) and its 10 requests a minute (the suite
 * pulls dozens of times; waiting out each Retry-After would take minutes).
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { ZendeskConfig } from './config.ts';
import { ROUND_TRIP_STATUSES } from './mapping.ts';
import { createZendeskSimulator, SIM_ORGANIZATIONS, type ZendeskSimulator } from './simulator.ts';

const PAGE_SIZE = 3;

export type ZendeskHarness = ConnectorHarness<ZendeskConfig> & { simulator: ZendeskSimulator };

export async function createZendeskHarness(): Promise<ZendeskHarness> {
  const sim = await createZendeskSimulator({ exclusionSeconds: 0, limits: { exportPerMinute: null } });
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE });
  const id = Number;
  return {
    simulator: sim,
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      webhookReplayWindow: true,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, apiToken: 'wrong-zendesk-api-token' },
    invalidConfigs: [
      {},
      { ...validConfig, baseUrl: 'not a url' },
      { ...validConfig, baseUrl: 'ftp://acme.zendesk.com' },
      { ...validConfig, email: 'hub-sync' },
      { ...validConfig, apiToken: '' },
      { ...validConfig, apiToken: undefined },
      { ...validConfig, pageSize: 0 },
      { ...validConfig, pageSize: 1001 },
      { ...validConfig, overlapSeconds: -1 },
      { ...validConfig, webhookSigningSecret: '' },
    ],
    assignableExternalIds: [sim.people.alice.id, sim.people.bob.id].map(String),
    secrets: [validConfig.apiToken, 'wrong-zendesk-api-token', validConfig.webhookSigningSecret ?? ''],
    pageSize: PAGE_SIZE,
    roundTrip: { statuses: ROUND_TRIP_STATUSES },

    // Two customer organisations; the incremental export cannot filter by organisation.
    scope: {
      keys: [String(SIM_ORGANIZATIONS.contoso), String(SIM_ORGANIZATIONS.globex)],
      pullFilter: {
        notServerSide:
          'the incremental export (the only oldest-first change feed) has no organisation filter; search (organization:N) stops at 1000 results',
      },
      async seedTicketsIn(organization, count, opts) {
        const prefix = opts?.titlePrefix ?? 'scoped';
        return Array.from({ length: count }, (_, i) =>
          String(sim.createTicket({ subject: `${prefix} ${i + 1}`, organizationId: Number(organization) })),
        );
      },
    },
    async seedTickets(count, opts) {
      const prefix = opts?.titlePrefix ?? 'seeded';
      return Array.from({ length: count }, (_, i) =>
        String(sim.createTicket({ subject: `${prefix} ${i + 1}` })),
      );
    },
    async touchTicket(externalId, title) {
      sim.updateTicket(id(externalId), { subject: title });
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return String(sim.createTicket({ subject: title, externalId: hubTicketId }));
    },
    async countCorrelated(hubTicketId) {
      return sim.countByExternalId(hubTicketId);
    },
    async addVendorComment(externalId, body, visibility) {
      sim.addComment(id(externalId), body, { public: visibility === 'PUBLIC' });
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const signed = sim.signedWebhook(id(externalId), sentAt ?? new Date());
      return { headers: signed.headers, rawBody: signed.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
