import { and, eq, sql } from 'drizzle-orm';
import type { PersonRef } from '../connector-kit/records.ts';
import type { DbOrTx } from '../db/client.ts';
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

/** The tool's id for a hub person, or null when the tool does not know them. */
export async function externalIdFor(
  db: DbOrTx,
  rt: ConnectionRuntime,
  personId: string | null,
): Promise<string | null> {
  if (!personId) return null;
  const [identity] = await db
    .select({ externalId: personIdentities.externalId })
    .from(personIdentities)
    .where(and(eq(personIdentities.connectionId, rt.id), eq(personIdentities.personId, personId)));
  if (identity) return identity.externalId;
  const [person] = await db.select({ email: people.email }).from(people).where(eq(people.id, personId));
  const mapped = person?.email ? rt.def.people[person.email] : undefined;
  return mapped ?? null;
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
