import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { ASSIGN, mutate } from './support/ops.ts';
import { addMspDispatcher, CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

/**
 * A take-over from a tool: the MSP gives an internal team's ticket to one of its own people in
 * ConnectWise. Only the owner (or the party that opened the ticket) may move it, so the hub
 * keeps its holder and sends it back to ConnectWise.
 */
describe.each(backends)('a take-over from a tool on %s', (backend) => {
  let hub: SyncTestHub;
  beforeAll(async () => {
    hub = await startSyncHub(backend);
    await addMspDispatcher(hub);
    await hub.createPerson('msp', 'akumar', 'akumar@contoso-msp.example');
  });
  afterAll(async () => hub?.stop());

  it('is overruled: the internal team keeps its ticket and ConnectWise is put back', async () => {
    const rtId = hub.rt.createTicket({
      subject: 'Printer fleet audit',
      owner: 'msp-dispatch',
      content: 'all floors',
    });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const found = await hub.gql<{
      tickets: { edges: { node: { id: string; links: { connectionId: string; externalId: string }[] } }[] };
    }>(
      hub.tokens.internalAgent,
      '{ tickets(filter: { search: "Printer fleet audit" }) { edges { node { id links { connectionId externalId } } } } }',
    );
    const node = found.data!.tickets.edges[0]!.node;
    const cwId = Number(node.links.find((l) => l.connectionId === CW_ID)!.externalId);
    expect(rtId).toBeTruthy();
    // The internal team (which opened it) takes it back: still linked in ConnectWise, unassigned there.
    await mutate(hub, hub.tokens.internalAgent, ASSIGN, { input: { id: node.id, ownerParty: 'internal' } });
    await hub.settle();
    expect((hub.cw.getTicket(cwId) as { owner?: unknown }).owner ?? null).toBeNull();

    hub.cw.updateTicket(cwId, { owner: 'akumar' }, { by: 'jsmith' });
    await hub.settle();
    const after = await hub.gql<{
      ticket: { ownerParty: { slug: string }; assignee: { name: string } | null };
    }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { ownerParty { slug } assignee { name } } }',
      { id: node.id },
    );
    expect(after.data!.ticket).toEqual({ ownerParty: { slug: 'internal' }, assignee: null });
    expect((hub.cw.getTicket(cwId) as { owner?: unknown }).owner ?? null).toBeNull();
  });
});
