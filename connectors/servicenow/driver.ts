/**
 * The end-to-end driver: an agent working in the simulated instance (Beth Anglin), for the hub's
 * pair matrix. It acts through the simulator's levers, never through the connector; writes made
 * this way fire the Business Rule once `connectWebhook` installed it.
 */
import type { DriverTicketState, VendorDriver } from '../../src/connector-kit/driver.ts';
import type { CommentVisibility, TicketStatus } from '../../src/connector-kit/index.ts';
import { serviceNowDefaultMappings, toStateFields, toVisibility } from './mapping.ts';
import { createServiceNowSimulator } from './simulator.ts';

const SECRET_FIELDS = ['password', 'webhookSecret'] as const;

export async function createServiceNowDriver(): Promise<VendorDriver> {
  const sim = await createServiceNowSimulator();
  const config = sim.connectorConfig({ pageSize: 50, overlapSeconds: 5 });
  const settings: Record<string, unknown> = { ...config };
  for (const field of SECRET_FIELDS) delete settings[field];
  const { status } = serviceNowDefaultMappings;
  const stateOptions = {
    closeCode: config.resolveCloseCode,
    closeNotes: 'Fixed by the agent.',
    holdReason: '1',
  };

  const incident = (id: string) => {
    const record = sim.incident(id);
    if (!record) throw new Error(`no incident ${id} in the ServiceNow simulator`);
    return record;
  };
  const userIdFor = (email: string) => sim.ensureUser({ email, name: email.split('@')[0] ?? email });

  return {
    connector: 'servicenow',
    settings,
    secrets: { password: config.password, webhookSecret: config.webhookSecret ?? '' },
    async connectWebhook(hubWebhookUrl) {
      sim.registerBusinessRule({ url: hubWebhookUrl });
    },
    flushWebhooks: () => sim.flushWebhooks(),
    async ensureUser(user) {
      return sim.ensureUser(user);
    },
    async createTicket(input) {
      const fields: Record<string, string> = {
        short_description: input.title,
        description: input.description ?? '',
      };
      if (input.assigneeEmail) fields['assigned_to'] = userIdFor(input.assigneeEmail);
      return sim.seedIncident(fields)['sys_id']!;
    },
    async setStatus(externalId, target: TicketStatus) {
      incident(externalId);
      sim.updateIncident(externalId, toStateFields(status.fromCanonical[target], stateOptions));
    },
    async assign(externalId, email) {
      incident(externalId);
      sim.updateIncident(externalId, { assigned_to: email ? userIdFor(email) : '' });
    },
    async setDescription(externalId, text) {
      incident(externalId);
      sim.updateIncident(externalId, { description: text });
    },
    async addComment(externalId, body, visibility: CommentVisibility) {
      sim.addJournal(externalId, visibility === 'PUBLIC' ? 'comments' : 'work_notes', body);
    },
    async read(externalId): Promise<DriverTicketState> {
      const record = incident(externalId);
      const assignee = record['assigned_to'] ? sim.user(record['assigned_to']) : undefined;
      return {
        title: record['short_description'] ?? '',
        status: status.toCanonical[record['state'] ?? ''] ?? 'OPEN',
        assigneeEmail: assignee?.['email'] || null,
        description: record['description'] || null,
      };
    },
    async comments(externalId) {
      incident(externalId);
      return sim
        .journal(externalId)
        .map((e) => ({ body: e['value'] ?? '', visibility: toVisibility(e['element'] ?? '') }));
    },
    async findByCorrelation(hubTicketId) {
      return sim.findByCorrelation(hubTicketId);
    },
    apiWriteCount: () => sim.writeCount(),
    close: () => sim.close(),
  };
}
