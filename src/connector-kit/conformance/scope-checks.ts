/**
 * Connection scope: a connection serves some of the tool's customers (`ctx.scopeKeys`). Pulls are
 * narrowed to them where the API allows, every record says whose it is (`scopeKey`), creates land
 * under the customer asked for, and a create outside the scope is refused with nothing written.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorContext } from '../contract.ts';
import { isConnectorError } from '../errors.ts';
import type { HarnessScope } from '../harness.ts';
import type { TicketRecord } from '../records.ts';
import {
  assertTicketRecord,
  type CheckTarget,
  call,
  collectPull,
  describeError,
  draftFor,
  ensure,
  fail,
  listSome,
  skip,
  uniqueTag,
} from './support.ts';

function scopeOf<C>(t: CheckTarget<C>): HarnessScope {
  if (!t.harness.scope) {
    skip('the harness declares no customers (harness.scope): give the simulator two customers to run it');
  }
  return t.harness.scope;
}

function scoped<C>(t: CheckTarget<C>, scopeKeys: readonly string[]): CheckTarget<C> {
  const ctx: ConnectorContext<C> = { ...t.ctx, scopeKeys };
  return { ...t, ctx };
}

async function seedIn(scope: HarnessScope, key: string, count: number) {
  const ids = await call(`harness.scope.seedTicketsIn("${key}", ${count})`, () =>
    scope.seedTicketsIn(key, count, { titlePrefix: `scope ${key} ${uniqueTag()}` }),
  );
  ensure(ids.length === count, `harness.scope.seedTicketsIn returned ${ids.length} ids, expected ${count}`);
  return ids;
}

export async function checkScopedPull<C>(t: CheckTarget<C>): Promise<void> {
  const scope = scopeOf(t);
  const [a, b] = scope.keys;
  t.clock.advance();
  const inA = await seedIn(scope, a, 2);
  const inB = await seedIn(scope, b, 2);
  const pull = await collectPull(scoped(t, [a]), null);
  const missing = inA.filter((id) => !pull.latest.has(id));
  ensure(
    missing.length === 0,
    `a pull scoped to "${a}" missed its tickets ${listSome(missing)}: narrow the query by the customer key, do not replace the other filters`,
  );
  const wrongA = inA.filter((id) => pull.latest.get(id)?.scopeKey !== a);
  ensure(
    wrongA.length === 0,
    `tickets ${listSome(wrongA)} of customer "${a}" came back with scopeKey "${pull.latest.get(wrongA[0] ?? '')?.scopeKey}": map the vendor's customer field to TicketRecord.scopeKey`,
  );
  const leaked = inB.filter((id) => pull.latest.has(id));
  if (scope.pullFilter === 'server') {
    ensure(
      leaked.length === 0,
      `a pull scoped to "${a}" returned tickets ${listSome(leaked)} of customer "${b}": filter the vendor query by ctx.scopeKeys (or declare pullFilter notServerSide with the reason)`,
    );
  } else {
    t.note(`scoped pulls are not filtered server-side: ${scope.pullFilter.notServerSide}`);
    const unmarked = leaked.filter((id) => pull.latest.get(id)?.scopeKey !== b);
    ensure(
      unmarked.length === 0,
      `without a server-side filter every record must carry its customer, but tickets ${listSome(unmarked)} of "${b}" came back with scopeKey "${pull.latest.get(unmarked[0] ?? '')?.scopeKey}"`,
    );
  }
  if (scope.pullFilter === 'server') {
    const strangers = pull.records.filter((r) => r.scopeKey !== a);
    ensure(
      strangers.length === 0,
      `a pull scoped to "${a}" returned tickets of other customers: ${listSome(strangers.map((r) => `${r.externalId} (${r.scopeKey})`))}`,
    );
  }
}

export async function checkGetTicketScopeKey<C>(t: CheckTarget<C>): Promise<void> {
  const scope = scopeOf(t);
  for (const key of scope.keys) {
    const [id] = await seedIn(scope, key, 1);
    const record = await call(`getTicket(${id})`, () => t.connector.getTicket(t.ctx, id ?? ''));
    ensure(record, `getTicket(${id}) returned null for a ticket just seeded for customer "${key}"`);
    assertTicketRecord(record, `getTicket(${id})`);
    ensure(
      record.scopeKey === key,
      `getTicket(${id}) returned scopeKey "${record.scopeKey}" for a ticket of customer "${key}": map the vendor's customer field to TicketRecord.scopeKey`,
    );
  }
}

async function createIn<C>(t: CheckTarget<C>, key: string): Promise<TicketRecord> {
  const draft = { ...draftFor(t, `scoped create ${key} ${uniqueTag()}`), scopeKey: key };
  const record = await call(`createTicket(scopeKey "${key}")`, () => t.connector.createTicket(t.ctx, draft));
  assertTicketRecord(record, 'createTicket');
  return record;
}

export async function checkCreateUnderScopeKey<C>(t: CheckTarget<C>): Promise<void> {
  const scope = scopeOf(t);
  const target = scoped(t, scope.keys);
  for (const key of scope.keys) {
    const created = await createIn(target, key);
    ensure(
      created.scopeKey === key,
      `createTicket with draft.scopeKey "${key}" returned scopeKey "${created.scopeKey}": create the ticket under that customer`,
    );
    const read = await call(`getTicket(${created.externalId})`, () =>
      t.connector.getTicket(t.ctx, created.externalId),
    );
    ensure(
      read?.scopeKey === key,
      `the ticket created with draft.scopeKey "${key}" reads back with scopeKey "${read?.scopeKey}": it did not land under that customer`,
    );
  }
}

export async function checkCreateOutsideScopeRefused<C>(t: CheckTarget<C>): Promise<void> {
  const scope = scopeOf(t);
  const [a, b] = scope.keys;
  const hubTicketId = randomUUID();
  const draft = { ...draftFor(t, `outside scope ${uniqueTag()}`, hubTicketId), scopeKey: b };
  let outcome: unknown;
  try {
    outcome = await t.connector.createTicket(scoped(t, [a]).ctx, draft);
  } catch (err) {
    outcome = err;
  }
  if (!isConnectorError(outcome)) {
    fail(
      `createTicket with scopeKey "${b}" on a connection scoped to "${a}" ${outcome instanceof Error ? `threw ${describeError(outcome)}` : 'succeeded'}: refuse it with a non-retryable ConnectorError (resolveCreateScope does) before any request`,
    );
  }
  ensure(
    !outcome.retryable,
    `the refusal of a create outside the scope is retryable (${outcome.kind}): the engine would retry it forever; use 'bad_request'`,
  );
  const copies = await call('harness.countCorrelated', () => t.harness.countCorrelated(hubTicketId));
  ensure(copies === 0, `the refused create still wrote ${copies} ticket(s) to the vendor`);
}
