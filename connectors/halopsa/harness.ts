/**
 * The conformance harness over the HaloPSA simulator: the suite's levers mapped onto what a
 * technician does in Halo (log, rename, add a note), plus the clock, 429s and webhooks.
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { HaloConfig } from './config.ts';
import { createHaloSimulator, type HaloSimulator } from './simulator.ts';

const PAGE_SIZE = 5;

export type HaloHarness = ConnectorHarness<HaloConfig> & { simulator: HaloSimulator };

export async function createHaloHarness(): Promise<HaloHarness> {
  const sim = await createHaloSimulator();
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE });
  const id = (externalId: string) => Number(externalId);
  return {
    simulator: sim,
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      // Basic auth or a shared header carries no timestamp: a replay cannot be told from a retry.
      webhookReplayWindow: false,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, clientSecret: 'wrong-client-secret-0000' },
    invalidConfigs: [
      {},
      { ...validConfig, baseUrl: 'not a url' },
      { ...validConfig, baseUrl: 'ftp://acme.halopsa.com' },
      { ...validConfig, authServerUrl: 'acme.halopsa.com/auth' },
      { ...validConfig, clientId: '' },
      { ...validConfig, clientSecret: undefined },
      { ...validConfig, pageSize: 0 },
      { ...validConfig, pageSize: 101 },
      { ...validConfig, customerId: 'twelve' },
      { ...validConfig, webhookAuth: 'hmac' },
      { ...validConfig, webhookSecret: 'short' },
    ],
    assignableExternalIds: ['2', '3'],
    secrets: [validConfig.clientSecret, validConfig.webhookSecret ?? ''],
    pageSize: PAGE_SIZE,
    unknownExternalId: '999999999',

    // Two clients of the MSP (Contoso 12, Fabrikam 13), told apart by client_id.
    scope: {
      keys: ['12', '13'],
      pullFilter: 'server',
      async seedTicketsIn(client, count, opts) {
        const summary = opts?.titlePrefix ?? 'scoped';
        return sim.seedTickets(count, { summary, client_id: Number(client) }).map((t) => String(t.id));
      },
    },
    async seedTickets(count, opts) {
      return sim.seedTickets(count, { summary: opts?.titlePrefix ?? 'conformance' }).map((t) => String(t.id));
    },
    async touchTicket(externalId, title) {
      sim.rename(id(externalId), title);
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return String(sim.createTicket({ summary: title, third_party_id_string: hubTicketId }).id);
    },
    async countCorrelated(hubTicketId) {
      return sim.countCorrelated(hubTicketId);
    },
    async addVendorComment(externalId, body, visibility) {
      sim.addNote(id(externalId), body, { internal: visibility === 'INTERNAL' });
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const message = sim.webhookFor(id(externalId));
      return { headers: message.headers, rawBody: message.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
