import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { createTicket } from './support/ops.ts';

const backends = await availableBackends();

describe.each(backends)('bad input on %s', (backend) => {
  let hub: TestHub;
  let token: string;
  const count = async () =>
    (await hub.gql<{ tickets: { totalCount: number } }>(token, '{ tickets { totalCount } }')).data!.tickets
      .totalCount;

  beforeAll(async () => {
    hub = await startTestHub(backend, { MAX_QUERY_DEPTH: '6', MAX_BODY_BYTES: '65536' });
    token = hub.tokens.internalAgent;
    await createTicket(hub, token, { title: 'baseline' });
  });
  afterAll(async () => hub?.stop());

  it('names the syntax error in a malformed query', async () => {
    const res = await hub.gql(token, '{ tickets(first: 2 { totalCount }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/Syntax Error/);
  });

  it('refuses an over-deep query before running it', async () => {
    const deep =
      '{ tickets { edges { node { history { edges { node { actorParty { id } comment { party { id } } } } } } } } }';
    const res = await hub.gql(token, deep);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(res.errors?.[0]?.extensions?.code).toBeTruthy();
  });

  it('rejects an invalid enum value and changes nothing', async () => {
    const before = await count();
    const res = await hub.gql(
      token,
      'mutation { createTicket(input: { title: "x", priority: URGENT }) { ticket { id } } }',
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/URGENT/);
    expect(await count()).toBe(before);
  });

  it('names the field of an oversized input and changes nothing', async () => {
    const before = await count();
    const res = await hub.gql(
      token,
      'mutation($t: String!) { createTicket(input: { title: $t }) { ticket { id } } }',
      {
        t: 'x'.repeat(501),
      },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/input\.title: at most 500/);
    expect(await count()).toBe(before);
  });

  it('answers 413 to a body over MAX_BODY_BYTES and changes nothing', async () => {
    const before = await count();
    const res = await hub.gql(
      token,
      'mutation($d: String!) { createTicket(input: { title: "big", description: $d }) { ticket { id } } }',
      {
        d: 'y'.repeat(70_000),
      },
    );
    expect(res.status).toBe(413);
    expect(res.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count()).toBe(before);
  });

  it('rejects ids and cursors that did not come from the API', async () => {
    const badId = await hub.gql(token, 'mutation { closeTicket(input: { id: "bm9wZQ" }) { ticket { id } } }');
    expect(badId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const partyId = (await hub.gql<{ parties: { id: string }[] }>(token, '{ parties { id } }')).data!
      .parties[0]!.id;
    const wrongType = await hub.gql(
      token,
      'mutation($id: ID!) { closeTicket(input: { id: $id }) { ticket { id } } }',
      { id: partyId },
    );
    expect(wrongType.errors?.[0]?.message).toMatch(/expected a Ticket id/);
    const badCursor = await hub.gql(token, '{ tickets(after: "garbage") { totalCount } }');
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await hub.gql(token, '{ tickets(first: 1000) { totalCount } }');
    expect(tooMany.errors?.[0]?.message).toMatch(/first: must be between 0 and 100/);
    const badDate = await hub.gql(token, '{ tickets(filter: { updatedSince: "yesterday" }) { totalCount } }');
    expect(badDate.errors?.[0]?.message).toMatch(/ISO-8601/);
  });
});
