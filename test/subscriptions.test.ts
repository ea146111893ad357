import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { ASSIGN, CLOSE, COMMENT, createTicket, mutate, REOPEN } from './support/ops.ts';

const backends = await availableBackends();

type EventMsg = {
  ticketEvents: {
    id: string;
    type: string;
    side: string;
    actorName: string;
    source: string;
    changes: { field: string; from: string | null; to: string | null }[];
    ticket: { id: string; status: string; version: number; assignee: { name: string } | null };
  };
};

const SUB = `subscription($filter: TicketEventFilter) { ticketEvents(filter: $filter) {
  id type side actorName source changes { field from to } ticket { id status version assignee { name } } } }`;

describe.each(backends)('subscriptions on %s', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend);
  });
  afterAll(async () => hub?.stop());

  it('delivers CLOSED and REASSIGNED made by the MSP to an internal subscriber, in order, once each', async () => {
    const ticket = await createTicket(hub, hub.tokens.internalAgent, {
      title: 'Server room too warm',
      ownerParty: 'msp',
    });
    const tech = await hub.createPerson('msp', 'Tess Tech', `tess.${backend}@msp.example`);
    const client = hub.ws(hub.tokens.internalViewer);
    const sub = collect<EventMsg>(hub, client, SUB, { filter: { ticketId: ticket.id } });
    await sub.ready;

    await mutate(hub, hub.tokens.mspAgent, ASSIGN, { input: { id: ticket.id, assigneeId: tech } });
    await mutate(hub, hub.tokens.mspAgent, CLOSE, { id: ticket.id });
    await mutate(hub, hub.tokens.mspAgent, REOPEN, { id: ticket.id });
    const items = await sub.until(3);
    // Anything extra would have arrived by the time the dispatcher is idle.
    await hub.app.dispatcher.idle();
    await sub.stop();

    expect(sub.errors).toEqual([]);
    const events = items.map((i) => i.ticketEvents);
    expect(events.map((e) => e.type)).toEqual(['REASSIGNED', 'CLOSED', 'REOPENED']);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(events.every((e) => e.side === 'MSP' && e.actorName === 'msp agent' && e.source === 'API')).toBe(
      true,
    );
    expect(events[0]!.ticket.assignee?.name).toBe('Tess Tech');
    expect(events[1]!.changes).toEqual([{ field: 'status', from: 'NEW', to: 'CLOSED' }]);
    // "the ticket after the change": versions climb with the events.
    const versions = events.map((e) => e.ticket.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('filters by type and owner party', async () => {
    const client = hub.ws(hub.tokens.internalAgent);
    const sub = collect<EventMsg>(hub, client, SUB, {
      filter: { types: ['CLOSED'], ownerParty: 'internal' },
    });
    await sub.ready;
    const mine = await createTicket(hub, hub.tokens.internalAgent, { title: 'Close me (internal)' });
    const theirs = await createTicket(hub, hub.tokens.internalAgent, {
      title: 'Close me (msp)',
      ownerParty: 'msp',
    });
    await mutate(hub, hub.tokens.internalAgent, CLOSE, { id: theirs.id });
    await mutate(hub, hub.tokens.internalAgent, CLOSE, { id: mine.id });
    const items = await sub.until(1);
    await hub.app.dispatcher.idle();
    await sub.stop();
    expect(items.map((i) => [i.ticketEvents.type, i.ticketEvents.ticket.id])).toEqual([['CLOSED', mine.id]]);
  });

  it('gives every subscriber every event when many changes race on one ticket', async () => {
    const ticket = await createTicket(hub, hub.tokens.internalAgent, { title: 'Race', ownerParty: 'msp' });
    const subs = [];
    for (const tok of [hub.tokens.internalViewer, hub.tokens.mspAgent]) {
      const s = collect<EventMsg>(hub, hub.ws(tok), SUB, { filter: { ticketId: ticket.id } });
      await s.ready;
      subs.push(s);
    }
    // Concurrent writers from both parties: the ticket row lock serialises them.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        mutate(hub, i % 2 ? hub.tokens.mspAgent : hub.tokens.internalAgent, COMMENT, {
          input: { ticketId: ticket.id, body: `race ${i}` },
        }),
      ),
    );
    for (const s of subs) {
      const items = await s.until(10);
      await s.stop();
      const ids = items.map((i) => Number(i.ticketEvents.id));
      expect(items).toHaveLength(10);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(10);
    }
  });
});
