import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutotaskDriver } from '../connectors/autotask/driver.ts';
import { createServiceNowDriver } from '../connectors/servicenow/driver.ts';
import { availableBackends } from './support/backends.ts';
import { mutate, UPDATE } from './support/ops.ts';
import { INTERNAL_CONN, MSP_CONN, type PairHub, startPairHub } from './support/pair-hub.ts';

/**
 * Issue #14, item 3: the description is a merged field between tools that can update it
 * (Autotask and ServiceNow here), not only copied at creation; and the hub's own write coming
 * back is no change (no second write after the round trip).
 */
const backends = await availableBackends();
const DISPATCH = { email: 'dispatch@contoso-msp.example', name: 'MSP Dispatch' };

describe.each(backends)('description edits cross between Autotask and ServiceNow on %s', (backend) => {
  let hub: PairHub;
  let hubTicketId = '';
  let atTicket = '';
  let snTicket = '';

  beforeAll(async () => {
    hub = await startPairHub(backend, await createAutotaskDriver(), await createServiceNowDriver());
    await hub.createPerson('msp', DISPATCH.name, DISPATCH.email);
    await hub.msp.ensureUser(DISPATCH);
    await hub.internal.ensureUser(DISPATCH);
    snTicket = await hub.internal.createTicket({
      title: 'Description sync',
      description: 'Printer jams on floor 2',
      assigneeEmail: DISPATCH.email,
    });
    await hub.sync();
    const res = await hub.gql<{
      tickets: { edges: { node: { id: string; links: { connectionId: string; externalId: string }[] } }[] };
    }>(
      hub.tokens.internalAgent,
      '{ tickets(filter: { search: "Description sync" }) { edges { node { id links { connectionId externalId } } } } }',
    );
    const node = res.data!.tickets.edges[0]!.node;
    hubTicketId = node.id;
    atTicket = node.links.find((l) => l.connectionId === MSP_CONN)!.externalId;
    expect(node.links.find((l) => l.connectionId === INTERNAL_CONN)?.externalId).toBe(snTicket);
  });
  afterAll(async () => hub?.stop());

  async function hubTicket() {
    const res = await hub.gql<{ ticket: { description: string | null; version: number } }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { description version } }',
      { id: hubTicketId },
    );
    return res.data!.ticket;
  }

  it('is copied at creation', async () => {
    expect((await hub.msp.read(atTicket)).description).toBe('Printer jams on floor 2');
  });

  it('an edit in ServiceNow reaches the hub and Autotask, and writes nothing more after the round trip', async () => {
    await hub.internal.setDescription!(snTicket, 'Printer jams on floor 2 and floor 3');
    await hub.sync();
    expect((await hubTicket()).description).toBe('Printer jams on floor 2 and floor 3');
    expect((await hub.msp.read(atTicket)).description).toBe('Printer jams on floor 2 and floor 3');
    const writes = [hub.msp.apiWriteCount(), hub.internal.apiWriteCount()];
    await hub.sync();
    await hub.sync();
    expect([hub.msp.apiWriteCount(), hub.internal.apiWriteCount()]).toEqual(writes);
  });

  it('an edit in Autotask reaches the hub and ServiceNow', async () => {
    await hub.msp.setDescription!(atTicket, 'Fuser replaced; jams remain on floor 3');
    await hub.sync();
    expect((await hubTicket()).description).toBe('Fuser replaced; jams remain on floor 3');
    expect((await hub.internal.read(snTicket)).description).toBe('Fuser replaced; jams remain on floor 3');
  });

  it('an edit in the hub reaches both tools once', async () => {
    const { version } = await hubTicket();
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: hubTicketId, expectedVersion: version, description: 'Floor 3 printer to be replaced' },
    });
    await hub.sync();
    expect((await hub.msp.read(atTicket)).description).toBe('Floor 3 printer to be replaced');
    expect((await hub.internal.read(snTicket)).description).toBe('Floor 3 printer to be replaced');
    const writes = [hub.msp.apiWriteCount(), hub.internal.apiWriteCount()];
    await hub.sync();
    expect([hub.msp.apiWriteCount(), hub.internal.apiWriteCount()]).toEqual(writes);
    expect((await hubTicket()).description).toBe('Floor 3 printer to be replaced');
  });
});
