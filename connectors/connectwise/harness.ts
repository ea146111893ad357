/**
 * The conformance harness over the ConnectWise simulator: the suite's levers mapped onto what an
 * MSP technician does in CW (create, rename, comment), plus clock, 429s and signed callbacks.
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { ConnectWiseConfig } from './config.ts';
import { createConnectWiseSimulator } from './simulator.ts';

const PAGE_SIZE = 5;

export async function createConnectWiseHarness(): Promise<ConnectorHarness<ConnectWiseConfig>> {
  const sim = await createConnectWiseSimulator();
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE, boards: ['Network Operations'] });
  const id = (externalId: string) => Number(externalId);
  return {
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      // CW signs the body only, no timestamp: a replay cannot be told from a retry.
      webhookReplayWindow: false,
    },
    validConfig,
    moveQueue: 'Network Operations',
    badCredentialsConfig: { ...validConfig, privateKey: 'wrong-private-key' },
    invalidConfigs: [
      {},
      { ...validConfig, baseUrl: 'not a url' },
      { ...validConfig, baseUrl: 'ftp://api-na.myconnectwise.net/v4_6_release/apis/3.0' },
      { ...validConfig, privateKey: '' },
      { ...validConfig, clientId: undefined },
      { ...validConfig, pageSize: 0 },
      { ...validConfig, pageSize: 5000 },
      { ...validConfig, board: '' },
    ],
    assignableExternalIds: sim.seed.members.filter((m) => m.id !== sim.apiMemberId).map((m) => String(m.id)),
    secrets: [validConfig.privateKey],
    pageSize: PAGE_SIZE,
    unknownExternalId: '999999999',
    // Two client companies on the one board, as an MSP's PSA holds them.
    scope: {
      keys: ['Contoso', 'Fabrikam'],
      pullFilter: 'server',
      async seedTicketsIn(company, count, opts) {
        return sim
          .seedTickets(count, { summary: opts?.titlePrefix ?? 'scoped', company })
          .map((t) => String(t['id']));
      },
    },

    async seedTickets(count, opts) {
      return sim
        .seedTickets(count, { summary: opts?.titlePrefix ?? 'conformance' })
        .map((t) => String(t['id']));
    },
    async touchTicket(externalId, title) {
      sim.rename(id(externalId), title);
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return String(sim.seedTicket({ summary: title, externalXRef: hubTicketId })['id']);
    },
    async countCorrelated(hubTicketId) {
      return sim.countCorrelated(hubTicketId);
    },
    async addVendorComment(externalId, body, visibility) {
      sim.addNote(id(externalId), { text: body, kind: visibility === 'PUBLIC' ? 'discussion' : 'internal' });
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const signed = sim.signedCallback(id(externalId));
      return { headers: signed.headers, rawBody: signed.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
