import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { type GqlResult, startTestHub, type TestHub } from './support/hub.ts';
import {
  ASSIGN,
  CLOSE,
  COMMENT,
  createTicket,
  mutate,
  REOPEN,
  RESOLVE,
  TICKET_FIELDS,
  type TicketView,
  UPDATE,
} from './support/ops.ts';

const backends = await availableBackends();

describe.each(backends)('tickets API on %s', (backend) => {
  let hub: TestHub;
  let agent: string;
  beforeAll(async () => {
    hub = await startTestHub(backend);
    agent = hub.tokens.internalAgent;
  });
  afterAll(async () => hub?.stop());

  const LIST = `query($filter: TicketFilter, $orderBy: TicketOrder, $first: Int, $after: String) {
    tickets(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${TICKET_FIELDS} } } } }`;
  type ListData = {
    tickets: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: TicketView }[];
    };
  };

  it('pages through every ticket exactly once, in order, with a stable totalCount', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++)
      created.push((await createTicket(hub, agent, { title: `paging ${i}`, serviceArea: 'paging' })).id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: GqlResult<ListData> = await hub.gql<ListData>(agent, LIST, {
        filter: { search: 'paging' },
        orderBy: { field: 'CREATED_AT', direction: 'ASC' },
        first: 3,
        after,
      });
      expect(res.errors).toBeUndefined();
      const conn = res.data!.tickets;
      expect(conn.totalCount).toBe(7);
      seen.push(...conn.edges.map((e) => e.node.id));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(created);
  });

  it('filters by status, owner party, assignee, updated-since and text', async () => {
    const alice = await hub.createPerson('internal', 'Alice Filter', `alice.filter.${backend}@corp.example`);
    const a = await createTicket(hub, agent, {
      title: 'VPN drops every hour',
      priority: 'HIGH',
      assigneeId: alice,
    });
    const b = await createTicket(hub, agent, { title: 'Backup job failed', ownerParty: 'msp' });
    await mutate(hub, agent, RESOLVE, { id: a.id });
    const q = (filter: object) => hub.gql<ListData>(agent, LIST, { filter, first: 50 });

    const resolved = await q({ status: ['RESOLVED'] });
    expect(resolved.data!.tickets.edges.map((e) => e.node.id)).toContain(a.id);
    expect(resolved.data!.tickets.edges.every((e) => e.node.status === 'RESOLVED')).toBe(true);

    const msp = await q({ ownerParty: 'msp' });
    expect(msp.data!.tickets.edges.map((e) => e.node.id)).toEqual([b.id]);

    const byAssignee = await q({ assigneeId: alice });
    expect(byAssignee.data!.tickets.edges.map((e) => e.node.id)).toEqual([a.id]);

    const text = await q({ search: 'vpn DROPS' });
    expect(text.data!.tickets.edges.map((e) => e.node.id)).toEqual([a.id]);

    const future = await q({ updatedSince: new Date(Date.now() + 60_000).toISOString() });
    expect(future.data!.tickets.totalCount).toBe(0);

    const wildcard = await q({ search: '%' });
    expect(wildcard.data!.tickets.totalCount).toBe(0);
  });

  it('orders by priority with a working cursor', async () => {
    for (const priority of ['LOW', 'CRITICAL', 'MEDIUM', 'HIGH']) {
      await createTicket(hub, agent, { title: `prio ${priority}`, priority, serviceArea: 'prio' });
    }
    const first = await hub.gql<ListData>(agent, LIST, {
      filter: { search: 'prio ' },
      orderBy: { field: 'PRIORITY', direction: 'ASC' },
      first: 2,
    });
    const second = await hub.gql<ListData>(agent, LIST, {
      filter: { search: 'prio ' },
      orderBy: { field: 'PRIORITY', direction: 'ASC' },
      first: 2,
      after: first.data!.tickets.pageInfo.endCursor,
    });
    const order = [...first.data!.tickets.edges, ...second.data!.tickets.edges].map((e) => e.node.priority);
    expect(order).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
  });

  it('updates with the expected version and refuses a stale one with VERSION_CONFLICT', async () => {
    const t = await createTicket(hub, agent, { title: 'Laptop slow' });
    const ok = await mutate<{ updateTicket: { ticket: TicketView } }>(hub, agent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, title: 'Laptop very slow', priority: 'HIGH' },
    });
    expect(ok.updateTicket.ticket).toMatchObject({
      title: 'Laptop very slow',
      priority: 'HIGH',
      version: t.version + 1,
    });

    const stale = await hub.gql(agent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, title: 'lost update' },
    });
    expect(stale.errors?.[0]?.extensions?.code).toBe('VERSION_CONFLICT');
    expect(stale.errors?.[0]?.message).toMatch(/version 1.*version 2/);
    const now = await hub.gql<{ ticket: TicketView }>(
      agent,
      `query($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`,
      { id: t.id },
    );
    expect(now.data!.ticket.title).toBe('Laptop very slow');
  });

  it('answers NOT_FOUND for a ticket that does not exist', async () => {
    const ghost = Buffer.from('Ticket:00000000-0000-4000-8000-000000000000').toString('base64url');
    for (const op of [CLOSE, RESOLVE, REOPEN]) {
      const res = await hub.gql(agent, op, { id: ghost });
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const upd = await hub.gql(agent, UPDATE, { input: { id: ghost, expectedVersion: 1, title: 'x' } });
    expect(upd.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const q = await hub.gql<{ ticket: null }>(agent, `query($id: ID!) { ticket(id: $id) { id } }`, {
      id: ghost,
    });
    expect(q.data!.ticket).toBeNull();
  });

  it('resolves, closes and reopens with timestamps and history', async () => {
    const t = await createTicket(hub, agent, { title: 'Share permissions' });
    const resolved = (
      await mutate<{ resolveTicket: { ticket: TicketView } }>(hub, agent, RESOLVE, { id: t.id })
    ).resolveTicket.ticket;
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.resolvedAt).not.toBeNull();
    const closed = (await mutate<{ closeTicket: { ticket: TicketView } }>(hub, agent, CLOSE, { id: t.id }))
      .closeTicket.ticket;
    expect(closed.status).toBe('CLOSED');
    expect(closed.closedAt).not.toBeNull();
    const again = await hub.gql(agent, CLOSE, { id: t.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reopened = (
      await mutate<{ reopenTicket: { ticket: TicketView } }>(hub, agent, REOPEN, { id: t.id })
    ).reopenTicket.ticket;
    expect(reopened).toMatchObject({ status: 'OPEN', resolvedAt: null, closedAt: null });

    const history = await hub.gql<{
      ticket: {
        history: {
          edges: { node: { type: string; changes: { field: string; from: string; to: string }[] } }[];
        };
      };
    }>(
      agent,
      `query($id: ID!) { ticket(id: $id) { history { edges { node { type changes { field from to } } } } } }`,
      { id: t.id },
    );
    const events = history.data!.ticket.history.edges.map((e) => e.node);
    expect(events.map((e) => e.type)).toEqual(['CREATED', 'RESOLVED', 'CLOSED', 'REOPENED']);
    expect(events[2]!.changes).toEqual([{ field: 'status', from: 'RESOLVED', to: 'CLOSED' }]);
  });

  it('assigns to a person and hands off to the other party', async () => {
    const bob = await hub.createPerson('internal', 'Bob Assign', `bob.assign.${backend}@corp.example`);
    const mia = await hub.createPerson('msp', 'Mia MSP', `mia.${backend}@msp.example`);
    const t = await createTicket(hub, agent, { title: 'Firewall rule' });
    const a1 = (
      await mutate<{ assignTicket: { ticket: TicketView } }>(hub, agent, ASSIGN, {
        input: { id: t.id, assigneeId: bob },
      })
    ).assignTicket.ticket;
    expect(a1.assignee?.name).toBe('Bob Assign');
    const wrongParty = await hub.gql(agent, ASSIGN, { input: { id: t.id, assigneeId: mia } });
    expect(wrongParty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const handed = (
      await mutate<{ assignTicket: { ticket: TicketView } }>(hub, agent, ASSIGN, {
        input: { id: t.id, ownerParty: 'msp', assigneeId: mia },
      })
    ).assignTicket.ticket;
    expect(handed).toMatchObject({
      ownerParty: { slug: 'msp' },
      shared: true,
      assignee: { name: 'Mia MSP' },
    });
    // The MSP now sees it, and the internal team still does (it is shared).
    const seenByMsp = await hub.gql<{ ticket: TicketView | null }>(
      hub.tokens.mspAgent,
      `query($id: ID!) { ticket(id: $id) { id } }`,
      { id: t.id },
    );
    expect(seenByMsp.data!.ticket?.id).toBe(t.id);
  });

  it('adds public and internal comments', async () => {
    const t = await createTicket(hub, agent, { title: 'Comment me', ownerParty: 'msp' });
    await mutate(hub, agent, COMMENT, { input: { ticketId: t.id, body: 'Hello MSP' } });
    await mutate(hub, agent, COMMENT, {
      input: { ticketId: t.id, body: 'Between us: vendor is slow', visibility: 'INTERNAL' },
    });
    const q = `query($id: ID!) { ticket(id: $id) { comments { edges { node { body visibility party { slug } } } } } }`;
    const mine = await hub.gql<{
      ticket: { comments: { edges: { node: { body: string; visibility: string } }[] } };
    }>(agent, q, { id: t.id });
    expect(mine.data!.ticket.comments.edges.map((e) => e.node.visibility)).toEqual(['PUBLIC', 'INTERNAL']);
    const empty = await hub.gql(agent, COMMENT, { input: { ticketId: t.id, body: '   ' } });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
