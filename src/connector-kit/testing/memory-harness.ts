/**
 * The conformance harness over the memory vendor: every lever the suite knows, so every check runs.
 * A connector's own harness follows the same pattern over its simulator.
 */
import type { WebhookRequest } from '../contract.ts';
import type { ConnectorHarness } from '../harness.ts';
import { hmac } from '../signatures.ts';
import type { MemoryConfig } from './memory-connector.ts';
import { startMemoryServer } from './memory-server.ts';
import { MEMORY_CUSTOMERS, MEMORY_USERS, MemoryVendor } from './memory-vendor.ts';

const TOKEN = 'mem-token-5f3c9a';
const WEBHOOK_SECRET = 'mem-whsec-8e21b7';
const PAGE_SIZE = 3;

export async function createMemoryHarness(): Promise<ConnectorHarness<MemoryConfig>> {
  const vendor = new MemoryVendor();
  const server = await startMemoryServer(vendor, TOKEN);
  const validConfig: MemoryConfig = {
    baseUrl: server.url,
    apiToken: TOKEN,
    webhookSecret: WEBHOOK_SECRET,
    pageSize: PAGE_SIZE,
  };
  let seeded = 0;

  return {
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: true,
      webhookReplayWindow: true,
    },
    validConfig,
    badCredentialsConfig: { ...validConfig, apiToken: 'mem-token-wrong-71d0' },
    invalidConfigs: [
      { ...validConfig, baseUrl: 'not a url' },
      { ...validConfig, apiToken: '' },
      { baseUrl: server.url, webhookSecret: WEBHOOK_SECRET },
      { ...validConfig, pageSize: 0 },
    ],
    assignableExternalIds: [MEMORY_USERS[0], MEMORY_USERS[1]],
    secrets: [TOKEN, WEBHOOK_SECRET, 'mem-token-wrong-71d0'],
    pageSize: PAGE_SIZE,
    scope: {
      keys: [MEMORY_CUSTOMERS[0], MEMORY_CUSTOMERS[1]],
      pullFilter: 'server',
      async seedTicketsIn(customer, count, opts) {
        return Array.from({ length: count }, () => {
          seeded += 1;
          const subject = `${opts?.titlePrefix ?? 'seeded'} #${seeded}`;
          return String(vendor.create({ subject, customer }).id);
        });
      },
    },

    async seedTickets(count, opts) {
      return Array.from({ length: count }, () => {
        seeded += 1;
        return String(vendor.create({ subject: `${opts?.titlePrefix ?? 'seeded'} #${seeded}` }).id);
      });
    },
    async touchTicket(externalId, title) {
      if (!vendor.update(Number(externalId), { subject: title })) throw new Error(`no ticket ${externalId}`);
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return String(vendor.create({ subject: title, xref: hubTicketId }).id);
    },
    async countCorrelated(hubTicketId) {
      return [...vendor.tickets.values()].filter((t) => t.xref === hubTicketId).length;
    },
    async addVendorComment(externalId, body, visibility) {
      vendor.comment(Number(externalId), body, visibility === 'INTERNAL', MEMORY_USERS[2]);
    },

    setClock: (at) => vendor.setClock(at),
    onNextPageServed: (fn) => server.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => server.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => server.requestCount(),
    async signedWebhook(externalId, sentAt = new Date()): Promise<WebhookRequest> {
      const rawBody = Buffer.from(JSON.stringify({ event: 'ticket.updated', ticket_id: Number(externalId) }));
      const timestamp = String(Math.floor(sentAt.getTime() / 1000));
      const signature = hmac(
        'sha256',
        WEBHOOK_SECRET,
        Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]),
        'hex',
      );
      return {
        headers: {
          'content-type': 'application/json',
          'x-memory-timestamp': timestamp,
          'x-memory-signature': `sha256=${signature}`,
        },
        rawBody,
        receivedAt: new Date(),
      };
    },

    close: () => server.close(),
  };
}
