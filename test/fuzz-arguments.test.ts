/**
 * Fuzz of every query and mutation argument (#15): random cursors, ids, strings with control
 * characters, huge and negative numbers, wrong enum values, wrong types. Whatever comes in, the
 * hub answers a client error, never INTERNAL_SERVER_ERROR or a 5xx, and the data is unchanged.
 * Mutations run with inputs that are hostile by construction (at least one bad value each, so
 * none may succeed) for an agent and with anything for a viewer (who may change nothing).
 * Seeded: a failure prints the seed and the request; FUZZ_SEED reproduces it.
 */
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { COMMENT, createTicket, mutate } from './support/ops.ts';

const backends = await availableBackends();
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const ROUNDS = 12;
const TABLES = [
  'api_tokens',
  'comments',
  'connections',
  'parties',
  'people',
  'person_identities',
  'sync_outbox',
  'inbound_queue',
  'comment_links',
  'ticket_events',
  'ticket_links',
  'tickets',
];

/** mulberry32: small, seeded, good enough to pick cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Pick = <T>(xs: readonly T[]) => T;

const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u2028',
  '\ufeff',
  '\ud800',
];
const b64 = (s: string) => Buffer.from(s).toString('base64url');

function hostileString(pick: Pick, random: () => number): string {
  const pieces = [
    () => b64(pick(['garbage|x', '2026-01-01T00:00:00.000Z|nope', 'a|b|c', '|', '-5', '1e3', ''])), // cursors
    () => pick(CONTROL).repeat(1 + Math.floor(random() * 3)),
    () => 'x'.repeat(pick([0, 1, 201, 501, 70_000])),
    () =>
      b64(
        pick([
          'Ticket:',
          'Ticket:nope',
          'Comment:1',
          ':',
          'Ticket:00000000-0000-0000-0000-00000000000g',
          'a|b',
          'garbage|x',
          '2026-01-01T00:00:00Z|nope',
          '2026-13-45T99:99:99Z|x',
          '-1',
          '1e999',
          '99999999999999999999',
        ]),
      ),
    () => pick(["' or 1=1 --", '%00', '../../etc', '{"$gt":""}', '\\', '"', '😀', 'msp', 'internal', 'NaN']),
    () => String(pick([-1, 0, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308])),
  ];
  return Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(pieces)()).join('');
}

function hostileNumber(pick: Pick): unknown {
  return pick([2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1, 1.5, '12', true, null]);
}

/** A value for `type`: sometimes plausible, sometimes hostile; `mustBeBad` forces one bad leaf. */
function valueFor(type: GraphQLInputType, pick: Pick, random: () => number, mustBeBad: boolean): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const n = Math.floor(random() * 3) + (mustBeBad ? 1 : 0);
    return Array.from({ length: n }, (_, i) => valueFor(nullable.ofType, pick, random, mustBeBad && i === 0));
  }
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    const bad = mustBeBad ? pick(fields).name : null;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.name === bad || random() < 0.6) out[f.name] = valueFor(f.type, pick, random, f.name === bad);
    }
    return out;
  }
  if (isEnumType(nullable)) {
    const values = nullable.getValues().map((v) => v.name);
    return mustBeBad || random() < 0.3 ? pick(['URGENT', 'open', '', '\u0000', 1]) : pick(values);
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'Int':
        return mustBeBad || random() < 0.5 ? hostileNumber(pick) : pick([0, 1, 5, 100]);
      case 'Boolean':
        return mustBeBad ? pick(['true', 1, null]) : pick([true, false]);
      case 'DateTime':
        return mustBeBad || random() < 0.5 ? hostileString(pick, random) : new Date().toISOString();
      default: {
        // String and ID. A forced-bad one carries a NUL or is far over any length limit.
        const s = hostileString(pick, random);
        return mustBeBad ? `${s}${pick(['\u0000', 'x'.repeat(70_000)])}` : s;
      }
    }
  }
  return null;
}

