/**
 * Finding an RT user by e-mail, so the hub can make the RT user with the same address as another
 * tool's assignee the ticket's owner here. The id returned is the user's Name: ticket owners
 * are written and read by Name (see mapping.ts).
 */
import type { ConnectorContext, PersonRef } from '../../src/connector-kit/index.ts';
import { createRtHttp, searchUsersByEmail } from './client.ts';
import type { RtConfig } from './config.ts';

export async function findUserByEmail(
  ctx: ConnectorContext<RtConfig>,
  email: string,
): Promise<PersonRef | null> {
  const wanted = email.trim().toLowerCase();
  const found = await searchUsersByEmail(createRtHttp(ctx), email.trim());
  const user = found.items.find((u) => u.EmailAddress?.toLowerCase() === wanted);
  if (!user) return null;
  return {
    externalId: user.Name || user.id,
    name: user.RealName || user.Name || null,
    email: user.EmailAddress ?? null,
  };
}
