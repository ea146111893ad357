import { and, eq, sql } from 'drizzle-orm';
import type { PersonRef } from '../connector-kit/records.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import type { PersonRow } from '../db/schema/index.ts';
import { people, personIdentities } from '../db/schema/index.ts';
import { personEngagementOf } from '../domain/engagements.ts';
import type { ConnectionRuntime } from './runtime.ts';

/**
 * A tool's user as a hub person: by the identity already recorded for this connection, else
 * by email (people are matched across systems by email), else by the connection's explicit
 * email mapping, else a new person of the connection's party. The identity is recorded so
 * the next lookup is direct.
 */
export async function resolveInboundPerson(
  db: DbOrTx,
  rt: ConnectionRuntime,
  ref: PersonRef | null | undefined,
): Promise<PersonRow | null> {
  if (!ref) return null;
  const [known] = await db
    .select({ person: people })
    .from(personIdentities)
    .innerJoin(people, eq(people.id, personIdentities.personId))
    .where(and(eq(personIdentities.connectionId, rt.id), eq(personIdentities.externalId, ref.externalId)));
  if (known) return known.person;
  const mappedEmail = Object.entries(rt.def.people).find(([, id]) => id === ref.externalId)?.[0];
  const email = (ref.email ?? mappedEmail)?.toLowerCase() || null;
  let person: PersonRow | undefined;
  if (email) [person] = await db.select().from(people).where(eq(people.email, email));
  if (!person) {
    [person] = await db
      .insert(people)
      .values({
        partyId: rt.partyId,
        engagementId: await personEngagementOf(db, rt.partyId),
        name: ref.name || email || `${rt.id}:${ref.externalId}`,
        email,
      })
      .onConflictDoNothing()
      .returning();
    if (!person && email) [person] = await db.select().from(people).where(eq(people.email, email));
  }
  if (!person) return null;
  await db
    .insert(personIdentities)
    .values({ personId: person.id, connectionId: rt.id, externalId: ref.externalId })
    .onConflictDoNothing();
  return person;
}

/**
 * The tool's id for a hub person, or null when the tool does not know them: an identity already
 * recorded for this connection, else the connection's `people` map by e-mail.
 */
export async function externalIdFor(
  db: DbOrTx,
  rt: ConnectionRuntime,
  personId: string | null,
): Promise<string | null> {
  return (await knownIdentity(db, rt, personId)).externalId;
}

async function knownIdentity(
  db: DbOrTx,
  rt: ConnectionRuntime,
  personId: string | null,
): Promise<{ externalId: string | null; person: { name: string; email: string | null } | null }> {
  if (!personId) return { externalId: null, person: null };
  const [identity] = await db
    .select({ externalId: personIdentities.externalId })
    .from(personIdentities)
    .where(and(eq(personIdentities.connectionId, rt.id), eq(personIdentities.personId, personId)));
  if (identity) return { externalId: identity.externalId, person: null };
  const [person] = await db
    .select({ name: people.name, email: people.email })
    .from(people)
    .where(eq(people.id, personId));
  const mapped = person?.email ? rt.def.people[person.email] : undefined;
  return { externalId: mapped ?? null, person: person ?? null };
}

/** Who a ticket's assignee is in one tool, or why they cannot be named there. */
export type ToolAssignee =
  | { externalId: string | null; unmapped: null }
  | { externalId: null; unmapped: string };

/**
 * The tool's user for a hub person, matched by e-mail in both directions: a known identity, the
 * `people` map, else the tool's own user with the person's e-mail (`findUserByEmail`), recorded
 * so the next lookup is direct. Never called inside a transaction: it may ask the tool.
 * `unmapped` says, for a person the tool has no user for, why they could not be assigned there.
 */
export async function resolveOutboundAssignee(
  db: Db,
  rt: ConnectionRuntime,
  personId: string | null,
): Promise<ToolAssignee> {
  const known = await knownIdentity(db, rt, personId);
  if (known.externalId || !personId) return { externalId: known.externalId, unmapped: null };
  const name = known.person?.name ?? 'the assignee';
  const email = known.person?.email;
  const tool = rt.connector.displayName;
  if (!email) {
    return {
      externalId: null,
      unmapped: `${name} has no e-mail address, so no ${tool} user can be matched: the owner in ${tool} was left as it was. Add their e-mail, or map them in the connection's people.`,
    };
  }
  const found = rt.connector.findUserByEmail ? await rt.connector.findUserByEmail(rt.ctx, email) : null;
  if (!found) {
    const how = rt.connector.findUserByEmail
      ? `no ${tool} user has the e-mail ${email}`
      : `${email} is not in the connection's people map`;
    return {
      externalId: null,
      unmapped: `${name} cannot be assigned in ${tool}: ${how}. The owner in ${tool} was left as it was.`,
    };
  }
  await db
    .insert(personIdentities)
    .values({ personId, connectionId: rt.id, externalId: found.externalId })
    .onConflictDoNothing();
  return { externalId: found.externalId, unmapped: null };
}

/** Records `people` mappings from the connections file for people the hub already knows. */
export async function seedIdentities(db: DbOrTx, rt: ConnectionRuntime): Promise<void> {
  for (const [email, externalId] of Object.entries(rt.def.people)) {
    await db.execute(sql`
      insert into person_identities (person_id, connection_id, external_id)
      select id, ${rt.id}, ${externalId} from people where email = ${email}
      on conflict do nothing`);
  }
}