/** `field(a: $a, …)` with a minimal selection, and the variables' declarations. */
function operationFor(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  args: readonly GraphQLArgument[],
) {
  const decls = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}${decls ? `(${decls})` : ''} { ${field.name}${call}${selection} }`;
}

describe.each(backends)('argument fuzz on %s', (backend) => {
  let hub: TestHub;
  let ticketId: string;

  async function snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const res = await hub.database.db.execute(
        `select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as h from ${table} t`,
      );
      out[table] = String((res as unknown as { rows: { h: string }[] }).rows[0]!.h);
    }
    return out;
  }

  beforeAll(async () => {
    hub = await startTestHub(backend, { MAX_BODY_BYTES: String(4 * 1_048_576) });
    const agent = hub.tokens.internalAgent;
    const t = await createTicket(hub, agent, { title: 'fuzz target' });
    ticketId = t.id;
    await mutate(hub, agent, COMMENT, { input: { ticketId: t.id, body: 'hello', visibility: 'PUBLIC' } });
  });
  afterAll(async () => hub?.stop());

  it(`answers hostile arguments with client errors and changes nothing (seed ${SEED})`, async () => {
    const random = rng(SEED);
    const pick: Pick = (xs) => xs[Math.floor(random() * xs.length)]!;
    const before = await snapshot();
    const roots = [
      ['query', schema.getQueryType()!, [hub.tokens.internalAdmin, hub.tokens.mspAgent]],
      ['mutation', schema.getMutationType()!, [hub.tokens.internalViewer, hub.tokens.internalAdmin]],
    ] as const;
    let requests = 0;
    for (const [kind, root, tokens] of roots) {
      for (const field of Object.values(root.getFields())) {
        for (let round = 0; round < ROUNDS; round++) {
          const token = pick(tokens);
          // Mutations by a token that may write get one bad value for sure; viewers anything.
          const mustBeBad = kind === 'mutation' && token !== hub.tokens.internalViewer;
          const args = field.args.filter(
            (a) => mustBeBad || random() < 0.8 || a.type.toString().endsWith('!'),
          );
          const variables: Record<string, unknown> = {};
          const bad = mustBeBad && args.length ? pick(args).name : null;
          for (const a of args) variables[a.name] = valueFor(a.type, pick, random, a.name === bad);
          if (mustBeBad && !bad) continue; // nothing to make bad: covered by the viewer rounds
          const query = operationFor(kind, field, args);
          const res = await hub.gql(token, query, variables);
          requests++;
          const context = `seed ${SEED}: ${query} ${JSON.stringify(variables).slice(0, 400)} -> ${JSON.stringify(res).slice(0, 400)}`;
          expect(res.status, context).toBeLessThan(500);
          for (const e of res.errors ?? [])
            expect(e.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
          if (mustBeBad) expect(res.errors?.length ?? 0, context).toBeGreaterThan(0);
        }
      }
    }
    // Arguments of nested fields (a ticket's comments and history pages), under a real ticket.
    const ticketType = schema.getType('Ticket') as GraphQLObjectType;
    for (const field of Object.values(ticketType.getFields())) {
      if (!field.args.length) continue;
      for (let round = 0; round < ROUNDS * 2; round++) {
        const args = field.args.filter(() => random() < 0.8);
        const variables: Record<string, unknown> = { id: ticketId };
        for (const a of args) variables[a.name] = valueFor(a.type, pick, random, false);
        const decls = ['$id: ID!', ...args.map((a) => `$${a.name}: ${a.type.toString()}`)].join(', ');
        const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
        const query = `query(${decls}) { ticket(id: $id) { ${field.name}${call} { __typename } } }`;
        const res = await hub.gql(pick([hub.tokens.internalAgent, hub.tokens.mspAgent]), query, variables);
        requests++;
        const context = `seed ${SEED}: ${query} ${JSON.stringify(variables).slice(0, 400)} -> ${JSON.stringify(res).slice(0, 400)}`;
        expect(res.status, context).toBeLessThan(500);
        for (const e of res.errors ?? [])
          expect(e.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
      }
    }
    expect(requests).toBeGreaterThan(200);
    expect(await snapshot()).toEqual(before);
  });
});
