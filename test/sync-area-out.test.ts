import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { type CustomersHub, startCustomersHub } from './support/customers-hub.ts';
import { mutate, UPDATE } from './support/ops.ts';

/**
 * Issue #14, item 3: the service area was set on the tool's copy only at creation. An area
 * change in the hub now moves the PSA ticket to the board the connection's area map names
 * (ConnectWise: "Help Desk" <-> helpdesk-t1, "Network Operations" <-> network), keeping its
 * status, and the move coming back on the next pull is no change and no second write.
 */
const backends = await availableBackends();
const PATCH = 'PATCH /service/tickets/{id}';

describe.each(backends)('an area change in the hub moves the ConnectWise board on %s', (backend) => {
  let hub: CustomersHub;
  let token = '';
  let cwId = 0;
  let ticketId = '';

  beforeAll(async () => {
    hub = await startCustomersHub(backend);
    token = await hub.token('msp', 'ADMIN');
    cwId = (
      hub.cw.seedTicket({ summary: 'Contoso VPN tunnel flaps', company: 'Contoso', board: 'Help Desk' }) as {
        id: number;
      }
    ).id;
    await hub.engine.pullNow('msp-connectwise');
    await hub.engine.drain();
    const res = await hub.gql<{ tickets: { edges: { node: { id: string; serviceArea: string } }[] } }>(
      token,
      '{ tickets(filter: { search: "VPN tunnel flaps" }) { edges { node { id serviceArea } } } }',
    );
    const node = res.data!.tickets.edges[0]!.node;
    ticketId = node.id;
    expect(node.serviceArea).toBe('helpdesk-t1');
  });
  afterAll(async () => hub?.stop());

  /** Queued work done, including deliveries a worker already picked up when drain looked. */
  async function settle() {
    for (let round = 0; round < 100; round++) {
      await hub.engine.drain();
      await hub.app.dispatcher.idle();
      const left = await hub.database.db.execute(
        "select (select count(*) from sync_outbox where state = 'pending') + (select count(*) from inbound_queue) as n",
      );
      if (Number((left as unknown as { rows: { n: string }[] }).rows[0]?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('sync did not settle');
  }

  async function hubTicket() {
    const res = await hub.gql<{ ticket: { serviceArea: string; version: number; status: string } }>(
      token,
      'query($id: ID!) { ticket(id: $id) { serviceArea version status } }',
      { id: ticketId },
    );
    return res.data!.ticket;
  }

  it('moves the ticket to the mapped board, keeping its status, and writes once', async () => {
    const before = await hubTicket();
    const patches = hub.cw.writeCount(PATCH);
    await mutate(hub, token, UPDATE, {
      input: { id: ticketId, expectedVersion: before.version, serviceArea: 'network' },
    });
    await settle();
    const cw = hub.cw.getTicket(cwId) as { board: { name: string }; status: { name: string } };
    expect(cw.board.name).toBe('Network Operations');
    expect(hub.cw.writeCount(PATCH)).toBe(patches + 1);

    // The move read back is no change: the hub keeps its area and nothing is written again.
    await hub.engine.pullNow('msp-connectwise');
    await settle();
    const after = await hubTicket();
    expect(after.serviceArea).toBe('network');
    expect(after.status).toBe(before.status);
    expect(hub.cw.writeCount(PATCH)).toBe(patches + 1);
  });

  it('a board move in ConnectWise still moves the hub (inbound unchanged)', async () => {
    hub.cw.updateTicket(cwId, { board: 'Help Desk' });
    await hub.engine.pullNow('msp-connectwise');
    await settle();
    expect((await hubTicket()).serviceArea).toBe('helpdesk-t1');
    expect((hub.cw.getTicket(cwId) as { board: { name: string } }).board.name).toBe('Help Desk');
  });
});
