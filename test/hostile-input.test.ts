/**
 * #15 item 9: input that should be a 400 must not answer INTERNAL_SERVER_ERROR. Each case is
 * refused as BAD_USER_INPUT (or a GraphQL validation error) with a message naming the argument,
 * and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { createTicket } from './support/ops.ts';

const backends = await availableBackends();

describe.each(backends)('hostile input on %s', (backend) => {
  let hub: TestHub;
  let token: string;
  let ticketId: string;
  const count = async () =>
    (await hub.gql<{ tickets: { totalCount: number } }>(token, '{ tickets { totalCount } }')).data!.tickets
      .totalCount;

  beforeAll(async () => {
    // Room for the 1.2 MB deep-variables body: the depth check, not the body limit, must refuse it.
    hub = await startTestHub(backend, { MAX_BODY_BYTES: String(4 * 1_048_576) });
    token = hub.tokens.internalAdmin;
    ticketId = (await createTicket(hub, token, { title: 'baseline' })).id;
  });
  afterAll(async () => hub?.stop());

  /** The first error's code and message, asserting it is a client error and never a 500. */
  async function refused(query: string, variables?: Record<string, unknown>) {
    const res = await hub.gql(token, query, variables);
    const error = res.errors?.[0];
    expect(error, JSON.stringify(res)).toBeDefined();
    expect(error?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(res.status).toBeLessThan(500);
    return { code: error?.extensions?.code, message: error?.message ?? '', status: res.status };
  }

  it('refuses an unknown orderBy field passed as a variable', async () => {
    const r = await refused('query($o: TicketOrder) { tickets(orderBy: $o) { totalCount } }', {
      o: { field: 'NOPE', direction: 'ASC' },
    });
    expect(r.message).toMatch(/\$o|orderBy/);
    expect(r.message).toMatch(/NOPE/);
  });

  it('refuses first beyond Int32, as a literal and as a variable', async () => {
    const literal = await refused('{ tickets(first: 3000000000) { totalCount } }');
    expect(literal.message).toMatch(/3000000000/);
    const variable = await refused('query($n: Int) { tickets(first: $n) { totalCount } }', { n: 2 ** 40 });
    expect(variable.message).toMatch(/\$n/);
  });

  it('refuses an invalid enum inside a variable input object and changes nothing', async () => {
    const before = await count();
    const r = await refused(
      'mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } } }',
      {
        i: { title: 'x', priority: 'URGENT' },
      },
    );
    expect(r.message).toMatch(/URGENT/);
    expect(await count()).toBe(before);
  });

  it('refuses variables nested 200,000 levels deep', async () => {
    // Built as text: JSON.stringify itself overflows the stack on a value this deep.
    const deep = `${'{"a":'.repeat(200_000)}"x"${'}'.repeat(200_000)}`;
    const query = JSON.stringify('query($f: TicketFilter) { tickets(filter: $f) { totalCount } }');
    const body = `{"query":${query},"variables":{"f":${deep}}}`;
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const json = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(res.status).toBe(400);
    expect(json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(json.errors?.[0]?.message).toMatch(/\$f.*nested/);
  });

  it('refuses NUL bytes in titles, searches, party slugs and connection ids, naming the argument', async () => {
    const before = await count();
    const title = await refused(
      'mutation($t: String!) { createTicket(input: { title: $t }) { ticket { id } } }',
      {
        t: 'a\u0000b',
      },
    );
    expect(title.code).toBe('BAD_USER_INPUT');
    expect(title.message).toMatch(/input\.title/);
    const search = await refused('{ tickets(filter: { search: "a\\u0000b" }) { totalCount } }');
    expect(search.code).toBe('BAD_USER_INPUT');
    expect(search.message).toMatch(/filter\.search/);
    const slug = await refused('query($p: String) { people(party: $p) { id } }', { p: 'msp\u0000' });
    expect(slug.code).toBe('BAD_USER_INPUT');
    expect(slug.message).toMatch(/party/);
    const owner = await refused('{ tickets(filter: { ownerParty: "m\\u0000" }) { totalCount } }');
    expect(owner.code).toBe('BAD_USER_INPUT');
    const conn = await refused('{ tickets(filter: { connectionId: "c\\u0000" }) { totalCount } }');
    expect(conn.code).toBe('BAD_USER_INPUT');
    expect(conn.message).toMatch(/filter\.connectionId/);
    const pause = await refused('mutation { pauseConnection(id: "c\\u0000") { id } }');
    expect(pause.code).toBe('BAD_USER_INPUT');
    const update = await refused(
      'mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { ticket { id } } }',
      { i: { id: ticketId, expectedVersion: 1, description: 'x\u0000' } },
    );
    expect(update.code).toBe('BAD_USER_INPUT');
    expect(update.message).toMatch(/input\.description/);
    expect(await count()).toBe(before);
  });

  it('refuses a negative or huge recentEvents(sinceId:)', async () => {
    for (const sinceId of ['-1', '99999999999999999999', '1e3', ' 1', '0x10']) {
      const r = await refused('query($s: String) { recentEvents(sinceId: $s) { edges { cursor } } }', {
        s: sinceId,
      });
      expect(r.code).toBe('BAD_USER_INPUT');
      expect(r.message).toMatch(/sinceId/);
    }
    const ok = await hub.gql(`${token}`, '{ recentEvents(sinceId: "0") { edges { cursor } } }');
    expect(ok.errors).toBeUndefined();
  });
});
