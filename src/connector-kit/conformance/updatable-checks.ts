/**
 * Fields a connector declares updatable after creation (`Connector.updatable`): the engine
 * mirrors them as merged fields, so a declared one must be written and read back; an
 * undeclared one is never sent (src/sync/remote-state.ts leaves it out of every patch).
 */
import { assertTicketRecord, type CheckTarget, call, draftFor, ensure, skip, uniqueTag } from './support.ts';

const norm = (v: string | null | undefined) => (v ?? '').replace(/\r\n?/g, '\n').trim();

export async function checkDescriptionRoundTrip<C>(t: CheckTarget<C>): Promise<void> {
  if (t.connector.updatable?.description !== true) {
    skip(
      `${t.connector.id} does not declare updatable.description: the description crosses on create only and the engine never sends it in a patch`,
    );
  }
  const created = await call('createTicket', () =>
    t.connector.createTicket(t.ctx, draftFor(t, `description ${uniqueTag()}`)),
  );
  const text = `Edited description ${uniqueTag()}\nsecond line`;
  const updated = await call('updateTicket', () =>
    t.connector.updateTicket(t.ctx, created.externalId, { description: text }),
  );
  assertTicketRecord(updated, 'updateTicket');
  ensure(
    norm(updated.description) === norm(text),
    `updateTicket({ description }) returned description ${JSON.stringify(updated.description)}; expected ${JSON.stringify(text)}: write the description field, or drop updatable.description`,
  );
  const got = await call('getTicket', () => t.connector.getTicket(t.ctx, created.externalId));
  ensure(
    got && norm(got.description) === norm(text),
    `getTicket after writing the description returned ${JSON.stringify(got?.description)}; expected ${JSON.stringify(text)}`,
  );
}

export async function checkQueueMove<C>(t: CheckTarget<C>): Promise<void> {
  if (t.connector.updatable?.queue !== true) {
    skip(
      `${t.connector.id} does not declare updatable.queue: the board or queue is set at creation only and the engine never sends a move`,
    );
  }
  const target = t.harness.moveQueue;
  // A real server may be set up with one queue only (the real-RT harness is): nothing to move to.
  // The simulator's harness names one, so every connector that declares moves is checked there.
  if (!target)
    skip(
      `${t.connector.id} declares updatable.queue but this harness names no second board or queue (moveQueue) to move a ticket to`,
    );
  const created = await call('createTicket', () =>
    t.connector.createTicket(t.ctx, draftFor(t, `queue move ${uniqueTag()}`)),
  );
  ensure(
    (created.queue ?? '').toLowerCase() !== target.toLowerCase(),
    `the harness's moveQueue "${target}" is where drafts are created: name another board or queue`,
  );
  const moved = await call('updateTicket', () =>
    t.connector.updateTicket(t.ctx, created.externalId, { queue: target }),
  );
  assertTicketRecord(moved, 'updateTicket');
  ensure(
    (moved.queue ?? '').toLowerCase() === target.toLowerCase(),
    `updateTicket({ queue: "${target}" }) returned queue ${JSON.stringify(moved.queue)}: move the ticket, or drop updatable.queue`,
  );
  ensure(
    moved.status === created.status,
    `moving the ticket to "${target}" changed its status from ${created.status} to ${moved.status}: keep the status (set its equivalent on the new board)`,
  );
  const got = await call('getTicket', () => t.connector.getTicket(t.ctx, created.externalId));
  ensure(
    got && (got.queue ?? '').toLowerCase() === target.toLowerCase(),
    `getTicket after the move returned queue ${JSON.stringify(got?.queue)}; expected "${target}"`,
  );
}
