/**
 * The conformance harness over the Freshservice simulator: the suite's levers mapped onto what an
 * agent does in Freshservice (raise, rename, note), plus clock, 429s and automator webhooks.
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { FreshserviceConfig } from './config.ts';
import { ROUND_TRIP_STATUSES } from './mapping.ts';
import { createFreshserviceSimulator, type FreshserviceSimulator, SIM_DEPARTMENTS } from './simulator.ts';

const PAGE_SIZE = 3;

export type FreshserviceHarness = ConnectorHarness<FreshserviceConfig> & { simulator: FreshserviceSimulator };

export async function createFreshserviceHarness(): Promise<FreshserviceHarness> {
  const sim = await createFreshserviceSimulator();
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE });
  const id = Number;
  return {
    simulator: sim,
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      // The automator's webhook carries a shared secret, no signed time: replays look like retries.
      webhookReplayWindow: false,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, apiKey: 'wrong-freshservice-api-key' },
    invalidConfigs: [
      {},
      { ...validConfig, baseUrl: 'not a url' },
      { ...validConfig, baseUrl: 'ftp://acme.freshservice.com' },
      { ...validConfig, apiKey: '' },
      { ...validConfig, defaultRequesterEmail: 'nobody' },
      { ...validConfig, correlationField: 'Hub Ticket Id' },
      { ...validConfig, pageSize: 0 },
      { ...validConfig, pageSize: 101 },
      { ...validConfig, webhookSecret: 'short' },
      { ...validConfig, webhookHeader: 'X Bad Header' },
    ],
    assignableExternalIds: [sim.people.maria.id, sim.people.tom.id].map(String),
    secrets: [validConfig.apiKey, 'wrong-freshservice-api-key', validConfig.webhookSecret ?? ''],
    pageSize: PAGE_SIZE,
    roundTrip: { statuses: ROUND_TRIP_STATUSES },

    // Two customer departments; Freshservice's list endpoint cannot filter by department.
    scope: {
      keys: [String(SIM_DEPARTMENTS.contoso), String(SIM_DEPARTMENTS.globex)],
      pullFilter: {
        notServerSide:
          'GET /tickets (updated_since, oldest first) has no department filter, and /tickets/filter sorts by creation and stops at 10 pages',
      },
      async seedTicketsIn(department, count, opts) {
        const prefix = opts?.titlePrefix ?? 'scoped';
        return Array.from({ length: count }, (_, i) =>
          String(sim.createTicket({ subject: `${prefix} ${i + 1}`, departmentId: Number(department) })),
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
      return String(sim.createTicket({ subject: title, customFields: { cf_hub_ticket_id: hubTicketId } }));
    },
    async countCorrelated(hubTicketId) {
      return sim.countCorrelated(hubTicketId);
    },
    async addVendorComment(externalId, body, visibility) {
      sim.addConversation(id(externalId), body, { private: visibility === 'INTERNAL' });
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const req = sim.webhookRequest(id(externalId));
      return { headers: req.headers, rawBody: req.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
