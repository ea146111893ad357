import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { ASSIGN, COMMENT, createTicket, mutate, type TicketView, UPDATE } from './support/ops.ts';

const backends = await availableBackends();

const SEE = 'query($id: ID!) { ticket(id: $id) { id ownerParty { slug } confidential shared } }';

describe.each(backends)('the party that opened a ticket keeps sight of it on %s', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend);
  });
  afterAll(async () => hub?.stop());

  const stillSeen = async (t: TicketView) => {
    const seen = await hub.gql<{ ticket: { id: string } | null }>(hub.tokens.internalViewer, SEE, {
      id: t.id,
    });
    expect(seen.data!.ticket?.id).toBe(t.id);
    const comment = await hub.gql(hub.tokens.internalAgent, COMMENT, {
      input: { ticketId: t.id, body: 'still ours' },
    });
    expect(comment.errors).toBeUndefined();
  };

  it('refuses a non-owner taking over a shared ticket with assignTicket, then hiding it', async () => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title: 'Payroll export broken' });
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, shared: true },
    });
    const grab = await hub.gql(hub.tokens.mspAgent, ASSIGN, { input: { id: t.id, ownerParty: 'msp' } });
    expect(grab.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(grab.errors?.[0]?.message).toMatch(/owning party/);
    const after = await hub.gql<{ ticket: { ownerParty: { slug: string } } }>(
      hub.tokens.internalViewer,
      SEE,
      { id: t.id },
    );
    expect(after.data!.ticket.ownerParty.slug).toBe('internal');
    await stillSeen(t);
  });

  it('refuses the party a ticket was handed to making it confidential or unshared', async () => {
    const t = await createTicket(hub, hub.tokens.internalAgent, {
      title: 'VPN for new hires',
      ownerParty: 'msp',
    });
    expect(t.ownerParty.slug).toBe('msp');
    const secret = await hub.gql(hub.tokens.mspAgent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, shared: false, confidential: true },
    });
    expect(secret.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unshare = await hub.gql(hub.tokens.mspAgent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, shared: false },
    });
    expect(unshare.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(unshare.errors?.[0]?.message).toMatch(/opened/);
    await stillSeen(t);
    // The owner may still hand it back, and the party that opened it may take it back.
    const back = await hub.gql(hub.tokens.internalAgent, ASSIGN, {
      input: { id: t.id, ownerParty: 'internal' },
    });
    expect(back.errors).toBeUndefined();
  });

  it('tells a subscriber when a ticket leaves its view, without its content', async () => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title: 'Office move' });
    const shared = await mutate<{ updateTicket: { ticket: TicketView } }>(
      hub,
      hub.tokens.internalAgent,
      UPDATE,
      {
        input: { id: t.id, expectedVersion: t.version, shared: true },
      },
    );
    const client = hub.ws(hub.tokens.mspAgent);
    const removed = collect<{ ticketRemovedFromView: { ticketId: string; key: string } }>(
      hub,
      client,
      'subscription { ticketRemovedFromView { ticketId key eventId } }',
    );
    const events = collect<{ ticketEvents: { type: string } }>(
      hub,
      client,
      'subscription { ticketEvents { type } }',
    );
    await removed.ready;
    await events.ready;
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: {
        id: t.id,
        expectedVersion: shared.updateTicket.ticket.version,
        shared: false,
        title: 'Office move (board only)',
      },
    });
    const items = await removed.until(1);
    await hub.app.dispatcher.idle();
    await removed.stop();
    await events.stop();
    expect(removed.errors).toEqual([]);
    expect(items.map((i) => i.ticketRemovedFromView)).toEqual([
      { ticketId: t.id, key: t.key, eventId: expect.any(String) },
    ]);
    expect(events.items).toEqual([]);
    const gone = await hub.gql<{ ticket: unknown }>(hub.tokens.mspAgent, SEE, { id: t.id });
    expect(gone.data!.ticket).toBeNull();
  });
});
