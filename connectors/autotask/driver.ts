/**
 * The end-to-end pair matrix's view of Autotask: a technician working in the simulator's UI.
 * It acts through the simulator's levers (never through the connector) and observes through them.
 */
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import type { CommentVisibility, TicketStatus } from '../../src/connector-kit/index.ts';
import { autotaskDefaultMappings, toVisibility } from './mapping.ts';
import { API_RESOURCE_ID, STATUS_VALUES } from './sim-seed.ts';
import { createAutotaskSimulator } from './simulator.ts';

const SECRET_FIELDS = ['secret', 'webhookSecretKey'] as const;

export async function createAutotaskDriver(): Promise<VendorDriver> {
  const sim = await createAutotaskSimulator();
  const config = sim.connectorConfig({ pageSize: 50 });
  const settings: Record<string, unknown> = { ...config };
  for (const field of SECRET_FIELDS) delete settings[field];
  const secrets = { secret: config.secret, webhookSecretKey: config.webhookSecretKey ?? '' };
  const { status } = autotaskDefaultMappings;

  const resourceFor = (email: string) => {
    const resource = sim.resourceByEmail(email);
    if (!resource) throw new Error(`no Autotask resource with email ${email}; call ensureUser first`);
    return resource.id;
  };

  return {
    connector: 'autotask',
    settings,
    secrets,
    async connectWebhook(hubWebhookUrl) {
      // As an admin would: the API user's own changes are excluded, so the hub's writes do not echo.
      sim.addWebhook(hubWebhookUrl, secrets.webhookSecretKey, [API_RESOURCE_ID]);
    },
    flushWebhooks: () => sim.flushCallouts(),
    async ensureUser({ email, name }) {
      const existing = sim.resourceByEmail(email);
      if (existing) return String(existing.id);
      const [firstName = name, ...rest] = name.split(' ');
      return String(sim.addResource({ firstName, lastName: rest.join(' ') || '-', email }));
    },
    async createTicket({ title, description, assigneeEmail }) {
      const id = sim.createTicket({ title, description: description ?? null });
      if (assigneeEmail) sim.assign(id, resourceFor(assigneeEmail));
      return String(id);
    },
    async setStatus(externalId, canonical: TicketStatus) {
      sim.setStatus(Number(externalId), status.fromCanonical[canonical]);
    },
    async assign(externalId, email) {
      sim.assign(Number(externalId), email === null ? null : resourceFor(email));
    },
    async setDescription(externalId, text) {
      sim.updateTicket(Number(externalId), { description: text });
    },
    async addComment(externalId, body, visibility: CommentVisibility) {
      sim.addNote(Number(externalId), body, visibility === 'PUBLIC' ? 1 : 2);
    },
    async read(externalId) {
      const ticket = sim.getTicket(Number(externalId));
      const label = STATUS_VALUES.find((s) => s.value === ticket['status'])?.label ?? '';
      const assignee = ticket['assignedResourceID'] as number | null;
      return {
        title: String(ticket['title']),
        status: status.toCanonical[label] ?? 'OPEN',
        assigneeEmail: assignee === null ? null : (sim.store.resourceById(assignee)?.email ?? null),
        description: (ticket['description'] as string | null) ?? null,
      };
    },
    async comments(externalId) {
      return sim
        .notesOf(Number(externalId))
        .filter((n) => n.noteType !== 13)
        .map((n) => ({ body: n.description, visibility: toVisibility(n.publish) }));
    },
    async findByCorrelation(hubTicketId) {
      return sim.correlated(hubTicketId).map(String);
    },
    apiWriteCount: () => sim.writeCount(),
    close: () => sim.close(),
  };
}
