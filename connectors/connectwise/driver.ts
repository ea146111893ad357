/**
 * A technician working in the simulated ConnectWise, for the hub's end-to-end pair matrix.
 * Acts through the simulator's levers (as the CW UI would), never through the connector.
 */
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import type { TicketStatus } from '../../src/connector-kit/records.ts';
import { connectWiseDefaultMappings } from './mapping.ts';
import { createConnectWiseSimulator } from './simulator.ts';

type SimTicket = {
  id: number;
  summary: string;
  status?: { name?: string };
  owner?: { id?: number } | null;
  externalXRef?: string | null;
};
type SimNote = { text: string; internalAnalysisFlag?: boolean };

export async function createConnectWiseDriver(): Promise<VendorDriver> {
  const sim = await createConnectWiseSimulator();
  const { privateKey, ...settings } = sim.connectorConfig({ pageSize: 50 });
  const members = sim.seed.members;
  const byEmail = (email: string) => members.find((m) => m.officeEmail.toLowerCase() === email.toLowerCase());
  const identifierOf = (email: string) => {
    const m = byEmail(email);
    if (!m) throw new Error(`no ConnectWise member with email ${email}`);
    return m.identifier;
  };
  const statusName = (status: TicketStatus) => connectWiseDefaultMappings.status.fromCanonical[status];
  const ticket = (id: string) => sim.getTicket(Number(id)) as SimTicket | undefined;

  return {
    connector: 'connectwise',
    settings,
    secrets: { privateKey },
    async connectWebhook(url) {
      sim.addCallback(url);
    },
    flushWebhooks: () => sim.flushCallbacks(),
    async ensureUser({ email, name }) {
      const existing = byEmail(email);
      if (existing) return String(existing.id);
      const [firstName = name, ...rest] = name.split(' ');
      const id = Math.max(...members.map((m) => m.id)) + 1;
      const identifier = email
        .split('@')[0]!
        .replace(/[^a-z0-9]/gi, '')
        .slice(0, 15);
      members.push({
        id,
        identifier,
        firstName,
        lastName: rest.join(' ') || firstName,
        officeEmail: email,
        inactiveFlag: false,
      });
      return String(id);
    },
    async createTicket({ title, description, assigneeEmail }) {
      const created = sim.seedTicket({
        summary: title,
        ...(description ? { description } : {}),
        ...(assigneeEmail ? { owner: identifierOf(assigneeEmail) } : {}),
      }) as SimTicket;
      return String(created.id);
    },
    async setStatus(id, status) {
      sim.updateTicket(Number(id), { status: statusName(status) });
    },
    async assign(id, email) {
      sim.updateTicket(Number(id), { owner: email ? identifierOf(email) : null });
    },
    async addComment(id, body, visibility) {
      sim.addNote(Number(id), { text: body, kind: visibility === 'INTERNAL' ? 'internal' : 'discussion' });
    },
    async read(id) {
      const t = ticket(id);
      if (!t) throw new Error(`no ConnectWise ticket ${id}`);
      const owner = t.owner?.id ? members.find((m) => m.id === t.owner!.id) : undefined;
      return {
        title: t.summary,
        status: connectWiseDefaultMappings.status.toCanonical[t.status?.name ?? ''] ?? 'OPEN',
        assigneeEmail: owner?.officeEmail ?? null,
      };
    },
    async comments(id) {
      return (sim.listNotes(Number(id)) as SimNote[]).map((n) => ({
        body: n.text,
        visibility: n.internalAnalysisFlag ? ('INTERNAL' as const) : ('PUBLIC' as const),
      }));
    },
    async findByCorrelation(hubTicketId) {
      return (sim.listTickets() as SimTicket[])
        .filter((t) => t.externalXRef === hubTicketId)
        .map((t) => String(t.id));
    },
    apiWriteCount: () => sim.writeCount(),
    close: () => sim.close(),
  };
}
