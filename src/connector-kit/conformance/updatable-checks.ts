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
