/**
 * Writing to the vendor: idempotent creates (the engine retries after crashes), reads by id, and
 * round trips of every canonical value through the connection's maps.
 */
import { randomUUID } from 'node:crypto';
import { isConnectorError } from '../errors.ts';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPatch, type TicketRecord } from '../records.ts';
import { assertTicketRecord, type CheckTarget, call, draftFor, ensure, fail, uniqueTag } from './support.ts';

async function create<C>(t: CheckTarget<C>, title: string, hubTicketId?: string): Promise<TicketRecord> {
  const draft = draftFor(t, title, hubTicketId);
  const record = await call('createTicket', () => t.connector.createTicket(t.ctx, draft));
  assertTicketRecord(record, 'createTicket');
  return record;
}

async function count<C>(t: CheckTarget<C>, hubTicketId: string): Promise<number> {
  return call('harness.countCorrelated', () => t.harness.countCorrelated(hubTicketId));
}

export async function checkCreateIdempotent<C>(t: CheckTarget<C>): Promise<void> {
  const hubTicketId = randomUUID();
  const first = await create(t, `idempotent ${uniqueTag()}`, hubTicketId);
  const second = await create(t, first.title, hubTicketId);
  ensure(
    second.externalId === first.externalId,
    `createTicket called twice with hubTicketId ${hubTicketId} created ${first.externalId} and then ${second.externalId}: look for a vendor ticket carrying the correlation key before creating one`,
  );
  const copies = await count(t, hubTicketId);
  ensure(
    copies === 1,
    `the vendor holds ${copies} tickets correlated with ${hubTicketId} after two createTicket calls: store the hub id on the vendor ticket (a custom field, externalXRef...) and search it first`,
  );
  ensure(
    first.correlationId == null || first.correlationId === hubTicketId,
    `createTicket returned correlationId "${first.correlationId}" instead of "${hubTicketId}"`,
  );
}

export async function checkCreateLinksExisting<C>(t: CheckTarget<C>): Promise<void> {
  const hubTicketId = randomUUID();
  const title = `linked ${uniqueTag()}`;
  const existing = await call('harness.seedCorrelatedTicket', () =>
    t.harness.seedCorrelatedTicket(hubTicketId, title),
  );
  const record = await create(t, title, hubTicketId);
  ensure(
    record.externalId === existing,
    `createTicket for hubTicketId ${hubTicketId} returned ${record.externalId}, but vendor ticket ${existing} already carries that id: return (link) it instead of creating a duplicate`,
  );
  const copies = await count(t, hubTicketId);
  ensure(copies === 1, `the vendor now holds ${copies} tickets correlated with ${hubTicketId}; expected 1`);
}

export async function checkGetUnknownIsNull<C>(t: CheckTarget<C>): Promise<void> {
  const id = t.harness.unknownExternalId ?? '999999999';
  let record: TicketRecord | null;
  try {
    record = await t.connector.getTicket(t.ctx, id);
  } catch (err) {
    const hint =
      isConnectorError(err) && err.kind === 'not_found'
        ? ": catch ConnectorError('not_found') and return null"
        : '';
    fail(`getTicket("${id}") for an id no ticket has threw ${String(err)}${hint}`);
  }
  ensure(
    record === null,
    `getTicket("${id}") for an id no ticket has returned ticket ${record?.externalId}; expected null`,
  );
}

export async function checkGetReturnsCreated<C>(t: CheckTarget<C>): Promise<void> {
  const created = await create(t, `get ${uniqueTag()}`);
  const got = await call('getTicket', () => t.connector.getTicket(t.ctx, created.externalId));
  ensure(got, `getTicket("${created.externalId}") returned null right after createTicket returned that id`);
  assertTicketRecord(got, 'getTicket');
  for (const field of ['externalId', 'title', 'status', 'priority'] as const) {
    ensure(
      got[field] === created[field],
      `getTicket("${created.externalId}").${field} is "${got[field]}" but createTicket returned "${created[field]}": both must map the vendor record the same way`,
    );
  }
}

/** Writes one patch, then checks both the returned record and a fresh read agree with it. */
async function roundTrip<C>(
  t: CheckTarget<C>,
  id: string,
  patch: TicketPatch,
  read: (record: TicketRecord) => unknown,
  expected: unknown,
  fix: string,
): Promise<void> {
  const label = JSON.stringify(patch);
  const updated = await call(`updateTicket(${label})`, () => t.connector.updateTicket(t.ctx, id, patch));
  assertTicketRecord(updated, 'updateTicket');
  ensure(
    read(updated) === expected,
    `updateTicket(${label}) returned ${String(read(updated))} (raw status ${updated.rawStatus ?? '-'}): ${fix}`,
  );
  const got = await call('getTicket', () => t.connector.getTicket(t.ctx, id));
  ensure(got, `getTicket("${id}") returned null after updateTicket`);
  ensure(
    read(got) === expected,
    `after updateTicket(${label}), getTicket returned ${String(read(got))} (raw status ${got.rawStatus ?? '-'}): ${fix}`,
  );
}

export async function checkStatusRoundTrip<C>(t: CheckTarget<C>): Promise<void> {
  const { externalId } = await create(t, `status ${uniqueTag()}`);
  for (const status of t.harness.roundTrip?.statuses ?? TICKET_STATUSES) {
    const fix = `make status.fromCanonical.${status} a vendor value that status.toCanonical maps back to ${status}`;
    await roundTrip(t, externalId, { status }, (r) => r.status, status, fix);
  }
}

export async function checkPriorityRoundTrip<C>(t: CheckTarget<C>): Promise<void> {
  const { externalId } = await create(t, `priority ${uniqueTag()}`);
  for (const priority of t.harness.roundTrip?.priorities ?? TICKET_PRIORITIES) {
    const fix = `make priority.fromCanonical.${priority} a vendor value that priority.toCanonical maps back to ${priority}`;
    await roundTrip(t, externalId, { priority }, (r) => r.priority, priority, fix);
  }
}

export async function checkAssigneeRoundTrip<C>(t: CheckTarget<C>): Promise<void> {
  const people = t.harness.assignableExternalIds;
  ensure(people.length >= 2, 'harness.assignableExternalIds needs at least two vendor person ids');
  const { externalId } = await create(t, `assignee ${uniqueTag()}`);
  for (const person of [...people, null]) {
    const fix =
      person === null
        ? 'assigneeExternalId: null must clear the assignee, and an unassigned ticket must map to assignee null'
        : 'write the assignee and map it back to PersonRef.externalId using the same id space';
    await roundTrip(
      t,
      externalId,
      { assigneeExternalId: person },
      (r) => r.assignee?.externalId ?? null,
      person,
      fix,
    );
  }
}

export async function checkTitleRoundTrip<C>(t: CheckTarget<C>): Promise<void> {
  const { externalId } = await create(t, `title ${uniqueTag()}`);
  const title = `renamed ${uniqueTag()} — with ünïcode & "quotes"`;
  await roundTrip(
    t,
    externalId,
    { title },
    (r) => r.title,
    title,
    'write and read the vendor subject/summary field',
  );
}
