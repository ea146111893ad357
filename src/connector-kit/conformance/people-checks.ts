/**
 * `findUserByEmail`, where a connector has it: people are matched across tools by e-mail, so the
 * user an assignee's e-mail finds must be the one `assigneeExternalId` writes and records read.
 */
import { type CheckTarget, call, draftFor, ensure, skip } from './support.ts';

export async function checkFindUserByEmail<C>(t: CheckTarget<C>): Promise<void> {
  const find = t.connector.findUserByEmail;
  if (!find)
    skip('the connector has no findUserByEmail (assignees map through seen identities and the people map)');
  const nobody = `nobody-${Date.now()}@example.invalid`;
  const none = await call(`findUserByEmail("${nobody}")`, () => find(t.ctx, nobody));
  ensure(
    none === null,
    `findUserByEmail("${nobody}") found ${none?.externalId}: return null when no user has the address`,
  );

  const created = await call('createTicket', () => t.connector.createTicket(t.ctx, draftFor(t, 'find user')));
  let matched = 0;
  for (const person of t.harness.assignableExternalIds) {
    const record = await call('updateTicket', () =>
      t.connector.updateTicket(t.ctx, created.externalId, { assigneeExternalId: person }),
    );
    const email = record.assignee?.email;
    if (!email) continue;
    for (const asked of [email, email.toUpperCase()]) {
      const found = await call(`findUserByEmail("${asked}")`, () => find(t.ctx, asked));
      ensure(
        found?.externalId === person,
        `findUserByEmail("${asked}") returned ${found ? `"${found.externalId}"` : 'null'}, but the ticket assigned to "${person}" reads back with that e-mail: return the id assigneeExternalId takes, and compare e-mails ignoring case`,
      );
    }
    matched++;
  }
  if (matched === 0)
    skip(
      'no assignee in harness.assignableExternalIds reads back with an e-mail, so there is nothing to look up',
    );
}
