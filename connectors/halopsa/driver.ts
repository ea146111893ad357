/**
 * A technician working in the simulated HaloPSA, for the hub's end-to-end pair matrix. It acts
 * through the simulator's levers (as the Halo UI would), never through the connector.
 */
import type { DriverTicketState, VendorDriver } from '../../src/connector-kit/driver.ts';
import type { TicketStatus } from '../../src/connector-kit/index.ts';
import { haloDefaultMappings } from './mapping.ts';
import { createHaloSimulator } from './simulator.ts';

const SECRET_FIELDS = ['clientSecret', 'webhookSecret'] as const;

export async function createHaloPsaDriver(): Promise<VendorDriver> {
  const sim = await createHaloSimulator();
  const config = sim.connectorConfig({ pageSize: 50, overlapSeconds: 5 });
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if ((SECRET_FIELDS as readonly string[]).includes(key)) secrets[key] = String(value);
    else settings[key] = value;
  }
  const ticket = (externalId: string) => sim.store.requireTicket(Number(externalId));
  const agentIdFor = (email: string) => {
    const agent = sim.store.agentByEmail(email);
    if (!agent) throw new Error(`no Halo agent with e-mail ${email}; call ensureUser first`);
    return agent.id;
  };

  return {
    connector: 'halopsa',
    settings,
    secrets,
    async connectWebhook(hubWebhookUrl) {
      sim.addWebhook(hubWebhookUrl);
    },
    flushWebhooks: () => sim.flushWebhooks(),
    async ensureUser(user) {
      return String(sim.ensureAgent(user).id);
    },
    async createTicket(input) {
      const agentId = input.assigneeEmail ? agentIdFor(input.assigneeEmail) : 0;
      const created = sim.createTicket({
        summary: input.title,
        details: input.description ?? '',
        agent_id: agentId,
        client_id: config.customerId,
      });
      return String(created.id);
    },
    async setStatus(externalId, status: TicketStatus) {
      sim.setStatus(Number(externalId), Number(haloDefaultMappings.status.fromCanonical[status]));
    },
    async assign(externalId, email) {
      sim.assign(Number(externalId), email === null ? null : agentIdFor(email));
    },
    async addComment(externalId, body, visibility) {
      sim.addNote(Number(externalId), body, { internal: visibility === 'INTERNAL' });
    },
    async read(externalId): Promise<DriverTicketState> {
      const t = ticket(externalId);
      return {
        title: t.summary,
        status: haloDefaultMappings.status.toCanonical[String(t.status_id)] ?? 'OPEN',
        assigneeEmail: t.agent_id ? (sim.store.agents.get(t.agent_id)?.email ?? null) : null,
      };
    },
    async comments(externalId) {
      return sim.store
        .actionsOf(Number(externalId))
        .sort((a, b) => a.id - b.id)
        .map((a) => ({
          body: a.note,
          visibility: a.hiddenfromuser ? ('INTERNAL' as const) : ('PUBLIC' as const),
        }));
    },
    async findByCorrelation(hubTicketId) {
      return sim.findCorrelated(hubTicketId).map(String);
    },
    apiWriteCount: () => sim.writeCount(),
    close: () => sim.close(),
  };
}
