import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTS } from '../dashboard/src/api.ts';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { createTicket } from './support/ops.ts';

const [backend] = await availableBackends();

// The dashboard is a client of the public API only: every document it sends must pass the
// hub's own validation and limits (depth, cost, aliases) as they are configured by default,
// so a schema change that breaks the page fails here, with or without a browser.
describe.skipIf(!backend)(`dashboard documents against the hub on ${backend}`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend!);
  });
  afterAll(async () => hub?.stop());

  const variables: Partial<Record<keyof typeof DOCUMENTS, Record<string, unknown>>> = {
    open: { after: null },
    catchUp: { since: '0', after: null },
    replay: { id: 'no-such-connection' },
  };
  const queries = Object.entries(DOCUMENTS).filter(([, query]) => !query.startsWith('subscription'));

  it.each(queries)('%s is accepted', async (name, query) => {
    const res = await hub.gql(hub.tokens.internalAdmin, query, variables[name as keyof typeof DOCUMENTS]);
    const codes = (res.errors ?? []).map((e) => e.extensions?.code);
    // No sync engine here, so replaying an unknown connection is a NOT_FOUND, and only that.
    expect(codes).toEqual(name === 'replay' ? ['NOT_FOUND'] : []);
  });

  it('ticketEvents delivers a change', async () => {
    const sub = collect<{ ticketEvents: { type: string; ticket: { title: string } } }>(
      hub,
      hub.ws(hub.tokens.internalViewer),
      DOCUMENTS.ticketEvents,
    );
    await sub.ready;
    await createTicket(hub, hub.tokens.internalAgent, { title: 'Dashboard document check' });
    const [first] = await sub.until(1);
    await sub.stop();
    expect(sub.errors).toEqual([]);
    expect(first?.ticketEvents).toMatchObject({
      type: 'CREATED',
      ticket: { title: 'Dashboard document check' },
    });
  });

  it('ticketRemoved tells of a ticket that left the view', async () => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title: 'Shared for a while' });
    const shared = await hub.gql<{ updateTicket: { ticket: { version: number } } }>(
      hub.tokens.internalAgent,
      'mutation($id: ID!, $v: Int!) { updateTicket(input: { id: $id, expectedVersion: $v, shared: true }) { ticket { version } } }',
      { id: t.id, v: t.version },
    );
    const sub = collect<{ ticketRemovedFromView: { ticketId: string } }>(
      hub,
      hub.ws(hub.tokens.mspAgent),
      DOCUMENTS.ticketRemoved,
    );
    await sub.ready;
    await hub.gql(
      hub.tokens.internalAgent,
      'mutation($id: ID!, $v: Int!) { updateTicket(input: { id: $id, expectedVersion: $v, shared: false }) { ticket { id } } }',
      { id: t.id, v: shared.data!.updateTicket.ticket.version },
    );
    const [first] = await sub.until(1);
    await sub.stop();
    expect(sub.errors).toEqual([]);
    expect(first?.ticketRemovedFromView.ticketId).toBe(t.id);
  });
});
