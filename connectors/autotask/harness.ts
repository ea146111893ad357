/**
 * The conformance harness over the Autotask simulator: the suite's levers mapped onto what an MSP
 * technician does in Autotask (create, rename, add notes), plus clock, 429s and signed callouts.
 */
import type { ConnectorHarness, WebhookRequest } from '../../src/connector-kit/index.ts';
import type { AutotaskConfig } from './config.ts';
import { ROUND_TRIP_STATUSES } from './mapping.ts';
import { SIM_COMPANY_ID } from './sim-seed.ts';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';

const PAGE_SIZE = 3;

export type AutotaskHarness = ConnectorHarness<AutotaskConfig> & { simulator: AutotaskSimulator };

export async function createAutotaskHarness(): Promise<AutotaskHarness> {
  const sim = await createAutotaskSimulator();
  const validConfig = sim.connectorConfig({ pageSize: PAGE_SIZE, windowMaxRecords: 1000 });
  const secretKey = validConfig.webhookSecretKey ?? '';
  const id = (externalId: string) => Number(externalId);
  return {
    simulator: sim,
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      webhookReplayWindow: true,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, secret: 'wrong-secret-value' },
    invalidConfigs: [
      {},
      { ...validConfig, zoneLookupUrl: 'not a url' },
      { ...validConfig, zoneLookupUrl: 'ftp://webservices.autotask.net/atservicesrest' },
      { ...validConfig, secret: '' },
      { ...validConfig, username: undefined },
      { ...validConfig, integrationCode: '' },
      { ...validConfig, companyId: 'Fabrikam' },
      { ...validConfig, queueId: -1 },
      { ...validConfig, pageSize: 0 },
      { ...validConfig, pageSize: 501 },
      { ...validConfig, webhookSecretKey: 'k'.repeat(65) },
    ],
    assignableExternalIds: ['29682886', '29682887'],
    secrets: [validConfig.secret, secretKey, 'wrong-secret-value'],
    pageSize: PAGE_SIZE,
    unknownExternalId: '999999999',
    roundTrip: { statuses: [...ROUND_TRIP_STATUSES] },
    // Two client companies of the MSP: Fabrikam (174, the configured one) and Northwind (175).
    scope: {
      keys: [String(SIM_COMPANY_ID), '175'],
      pullFilter: 'server',
      async seedTicketsIn(company, count, opts) {
        const prefix = opts?.titlePrefix ?? 'scoped';
        return sim.seedTickets(count, prefix, { companyID: Number(company) }).map(String);
      },
    },

    async seedTickets(count, opts) {
      return sim.seedTickets(count, opts?.titlePrefix ?? 'conformance').map(String);
    },
    async touchTicket(externalId, title) {
      sim.rename(id(externalId), title);
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return String(sim.createTicket({ title, externalID: hubTicketId }));
    },
    async countCorrelated(hubTicketId) {
      return sim.correlated(hubTicketId).length;
    },
    async addVendorComment(externalId, body, visibility) {
      sim.addNote(id(externalId), body, visibility === 'PUBLIC' ? 1 : 2);
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    async signedWebhook(externalId, sentAt): Promise<WebhookRequest> {
      const signed = sim.signedCallout(id(externalId), secretKey, sentAt ?? new Date());
      return { headers: signed.headers, rawBody: signed.rawBody, receivedAt: sentAt ?? new Date() };
    },
    close: () => sim.close(),
  };
}
