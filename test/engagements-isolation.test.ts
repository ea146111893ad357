/**
 * Two customers of one MSP on one hub. With every kind of token, every read path shows nothing
 * of the other customer, shared or not, and every error about the other customer's things
 * reads exactly like the error about a random id (#10, with #15's probes).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { ASSIGN, CLOSE, COMMENT, createTicket, mutate, type TicketView, UPDATE } from './support/ops.ts';
import { type Customer, type CustomerSide, seedTwoCustomers } from './support/two-customers.ts';

const backends = await availableBackends();
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

interface Seeded {
  tickets: TicketView[];
  commentIds: string[];
  eventIds: string[];
  titles: string[];
}

const OTHER: Record<Customer, Customer> = { acme: 'globex', globex: 'acme' };
type WatchedEvent = { ticketEvents: { ticket: { title: string; engagement: { slug: string } } } };

describe.each(backends)('engagement isolation on %s', (backend) => {
  let hub: TestHub;
  let side: Record<Customer, CustomerSide>;
  const seeded = {} as Record<Customer, Seeded>;

  /** One customer's world: private, handed to the MSP, confidential, MSP-made; comments of both kinds. */
  async function seedCustomer(c: CustomerSide): Promise<Seeded> {
    const mine = (title: string, extra: Record<string, unknown> = {}) =>
      createTicket(hub, c.tokens.agent, { title: `${c.slug}: ${title}`, ...extra });
    const tickets = [
      await mine('private printer'),
      await mine('handed to msp', { ownerParty: 'msp' }),
      await mine('confidential CFO laptop', { confidential: true }),
      await createTicket(hub, c.mspOnly, {
        title: `${c.slug}: msp made, handed to the customer`,
        engagement: c.slug,
        ownerParty: c.partySlug,
      }),
    ];
    const commentIds: string[] = [];
    for (const visibility of ['PUBLIC', 'INTERNAL']) {
      const r = await mutate<{ addComment: { comment: { id: string } } }>(hub, c.tokens.agent, COMMENT, {
        input: { ticketId: tickets[1]!.id, body: `${c.slug} ${visibility} note`, visibility },
      });
      commentIds.push(r.addComment.comment.id);
    }
    const eventIds: string[] = [];
    for (const t of tickets) {
      const h = await hub.gql<{ node: { history: { edges: { node: { id: string } }[] } } | null }>(
        c.tokens.admin,
        'query($id: ID!) { node(id: $id) { ... on Ticket { history(first: 100) { edges { node { id } } } } } }',
        { id: t.id },
      );
      eventIds.push(...(h.data?.node?.history.edges.map((e) => e.node.id) ?? []));
    }
    return { tickets, commentIds, eventIds, titles: tickets.map((t) => t.title) };
  }

  beforeAll(async () => {
    hub = await startTestHub(backend);
    side = await seedTwoCustomers(hub);
    seeded.acme = await seedCustomer(side.acme);
    seeded.globex = await seedCustomer(side.globex);
  });
  afterAll(async () => hub?.stop());

  /** Every token that belongs to (or is limited to) `c`: none of them may see the other customer. */
  const tokensOf = (c: Customer) => {
    const s = side[c];
    return [
      ['admin', s.tokens.admin],
      ['agent', s.tokens.agent],
      ['viewer', s.tokens.viewer],
      ['msp limited', s.mspOnly],
    ] as const;
  };
  const cases = (['acme', 'globex'] as const).flatMap((c) =>
    [0, 1, 2, 3].map((i) => ({ c, i, name: `${c} ${['admin', 'agent', 'viewer', 'msp limited'][i]}` })),
  );

  it('gives keys by engagement and keeps the default engagement working', async () => {
    expect(seeded.acme.tickets[0]!.key).toMatch(/^ACME-\d+$/);
    expect(seeded.globex.tickets[0]!.key).toMatch(/^GLOBEX-\d+$/);
    const own = await createTicket(hub, hub.tokens.internalAgent, {
      title: 'default engagement still works',
    });
    expect(own.key).toMatch(/^HUB-\d+$/);
  });

  it.each(cases)(
    '$name: lists, counts and the engagement filter show nothing of the other',
    async ({ c, i }) => {
      const token = tokensOf(c)[i]![1];
      const other = seeded[OTHER[c]];
      const list = await hub.gql<{
        tickets: {
          totalCount: number;
          edges: { node: { id: string; title: string; engagement: { slug: string } } }[];
        };
      }>(token, '{ tickets(first: 100) { totalCount edges { node { id title engagement { slug } } } } }');
      const nodes = list.data!.tickets.edges.map((e) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.engagement.slug === c)).toBe(true);
      expect(list.data!.tickets.totalCount).toBe(nodes.length);
      for (const t of other.tickets) expect(nodes.map((n) => n.id)).not.toContain(t.id);

      const filtered = await hub.gql<{ tickets: { totalCount: number; edges: unknown[] } }>(
        token,
        'query($e: [String!]) { tickets(first: 10, filter: { engagement: $e }) { totalCount edges { cursor } } }',
        { e: [OTHER[c]] },
      );
      expect(filtered.data!.tickets).toEqual({ totalCount: 0, edges: [] });
      const searched = await hub.gql<{ tickets: { totalCount: number } }>(
        token,
        'query($q: String) { tickets(first: 10, filter: { search: $q }) { totalCount } }',
        { q: OTHER[c] },
      );
      expect(searched.data!.tickets.totalCount).toBe(0);
    },
  );

  it.each(cases)(
    '$name: node, nodes, ticket, comments and history of the other are null',
    async ({ c, i }) => {
      const token = tokensOf(c)[i]![1];
      const other = seeded[OTHER[c]];
      const ids = [...other.tickets.map((t) => t.id), ...other.commentIds];
      const res = await hub.gql<{ nodes: unknown[] }>(
        token,
        'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        {
          ids,
        },
      );
      expect(res.data!.nodes).toEqual(ids.map(() => null));
      for (const t of other.tickets) {
        const one = await hub.gql(token, 'query($id: ID!) { ticket(id: $id) { id } node(id: $id) { id } }', {
          id: t.id,
        });
        expect(one.data).toEqual({ ticket: null, node: null });
      }
      const otherSide = side[OTHER[c]];
      const party = gid('Party', otherSide.partyId);
      const engagement = gid('Engagement', otherSide.engagementId);
      const refs = await hub.gql(token, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: [party, engagement, otherSide.personId],
      });
      expect(refs.data).toEqual({ nodes: [null, null, null] });
    },
  );

  it.each(cases)('$name: recentEvents, people, parties and engagements leak nothing', async ({ c, i }) => {
    const token = tokensOf(c)[i]![1];
    const other = seeded[OTHER[c]];
    const feed = await hub.gql<{ recentEvents: { edges: { node: { id: string } }[] } }>(
      token,
      '{ recentEvents(first: 100) { edges { node { id } } } }',
    );
    const seen = feed.data!.recentEvents.edges.map((e) => e.node.id);
    expect(seen.length).toBeGreaterThan(0);
    expect(other.eventIds.length).toBeGreaterThan(0);
    for (const id of other.eventIds) expect(seen).not.toContain(id);

    const who = await hub.gql<{
      people: { name: string }[];
      parties: { slug: string }[];
      engagements: { slug: string }[];
      engagement: unknown;
      viewer: { engagements: { slug: string }[] };
    }>(
      token,
      'query($o: String!) { people { name } parties { slug } engagements { slug } engagement(slug: $o) { slug } viewer { engagements { slug } } }',
      { o: OTHER[c] },
    );
    expect(who.data!.people.map((p) => p.name)).not.toContain(`${OTHER[c]} person`);
    expect(who.data!.parties.map((p) => p.slug)).not.toContain(`${OTHER[c]}-it`);
    expect(who.data!.engagements.map((e) => e.slug)).toEqual([c]);
    expect(who.data!.viewer.engagements.map((e) => e.slug)).toEqual([c]);
    expect(who.data!.engagement).toBeNull();
  });

  it.each(cases)('$name: errors about the other customer read exactly like a random id', async ({ c, i }) => {
    const token = tokensOf(c)[i]![1];
    const target = seeded[OTHER[c]].tickets[1]!;
    const random = gid('Ticket', randomUUID());
    const attempts: [string, (id: string) => Record<string, unknown>][] = [
      [UPDATE, (id) => ({ input: { id, expectedVersion: 1, title: 'x' } })],
      [COMMENT, (id) => ({ input: { ticketId: id, body: 'x' } })],
      [ASSIGN, (id) => ({ input: { id, assigneeId: null } })],
      [CLOSE, (id) => ({ id })],
    ];
    for (const [query, vars] of attempts) {
      const theirs = await hub.gql(token, query, vars(target.id));
      const nobody = await hub.gql(token, query, vars(random));
      const strip = (r: typeof theirs, id: string) =>
        JSON.stringify(
          r.errors?.map((e) => ({ ...e, message: e.message.replaceAll(id, '<id>') })) ?? null,
        ).replaceAll(/[0-9a-f-]{36}/g, '<uuid>');
      expect(theirs.errors?.[0]?.extensions?.code).toBeDefined();
      expect(strip(theirs, target.id)).toBe(strip(nobody, random));
    }
    // Creating into the other customer's engagement, or handing to its team, reads like a typo.
    const into = (engagement: string) =>
      hub.gql(
        token,
        'mutation($e: String) { createTicket(input: { title: "x", engagement: $e }) { ticket { id } } }',
        {
          e: engagement,
        },
      );
    const a = await into(OTHER[c]);
    const b = await into('no-such-customer');
    expect(a.errors?.[0]?.extensions?.code).toBe(b.errors?.[0]?.extensions?.code);
    expect(a.errors?.[0]?.message.replace(OTHER[c], '<e>')).toBe(
      b.errors?.[0]?.message.replace('no-such-customer', '<e>'),
    );
    const hand = (party: string) =>
      hub.gql(
        token,
        'mutation($p: String) { createTicket(input: { title: "x", ownerParty: $p }) { ticket { id } } }',
        {
          p: party,
        },
      );
    const h1 = await hand(`${OTHER[c]}-it`);
    const h2 = await hand('no-such-party');
    expect(h1.errors?.[0]?.message.replace(`${OTHER[c]}-it`, '<p>')).toBe(
      h2.errors?.[0]?.message.replace('no-such-party', '<p>'),
    );
  });

  it("an unrestricted MSP token sees both customers' shared tickets, never their private ones", async () => {
    const list = await hub.gql<{ tickets: { edges: { node: { title: string } }[] } }>(
      hub.tokens.mspAgent,
      '{ tickets(first: 100) { edges { node { title } } } }',
    );
    const titles = list.data!.tickets.edges.map((e) => e.node.title);
    for (const c of ['acme', 'globex'] as const) {
      expect(titles).toContain(`${c}: handed to msp`);
      expect(titles).toContain(`${c}: msp made, handed to the customer`);
      expect(titles).not.toContain(`${c}: private printer`);
      expect(titles).not.toContain(`${c}: confidential CFO laptop`);
    }
    const mine = await hub.gql<{ engagements: { slug: string }[] }>(
      hub.tokens.mspAgent,
      '{ engagements { slug } }',
    );
    expect(mine.data!.engagements.map((e) => e.slug).sort()).toEqual(['acme', 'default', 'globex']);
    // With several engagements, a create must say which one.
    const unnamed = await hub.gql(
      hub.tokens.mspAgent,
      'mutation { createTicket(input: { title: "where?" }) { ticket { id } } }',
    );
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.engagement',
    });
  });

  it('subscriptions deliver nothing of the other customer, to any token limited to one', async () => {
    // One at a time: `ready` waits for the server's count of live subscriptions to grow by one.
    const watchers: { c: Customer; sub: ReturnType<typeof collect<WatchedEvent>> }[] = [];
    for (const c of ['acme', 'globex'] as const) {
      for (const [, token] of tokensOf(c)) {
        const sub = collect<WatchedEvent>(
          hub,
          hub.ws(token),
          'subscription { ticketEvents { ticket { title engagement { slug } } } }',
        );
        await sub.ready;
        watchers.push({ c, sub });
      }
    }
    const filtered = collect<{ ticketEvents: { ticket: { title: string } } }>(
      hub,
      hub.ws(hub.tokens.mspAgent),
      'subscription { ticketEvents(filter: { engagement: ["globex"] }) { ticket { title } } }',
    );
    await filtered.ready;
    // Shared changes in both customers, then one marker each, so every watcher has something to wait for.
    for (const c of ['acme', 'globex'] as const) {
      await mutate(hub, side[c].tokens.agent, COMMENT, {
        input: { ticketId: seeded[c].tickets[1]!.id, body: `${c} live public comment` },
      });
      await createTicket(hub, side[c].mspOnly, {
        title: `${c}: marker`,
        engagement: c,
        ownerParty: side[c].partySlug,
      });
    }
    for (const { c, sub } of watchers) {
      await sub.until(2, 20_000);
      const slugs = sub.items.map((e) => e.ticketEvents.ticket.engagement.slug);
      expect(slugs.length, `${c}: ${JSON.stringify(sub.items)}`).toBeGreaterThanOrEqual(2);
      expect(new Set(slugs)).toEqual(new Set([c]));
      expect(sub.errors).toEqual([]);
    }
    await filtered.until(2, 20_000);
    expect(filtered.items.map((e) => e.ticketEvents.ticket.title).every((t) => t.startsWith('globex'))).toBe(
      true,
    );
    await Promise.all([...watchers.map((w) => w.sub.stop()), filtered.stop()]);
  });
});
