/**
 * #15 item 5: the cost limit reads `first` from variables and counts the default page size
 * when it is left out; depth and cost refusals carry their own codes; nested lists (comments,
 * history, an event's comment) are fetched in batches, not one query per row.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { COMMENT, createTicket, mutate } from './support/ops.ts';

const backends = await availableBackends();

const NESTED = `query($n: Int) { tickets(first: $n) { edges { node { id
  comments(first: $n) { edges { node { id body } } } } } } }`;

describe.each(backends)('query cost on %s', (backend) => {
  let hub: TestHub;
  let viewer: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    viewer = hub.tokens.internalViewer;
    const agent = hub.tokens.internalAgent;
    for (let i = 0; i < 6; i++) {
      const t = await createTicket(hub, agent, { title: `cost ${i}` });
      for (let c = 0; c < 3; c++) {
        await mutate(hub, agent, COMMENT, { input: { ticketId: t.id, body: `c${c}`, visibility: 'PUBLIC' } });
      }
    }
  });
  afterAll(async () => hub?.stop());

  it('charges `first` passed as a variable and refuses nested lists sized by it', async () => {
    const res = await hub.gql(viewer, NESTED, { n: 100 });
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(res.errors?.[0]?.message).toMatch(/MAX_QUERY_COST/);
    expect(res.errors?.[0]?.message).not.toMatch(/Syntax Error/);
  });

  it('charges the default page size when `first` is left out', async () => {
    // Each copy: the connection, 25 edges x (edge + node + 2 lists x (1 + 25 x (edge + node))).
    const copy = (i: number, first = '') =>
      `c${i}: tickets${first} { edges { node { id comments { edges { node { id } } } history { edges { node { id } } } } } }`;
    const res = await hub.gql(viewer, `{ ${copy(1)} ${copy(2)} }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(res.errors?.[0]?.extensions?.cost).toBe(2 * (1 + 25 * (1 + 1 + 2 * (1 + 25 * 2))));
    const paged = await hub.gql(viewer, `{ ${copy(1, '(first: 2)')} ${copy(2, '(first: 2)')} }`);
    expect(paged.errors).toBeUndefined();
  });

  it('adds up aliased copies', async () => {
    const copy = (i: number) =>
      `c${i}: tickets(first: $n) { edges { node { id comments(first: 20) { edges { node { id } } } } } }`;
    const query = `query($n: Int) { ${Array.from({ length: 20 }, (_, i) => copy(i)).join(' ')} }`;
    const small = await hub.gql(viewer, query, { n: 1 });
    expect(small.errors).toBeUndefined();
    const big = await hub.gql(viewer, query, { n: 50 });
    expect(big.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('answers the same query when its variables keep it small', async () => {
    const res = await hub.gql<{ tickets: { edges: { node: { comments: { edges: unknown[] } } }[] } }>(
      viewer,
      NESTED,
      { n: 5 },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.tickets.edges).toHaveLength(5);
    for (const e of res.data!.tickets.edges) expect(e.node.comments.edges).toHaveLength(3);
  });

  it('gives an over-deep query its own code, not a syntax error', async () => {
    const hubDeep = `{ tickets(first: 1) { edges { node { history(first: 1) { edges { node { ticket {
      comments(first: 1) { edges { node { party { id } } } } } } } } } } } }`;
    const deep = await startTestHub(backend, { MAX_QUERY_DEPTH: '6' });
    const refused = await deep.gql(deep.tokens.internalViewer, hubDeep);
    await deep.stop();
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(refused.errors?.[0]?.message).toMatch(/^Query depth limit of 6/);
  });

  it('fetches comments, history and event comments in batches, not one query per ticket', async () => {
    const select = vi.spyOn(hub.database.db, 'select');
    try {
      const res = await hub.gql<{ tickets: { edges: unknown[] } }>(
        viewer,
        `{ tickets(first: 6) { edges { node { id comments(first: 2) { edges { node { id } } }
          history(first: 10) { edges { node { id comment { id body } } } } } } } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.tickets.edges).toHaveLength(6);
      // One list query (tickets, its count), one for all comments, one for all histories, one
      // for the events' comments: far fewer than the 6 x 3 + 1 it took per row.
      expect(select.mock.calls.length).toBeLessThanOrEqual(8);
    } finally {
      select.mockRestore();
    }
  });
});
