import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

/**
 * Issue #14, item 3: the requester crossed only on create. A requester changed in a tool now
 * moves the hub's requester (matched by e-mail, like the assignee); an unchanged tool never
 * reverts it.
 */
const backends = await availableBackends();

describe.each(backends)('a requester changed in Request Tracker on %s', (backend) => {
  let hub: SyncTestHub;
  let rtId = '';
  let ticketId = '';

  beforeAll(async () => {
    hub = await startSyncHub(backend);
    await hub.createPerson('internal', 'Dana Field', 'dana@contoso.example');
    await hub.createPerson('internal', 'Eli Park', 'eli@contoso.example');
  });
  afterAll(async () => hub?.stop());

  async function requester(): Promise<string | null> {
    const res = await hub.gql<{ ticket: { requester: { email: string } | null } }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { requester { email } } }',
      { id: ticketId },
    );
    return res.data!.ticket.requester?.email ?? null;
  }

  it('reaches the hub, matched by e-mail', async () => {
    rtId = hub.rt.createTicket({ subject: 'Badge reader offline', requestor: 'dana@contoso.example' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const res = await hub.gql<{ tickets: { edges: { node: { id: string } }[] } }>(
      hub.tokens.internalAgent,
      '{ tickets(filter: { search: "Badge reader" }) { edges { node { id } } } }',
    );
    ticketId = res.data!.tickets.edges[0]!.node.id;
    expect(await requester()).toBe('dana@contoso.example');

    hub.rt.updateTicket(rtId, { requestor: 'eli@contoso.example' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    expect(await requester()).toBe('eli@contoso.example');
  });

  it('an unrelated change in the tool leaves the requester alone', async () => {
    hub.rt.updateTicket(rtId, { subject: 'Badge reader offline (lobby)' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    expect(await requester()).toBe('eli@contoso.example');
  });
});
