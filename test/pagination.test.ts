import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { COMMENT, createTicket, mutate } from './support/ops.ts';

const backends = await availableBackends();

const b64 = (text: string) => Buffer.from(text).toString('base64url');

interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Relay cursor connections: backward pagination is refused with a clear error (rather than
 * answered wrongly), forward pages walk every item once, and a cursor the API did not hand
 * out (truncated, random, from another list) is a BAD_USER_INPUT naming the argument.
 */
describe.each(backends)('pagination on %s', (backend) => {
  let hub: TestHub;
  let token: string;
  let ticketId: string;
  const cursors: Record<string, string> = {};

  beforeAll(async () => {
    hub = await startTestHub(backend);
    token = hub.tokens.internalAgent;
    for (const title of ['one', 'two', 'three']) ticketId = (await createTicket(hub, token, { title })).id;
    for (const body of ['a', 'b', 'c']) await mutate(hub, token, COMMENT, { input: { ticketId, body } });
    const first = await hub.gql<{
      tickets: Page;
      recentEvents: Page;
      ticket: { comments: Page; history: Page };
    }>(
      token,
      `query($id: ID!) {
        tickets(first: 1) { edges { cursor } }
        recentEvents(first: 1) { edges { cursor } }
        ticket(id: $id) { comments(first: 1) { edges { cursor } } history(first: 1) { edges { cursor } } }
      }`,
      { id: ticketId },
    );
    const data = first.data!;
    cursors.tickets = data.tickets.edges[0]!.cursor;
    cursors.recentEvents = data.recentEvents.edges[0]!.cursor;
    cursors.comments = data.ticket.comments.edges[0]!.cursor;
    cursors.history = data.ticket.history.edges[0]!.cursor;
  });
  afterAll(async () => hub?.stop());

  const lists = {
    tickets: (args: string) => `{ tickets(${args}) { edges { cursor } } }`,
    recentEvents: (args: string) => `{ recentEvents(${args}) { edges { cursor } } }`,
    comments: (args: string) =>
      `query($id: ID!) { ticket(id: $id) { comments(${args}) { edges { cursor } } } }`,
    history: (args: string) =>
      `query($id: ID!) { ticket(id: $id) { history(${args}) { edges { cursor } } } }`,
  };

  for (const [list, query] of Object.entries(lists)) {
    it(`${list}: refuses last and before instead of answering wrongly`, async () => {
      const last = await hub.gql(token, query('last: 1'), { id: ticketId });
      expect(last.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(last.errors?.[0]?.message).toMatch(/^last: .*first.*after/);
      const before = await hub.gql(token, query(`before: "${cursors[list]}"`), { id: ticketId });
      expect(before.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(before.errors?.[0]?.message).toMatch(/^before: /);
    });

    it(`${list}: refuses truncated, random and foreign cursors, naming the argument`, async () => {
      const own = cursors[list]!;
      const foreign = Object.entries(cursors)
        .filter(([name]) => name !== list && !(name === 'recentEvents' && list === 'history'))
        .filter(([name]) => !(name === 'history' && list === 'recentEvents'))
        .map(([, c]) => c);
      const bad = [
        own.slice(0, Math.floor(own.length / 2)),
        b64('\u0000\u00ff random bytes'),
        'not base64 at all!',
        b64('12abc'),
        b64('["UPDATED_AT","yesterday","x"]'),
        b64('["UPDATED_AT","2026-01-01T00:00:00Z","not-a-uuid"]'),
        b64('9999999999999999999999'),
        b64('nonsense|00000000-0000-0000-0000-000000000000'),
        ...foreign,
      ];
      for (const cursor of bad) {
        const res = await hub.gql(
          token,
          query('first: 1, after: $after').replace(/^(query\(|\{)/, (m) =>
            m === '{' ? 'query($after: String) {' : 'query($after: String, ',
          ),
          { id: ticketId, after: cursor },
        );
        expect(
          res.errors?.[0]?.extensions?.code,
          `${list} after ${cursor}: ${JSON.stringify(res.errors)}`,
        ).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.message).toMatch(/^after: /);
      }
    });
  }

  it('walks every ticket once with first/after', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: { data?: { tickets: Page } | null } = await hub.gql<{ tickets: Page }>(
        token,
        'query($after: String) { tickets(first: 1, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page: Page = res.data!.tickets;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });
});
