/**
 * An agent working in the simulated Request Tracker, for the hub's end-to-end pair matrix.
 * Acts on the simulator directly (as RT's web UI would: scrips included), never through the
 * connector, so it counts as no API request.
 */
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import type { TicketStatus } from '../../src/connector-kit/records.ts';
import { CANONICAL_TO_RT_STATUS, RT_STATUS_TO_CANONICAL } from './mapping.ts';
import { HUB_TICKET_ID_CF } from './sim-model.ts';
import { startRtSimulator } from './simulator.ts';

export async function createRequestTrackerDriver(): Promise<VendorDriver> {
  const rt = await startRtSimulator();
  const { token, ...settings } = rt.connectorConfig({ pageSize: 50 });
  const userByEmail = (email: string) =>
    rt.store.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  const nameOf = (email: string) => {
    const user = userByEmail(email);
    if (!user) throw new Error(`no RT user with email ${email}`);
    return user.name;
  };
  const ticket = (id: string) => {
    const t = rt.ticket(id);
    if (!t) throw new Error(`no RT ticket ${id}`);
    return t;
  };

  return {
    connector: 'request-tracker',
    settings: settings as Record<string, unknown>,
    secrets: { token: token! },
    async ensureUser({ email, name }) {
      const existing = userByEmail(email);
      if (existing) return existing.name;
      const login = email.split('@')[0]!.replace(/[^a-z0-9._-]/gi, '');
      return rt.addUser({ name: login, email, realName: name, canOwn: true }).name;
    },
    async createTicket({ title, description, assigneeEmail }) {
      return rt.createTicket({
        subject: title,
        ...(description ? { content: description } : {}),
        ...(assigneeEmail ? { owner: nameOf(assigneeEmail) } : {}),
      });
    },
    async setStatus(id, status: TicketStatus) {
      rt.updateTicket(id, { status: CANONICAL_TO_RT_STATUS[status] });
    },
    async assign(id, email) {
      rt.updateTicket(id, { owner: email ? nameOf(email) : 'Nobody' });
    },
    async addComment(id, body, visibility) {
      rt.reply(id, body, { internal: visibility === 'INTERNAL' });
    },
    async read(id) {
      const t = ticket(id);
      const owner = rt.store.users.find((u) => u.id === t.ownerId);
      return {
        title: t.subject,
        status: RT_STATUS_TO_CANONICAL[t.status] ?? 'OPEN',
        assigneeEmail: owner && owner.name !== 'Nobody' ? owner.email || null : null,
      };
    },
    async comments(id) {
      const { transactions, attachments } = rt.store;
      return transactions
        .filter((t) => String(t.ticketId) === id && (t.type === 'Correspond' || t.type === 'Comment'))
        .map((t) => ({
          body: attachments
            .filter((a) => a.transactionId === t.id)
            .map((a) => a.content)
            .join(''),
          visibility: t.type === 'Comment' ? ('INTERNAL' as const) : ('PUBLIC' as const),
        }));
    },
    async findByCorrelation(hubTicketId) {
      return [...rt.store.tickets.values()]
        .filter((t) => t.customFields.get(HUB_TICKET_ID_CF)?.includes(hubTicketId))
        .map((t) => String(t.id));
    },
    apiWriteCount: () => rt.totalWrites(),
    close: () => rt.close(),
  };
}
