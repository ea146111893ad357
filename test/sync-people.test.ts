/**
 * People matched by e-mail in both directions (#14, sync item 1): an RT owner becomes the
 * ConnectWise member with the same e-mail, looked up in ConnectWise; an assignee Request Tracker
 * has no user for leaves RT's owner alone (never Nobody), and the ticket's link says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { ASSIGN, mutate } from './support/ops.ts';
import { CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

type Node = {
  id: string;
  version: number;
  assignee: { name: string } | null;
  links: { connectionId: string; externalId: string; notice: string | null }[];
};

describe.each(backends)('people matched by e-mail outbound on %s', (backend) => {
  let hub: SyncTestHub;
  let mgarcia: string;
  beforeAll(async () => {
    hub = await startSyncHub(backend);
    // Asha has an RT account under another name; nobody told the hub it is the same person.
    hub.rt.addUser({
      name: 'asha.k',
      email: 'AKumar@contoso-msp.example',
      realName: 'Asha Kumar',
      canOwn: true,
    });
    await hub.createPerson('msp', 'Asha Kumar', 'akumar@contoso-msp.example');
    mgarcia = await hub.createPerson('msp', 'Maria Garcia', 'mgarcia@contoso-msp.example');
  });
  afterAll(async () => hub?.stop());

  const find = async (rtId: string): Promise<Node> => {
    const res = await hub.gql<{ tickets: { edges: { node: Node }[] } }>(
      hub.tokens.internalAgent,
      '{ tickets(first: 50) { edges { node { id version assignee { name } links { connectionId externalId notice } } } } }',
    );
    return res
      .data!.tickets.edges.map((e) => e.node)
      .find((n) => n.links.some((l) => l.connectionId === RT_ID && l.externalId === rtId))!;
  };

  it('an RT owner is made owner in ConnectWise through the member with the same e-mail; an unmappable reassignment leaves RT alone and says why', async () => {
    const rtId = hub.rt.createTicket({ subject: 'Switch stack reboot', owner: 'asha.k', content: 'tonight' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const node = await find(rtId);
    expect(node.assignee?.name).toBe('Asha Kumar');
    const cwId = Number(node.links.find((l) => l.connectionId === CW_ID)!.externalId);
    expect((hub.cw.getTicket(cwId) as { owner?: { id: number } }).owner?.id).toBe(151);

    // Maria has a ConnectWise member but no RT account.
    await mutate(hub, hub.tokens.mspAgent, ASSIGN, {
      input: { id: node.id, expectedVersion: node.version, assigneeId: mgarcia },
    });
    await hub.settle();
    expect((hub.cw.getTicket(cwId) as { owner?: { id: number } }).owner?.id).toBe(152);
    const rtOwner = hub.rt.store.userById(hub.rt.ticket(rtId)!.ownerId)?.name;
    expect(rtOwner).toBe('asha.k');
    const after = await find(rtId);
    expect(after.assignee?.name).toBe('Maria Garcia');
    const rtLink = after.links.find((l) => l.connectionId === RT_ID)!;
    expect(rtLink.notice).toMatch(
      /Maria Garcia cannot be assigned in Request Tracker: no Request Tracker user has the e-mail mgarcia@contoso-msp\.example/,
    );
    expect(after.links.find((l) => l.connectionId === CW_ID)!.notice).toBeNull();
  });
});
