import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { COMMENT, createTicket, mutate, type TicketView, UPDATE } from './support/ops.ts';

const backends = await availableBackends();

/** Opens a raw graphql-ws socket, sends connection_init, and reports how the server closed it. */
function wsCloseCode(
  url: string,
  payload: Record<string, unknown>,
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on('error', reject);
    setTimeout(() => reject(new Error('socket was not closed')), 5000).unref();
  });
}

describe.each(backends)('access control on %s', (backend) => {
  let hub: TestHub;
  let secret: TicketView;
  let shared: TicketView;
  let internalCommentId: string;
  let publicCommentId: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    secret = await createTicket(hub, hub.tokens.internalAgent, {
      title: 'CFO laptop investigation',
      confidential: true,
    });
    await mutate(hub, hub.tokens.internalAgent, COMMENT, {
      input: { ticketId: secret.id, body: 'confidential detail' },
    });
    shared = await createTicket(hub, hub.tokens.internalAgent, {
      title: 'Patch Tuesday rollout',
      ownerParty: 'msp',
    });
    const c1 = await mutate<{ addComment: { comment: { id: string } } }>(
      hub,
      hub.tokens.internalAgent,
      COMMENT,
      {
        input: { ticketId: shared.id, body: 'internal only: watch the CFO laptop', visibility: 'INTERNAL' },
      },
    );
    const c2 = await mutate<{ addComment: { comment: { id: string } } }>(
      hub,
      hub.tokens.internalAgent,
      COMMENT,
      {
        input: { ticketId: shared.id, body: 'please start Tuesday' },
      },
    );
    internalCommentId = c1.addComment.comment.id;
    publicCommentId = c2.addComment.comment.id;
  });
  afterAll(async () => hub?.stop());

  it('hides a confidential internal ticket from the MSP in lists, node lookups and ticket()', async () => {
    const msp = hub.tokens.mspAgent;
    const list = await hub.gql<{ tickets: { totalCount: number; edges: { node: { id: string } }[] } }>(
      msp,
      '{ tickets(first: 100) { totalCount edges { node { id } } } }',
    );
    const ids = list.data!.tickets.edges.map((e) => e.node.id);
    expect(ids).toContain(shared.id);
    expect(ids).not.toContain(secret.id);
    expect(list.data!.tickets.totalCount).toBe(ids.length);

    const node = await hub.gql<{ node: unknown; nodes: unknown[] }>(
      msp,
      'query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }',
      { id: secret.id },
    );
    expect(node.data).toEqual({ node: null, nodes: [null] });
    const one = await hub.gql<{ ticket: unknown }>(
      msp,
      'query($id: ID!) { ticket(id: $id) { id history { edges { node { type } } } } }',
      { id: secret.id },
    );
    expect(one.data!.ticket).toBeNull();
    // The owner sees it.
    const own = await hub.gql<{ node: { id: string } | null }>(
      hub.tokens.internalViewer,
      'query($id: ID!) { node(id: $id) { id } }',
      { id: secret.id },
    );
    expect(own.data!.node?.id).toBe(secret.id);
  });

  it('refuses MSP writes to the confidential ticket as NOT_FOUND, revealing nothing', async () => {
    const res = await hub.gql(hub.tokens.mspAgent, COMMENT, { input: { ticketId: secret.id, body: 'peek' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const upd = await hub.gql(hub.tokens.mspAgent, UPDATE, {
      input: { id: secret.id, expectedVersion: 1, title: 'x' },
    });
    expect(upd.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("keeps the other party's internal comments out of comments, node lookups and history", async () => {
    const msp = hub.tokens.mspAgent;
    const q = `query($id: ID!) { ticket(id: $id) {
      comments { edges { node { id body visibility } } }
      history { edges { node { type comment { id } } } } } }`;
    const res = await hub.gql<{
      ticket: {
        comments: { edges: { node: { id: string; body: string } }[] };
        history: { edges: { node: { type: string; comment: { id: string } | null } }[] };
      };
    }>(msp, q, { id: shared.id });
    const comments = res.data!.ticket.comments.edges.map((e) => e.node.id);
    expect(comments).toEqual([publicCommentId]);
    const commented = res.data!.ticket.history.edges.filter((e) => e.node.type === 'COMMENTED');
    expect(commented.map((e) => e.node.comment?.id)).toEqual([publicCommentId]);
    const node = await hub.gql<{ node: unknown }>(msp, 'query($id: ID!) { node(id: $id) { id } }', {
      id: internalCommentId,
    });
    expect(node.data!.node).toBeNull();
    const mine = await hub.gql<{ ticket: { comments: { edges: unknown[] } } }>(hub.tokens.internalViewer, q, {
      id: shared.id,
    });
    expect(mine.data!.ticket.comments.edges).toHaveLength(2);
  });

  it('never delivers confidential or foreign internal events to an MSP subscriber', async () => {
    const client = hub.ws(hub.tokens.mspAgent);
    const sub = collect<{ ticketEvents: { type: string; ticket: { id: string } } }>(
      hub,
      client,
      'subscription { ticketEvents { type ticket { id } } }',
    );
    await sub.ready;
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: secret.id, expectedVersion: secret.version, title: 'CFO laptop: imaging' },
    });
    await mutate(hub, hub.tokens.internalAgent, COMMENT, {
      input: { ticketId: shared.id, body: 'internal again', visibility: 'INTERNAL' },
    });
    // A visible change last: once it arrives, the earlier ones would have arrived before it.
    await mutate(hub, hub.tokens.internalAgent, COMMENT, {
      input: { ticketId: shared.id, body: 'public marker' },
    });
    const items = await sub.until(1);
    await hub.app.dispatcher.idle();
    await sub.stop();
    expect(sub.errors).toEqual([]);
    expect(items.map((i) => [i.ticketEvents.type, i.ticketEvents.ticket.id])).toEqual([
      ['COMMENTED', shared.id],
    ]);
  });

  it('lets a VIEWER read but not change anything', async () => {
    const viewer = hub.tokens.internalViewer;
    const read = await hub.gql<{ viewer: { role: string } }>(viewer, '{ viewer { role party { slug } } }');
    expect(read.data!.viewer.role).toBe('VIEWER');
    const res = await hub.gql(
      viewer,
      'mutation { createTicket(input: { title: "nope" }) { ticket { id } } }',
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toMatch(/VIEWER/);
    const count = await hub.gql<{ tickets: { totalCount: number } }>(
      viewer,
      '{ tickets(filter: { search: "nope" }) { totalCount } }',
    );
    expect(count.data!.tickets.totalCount).toBe(0);
  });

  it('answers HTTP 401 to no token and to a forged one', async () => {
    const none = await hub.gql(null, '{ viewer { role } }');
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(none.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
    const forged = await hub.gql(`hub_${'A'.repeat(43)}`, '{ viewer { role } }');
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.message).toMatch(/Invalid or revoked/);
  });

  it('closes a WebSocket with 4401 without a token and 4403 with a forged one', async () => {
    expect((await wsCloseCode(hub.wsUrl, {})).code).toBe(4401);
    expect((await wsCloseCode(hub.wsUrl, { authorization: `Bearer hub_${'B'.repeat(43)}` })).code).toBe(4403);
    expect((await wsCloseCode(hub.wsUrl, { token: 'not-even-a-hub-token' })).code).toBe(4403);
  });
});
