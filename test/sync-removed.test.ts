/**
 * Tickets deleted or merged in a tool (#14, sync item 4): an event on the ticket, the link says
 * so, the connection's `onRemoved` policy applies (unlink by default, close, recreate), and a
 * merge is followed to the surviving ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../src/connector-kit/contract.ts';
import { availableBackends } from './support/backends.ts';
import { createTicket, mutate, type TicketView, UPDATE } from './support/ops.ts';
import { CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

type Link = {
  connectionId: string;
  externalId: string;
  removedAt: string | null;
  removedAs: string | null;
  mergedInto: string | null;
};
type View = {
  status: string;
  title: string;
  links: Link[];
  history: { edges: { node: { type: string } }[] };
};
const VIEW = `query($id: ID!) { ticket(id: $id) { status title
  links { connectionId externalId removedAt removedAs mergedInto }
  history(first: 50) { edges { node { type } } } } }`;

/** RT ids the "vendor" now answers for with another ticket: a merge as RT reports it. */
const mergedInto = new Map<string, string>();
const wrap = (c: Connector<never>): Connector<never> =>
  c.id !== 'request-tracker'
    ? c
    : { ...c, getTicket: (ctx, id) => c.getTicket(ctx, mergedInto.get(id) ?? id) };

describe.each(backends)('tickets deleted or merged in a tool on %s', (backend) => {
  let hub: SyncTestHub;
  beforeAll(async () => {
    hub = await startSyncHub(backend, { wrap });
  });
  afterAll(async () => hub?.stop());

  const view = async (id: string) =>
    (await hub.gql<{ ticket: View }>(hub.tokens.internalAgent, VIEW, { id })).data!.ticket;
  const handOff = async (title: string) => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title, ownerParty: 'msp' });
    await hub.settle();
    const cwId = Number((await view(t.id)).links.find((l) => l.connectionId === CW_ID)!.externalId);
    return { t, cwId };
  };
  const retitle = (t: TicketView, title: string) =>
    mutate(hub, hub.tokens.internalAgent, UPDATE, { input: { id: t.id, expectedVersion: t.version, title } });

  it('a ticket deleted in ConnectWise is recorded on the ticket and unlinked; later changes do not recreate it or park', async () => {
    const { t, cwId } = await handOff('Deleted in CW');
    hub.cw.deleteTicket(cwId);
    await hub.settle();
    const after = await view(t.id);
    expect(after.history.edges.map((e) => e.node.type)).toContain('REMOVED_IN_TOOL');
    expect(after.links.find((l) => l.connectionId === CW_ID)).toMatchObject({ removedAs: 'deleted' });
    expect(after.links.find((l) => l.connectionId === CW_ID)!.removedAt).not.toBeNull();
    expect(after.status).not.toBe('CLOSED');

    const creates = hub.cw.writeCounts()['POST /service/tickets'] ?? 0;
    await retitle(t, 'Deleted in CW, edited later');
    await hub.settle();
    expect(hub.cw.writeCounts()['POST /service/tickets'] ?? 0).toBe(creates);
    const health = await hub.gql<{ syncConnections: { id: string; health: { parkedDeliveries: number } }[] }>(
      hub.tokens.internalAdmin,
      '{ syncConnections { id health { parkedDeliveries } } }',
    );
    expect(health.data!.syncConnections.find((c) => c.id === CW_ID)!.health.parkedDeliveries).toBe(0);
  });

  it('a ticket merged in Request Tracker follows the surviving ticket', async () => {
    const merged = hub.rt.createTicket({ subject: 'Printer jam (dup)', content: 'tray 2' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const res = await hub.gql<{ tickets: { edges: { node: TicketView & { links: Link[] } }[] } }>(
      hub.tokens.internalAgent,
      '{ tickets(first: 50) { edges { node { id version title links { connectionId externalId } } } } }',
    );
    const t = res
      .data!.tickets.edges.map((e) => e.node)
      .find((n) => n.links.some((l) => l.externalId === merged && l.connectionId === RT_ID))!;
    const survivor = hub.rt.createTicket({ subject: 'Printer jam', content: 'tray 2, again' });
    mergedInto.set(merged, survivor);
    // The hub's edit is clearly the later one (RT keeps whole seconds), so it wins the merge.
    await new Promise((r) => setTimeout(r, 1100));

    await retitle(t, 'Printer jam on tray 2');
    await hub.settle();
    const after = await view(t.id);
    expect(after.history.edges.map((e) => e.node.type)).toContain('MERGED_IN_TOOL');
    expect(after.links.find((l) => l.connectionId === RT_ID)).toMatchObject({
      externalId: survivor,
      removedAt: null,
    });
    expect(hub.rt.ticket(survivor)?.subject).toBe('Printer jam on tray 2');
  });
});

describe.each(backends)('the close and recreate policies on %s', (backend) => {
  for (const policy of ['close', 'recreate'] as const) {
    it(`onRemoved: ${policy}`, async () => {
      const hub = await startSyncHub(backend, { cwOnRemoved: policy });
      try {
        const t = await createTicket(hub, hub.tokens.internalAgent, {
          title: `Policy ${policy}`,
          ownerParty: 'msp',
        });
        await hub.settle();
        const link = async () =>
          (await hub.gql<{ ticket: View }>(hub.tokens.internalAgent, VIEW, { id: t.id })).data!.ticket;
        const cwId = Number((await link()).links.find((l) => l.connectionId === CW_ID)!.externalId);
        hub.cw.deleteTicket(cwId);
        await hub.settle();
        const after = await link();
        expect(after.history.edges.map((e) => e.node.type)).toContain('REMOVED_IN_TOOL');
        const cwLink = after.links.find((l) => l.connectionId === CW_ID);
        if (policy === 'close') {
          expect(after.status).toBe('CLOSED');
          expect(cwLink?.removedAs).toBe('deleted');
        } else {
          expect(cwLink?.removedAt).toBeNull();
          expect(Number(cwLink?.externalId)).not.toBe(cwId);
          expect(hub.cw.getTicket(Number(cwLink!.externalId))).toBeTruthy();
        }
      } finally {
        await hub.stop();
      }
    });
  }
});
