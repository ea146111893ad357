/**
 * The end-to-end driver over the Freshservice simulator: an agent working in the agent portal
 * (raise, assign, change status, add a note), never through the connector.
 */
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import type { TicketStatus } from '../../src/connector-kit/index.ts';
import { freshserviceDefaultMappings as maps } from './mapping.ts';
import { htmlToText } from './sim-render.ts';
import { createFreshserviceSimulator, type FreshserviceSimulatorOptions } from './simulator.ts';

export async function createFreshserviceDriver(
  options: FreshserviceSimulatorOptions = {},
): Promise<VendorDriver> {
  const sim = await createFreshserviceSimulator(options);
  const { apiKey, webhookSecret, ...settings } = sim.connectorConfig();
  const ensure = (email: string, name = email) => sim.ensureAgent({ email, name }).id;
  const ticketId = Number;

  return {
    connector: 'freshservice',
    settings,
    secrets: { apiKey, webhookSecret: webhookSecret ?? '' },
    async connectWebhook(hubWebhookUrl) {
      sim.connectWebhook(hubWebhookUrl);
    },
    flushWebhooks: () => sim.flushWebhooks(),
    async ensureUser(user) {
      return String(ensure(user.email, user.name));
    },
    async createTicket(input) {
      const responderId = input.assigneeEmail ? ensure(input.assigneeEmail) : null;
      const description = `<div>${input.description ?? input.title}</div>`;
      return String(sim.createTicket({ subject: input.title, description, responderId }));
    },
    async setStatus(externalId, status: TicketStatus) {
      sim.updateTicket(ticketId(externalId), { status: Number(maps.status.fromCanonical[status]) });
    },
    async assign(externalId, email) {
      sim.updateTicket(ticketId(externalId), { responderId: email === null ? null : ensure(email) });
    },
    async addComment(externalId, body, visibility) {
      sim.addConversation(ticketId(externalId), body, { private: visibility === 'INTERNAL' });
    },
    async read(externalId) {
      const ticket = sim.store.requireTicket(ticketId(externalId));
      const agent = ticket.responderId === null ? undefined : sim.store.agents.get(ticket.responderId);
      return {
        title: ticket.subject,
        status: maps.status.toCanonical[String(ticket.status)] ?? 'OPEN',
        assigneeEmail: agent?.email ?? null,
      };
    },
    async comments(externalId) {
      return (sim.store.conversations.get(ticketId(externalId)) ?? []).map((c) => ({
        body: htmlToText(c.bodyHtml),
        visibility: c.private ? ('INTERNAL' as const) : ('PUBLIC' as const),
      }));
    },
    async findByCorrelation(hubTicketId) {
      return [...sim.store.tickets.values()]
        .filter((t) => t.customFields['cf_hub_ticket_id'] === hubTicketId)
        .map((t) => String(t.id));
    },
    apiWriteCount: () => sim.writeCount(),
    close: () => sim.close(),
  };
}
