/**
 * Finding a ConnectWise member by e-mail, so the hub can make the member with the same address
 * as another tool's owner the ticket's owner here.
 */
import type { ConnectorContext, PersonRef } from '../../src/connector-kit/index.ts';
import { createCwHttp, findMembersByEmail } from './client.ts';
import type { ConnectWiseConfig } from './config.ts';

/** The active member whose office e-mail is `email` (any case), or null. */
export async function findUserByEmail(
  ctx: ConnectorContext<ConnectWiseConfig>,
  email: string,
): Promise<PersonRef | null> {
  const wanted = email.trim().toLowerCase();
  const members = await findMembersByEmail(createCwHttp(ctx), email.trim());
  const member = members.find((m) => m.officeEmail?.toLowerCase() === wanted && !m.inactiveFlag);
  if (!member) return null;
  const name = [member.firstName, member.lastName].filter(Boolean).join(' ') || member.identifier;
  return { externalId: String(member.id), name, email: member.officeEmail ?? null };
}
