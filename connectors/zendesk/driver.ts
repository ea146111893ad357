/**
 * The end-to-end driver over the Zendesk simulator: an agent working in Zendesk's agent workspace
 * (open, assign, change status, reply or add an internal note), never through the connector.
 *
 * By default the export's one-minute hold-back and its 10 requests a minute are off, so an
 * end-to-end run sees changes on its next poll instead of a minute later; pass simulator options
 * to turn them back on.
 */
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import type { TicketStatus } from '../../src/connector-kit/index.ts';
import { zendeskDefaultMappings as maps } from './mapping.ts';
import type { ZdSimStatus } from './sim-store.ts';
import { createZendeskSimulator, type ZendeskSimulatorOptions } from './simulator.ts';

export async function createZendeskDriver(options: ZendeskSimulatorOptions = {}): Promise<VendorDriver> {
  const sim = await createZendeskSimulator({
    exclusionSeconds: 0,
    limits: { exportPerMinute: null },
    ...options,
  });
  const { apiToken, webhookSigningSecret, ...settings } = sim.connectorConfig();
  const ensure = (email: string, name = email) => sim.ensureUser({ email, name }).id;
  const ticketId = (externalId: string) => Number(externalId);

  return {
    connector: 'zendesk',
    settings,
    secrets: { apiToken, webhookSigningSecret: webhookSigningSecret ?? '' },
    async connectWebhook(hubWebhookUrl) {
      sim.connectWebhook(hubWebhookUrl);
    },
    flushWebhooks: () => sim.flushWebhooks(),
    async ensureUser(user) {
      return String(ensure(user.email, user.name));
    },
    async createTicket(input) {
      const assigneeId = input.assigneeEmail ? ensure(input.assigneeEmail) : null;
      const id = sim.createTicket({
        subject: input.title,
        description: input.description ?? input.title,
        assigneeId,
      });
      return String(id);
    },
    async setStatus(externalId, status: TicketStatus) {
      sim.updateTicket(ticketId(externalId), { status: maps.status.fromCanonical[status] as ZdSimStatus });
    },
    async assign(externalId, email) {
      sim.updateTicket(ticketId(externalId), { assigneeId: email === null ? null : ensure(email) });
    },
    async addComment(externalId, body, visibility) {
      sim.addComment(ticketId(externalId), body, { public: visibility === 'PUBLIC' });
    },
    async read(externalId) {
      const ticket = sim.store.requireTicket(ticketId(externalId));
      const assignee = ticket.assigneeId === null ? undefined : sim.store.users.get(ticket.assigneeId);
      return {
        title: ticket.subject,
        status: maps.status.toCanonical[ticket.status] ?? 'OPEN',
        assigneeEmail: assignee?.email ?? null,
      };
    },
    async comments(externalId) {
      // The first comment is the ticket's description, as the connector reads it too.
      return sim.store
        .commentsOf(ticketId(externalId))
        .slice(1)
        .map((c) => ({ body: c.body, visibility: c.public ? ('PUBLIC' as const) : ('INTERNAL' as const) }));
    },
    async findByCorrelation(hubTicketId) {
      return [...sim.store.tickets.values()]
        .filter((t) => t.externalId === hubTicketId)
        .map((t) => String(t.id));
    },
    apiWriteCount: () => sim.writeCount(),
    close: () => sim.close(),
  };
}
