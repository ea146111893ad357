import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { EngagementRow, PartyKind } from '../db/schema/index.ts';
import { engagements, parties } from '../db/schema/index.ts';
import { AppError, badInput } from '../errors.ts';

/** Where an existing install's tickets live after the upgrade, and what a new hub starts with. */
export const DEFAULT_ENGAGEMENT = { slug: 'default', name: 'Default engagement', keyPrefix: 'HUB' } as const;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const KEY_PREFIX_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;

/** A party as the engagement rules see it. */
export interface PartyScope {
  partyId: string;
  partyKind: PartyKind;
}

/**
 * The engagements a party takes part in: an internal party's one engagement, or every
 * engagement whose MSP side it is. `limit` (an MSP token's engagement list) narrows the MSP's
 * set; it never widens anything, and an internal party ignores it.
 */
export async function engagementIdsOf(
  db: DbOrTx,
  party: PartyScope,
  limit: readonly string[] | null = null,
): Promise<string[]> {
  const column = party.partyKind === 'MSP' ? engagements.mspPartyId : engagements.internalPartyId;
  const rows = await db
    .select({ id: engagements.id })
    .from(engagements)
    .where(eq(column, party.partyId))
    .orderBy(asc(engagements.createdAt), asc(engagements.id));
  const ids = rows.map((r) => r.id);
  if (party.partyKind !== 'MSP' || limit === null) return ids;
  return ids.filter((id) => limit.includes(id));
}

/** The engagements with these ids, oldest first. */
export async function loadEngagements(db: DbOrTx, ids: readonly string[]): Promise<EngagementRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(engagements)
    .where(inArray(engagements.id, [...ids]))
    .orderBy(asc(engagements.createdAt), asc(engagements.id));
}

/** Whether a party takes part in an engagement (as its internal side or its MSP). */
export function isPartyOf(engagement: EngagementRow, partyId: string): boolean {
  return engagement.internalPartyId === partyId || engagement.mspPartyId === partyId;
}

/**
 * The engagement a write names, checked against what the writer may see. With none named the
 * writer's only engagement is used; a writer with several must name one (the error says so).
 * An engagement the writer cannot see is NOT_FOUND, exactly like one that does not exist.
 */
export async function pickEngagement(
  db: DbOrTx,
  visible: readonly string[],
  requested: { slug?: string | null; id?: string | null },
  field = 'engagement',
): Promise<EngagementRow> {
  if (!requested.slug && !requested.id) {
    if (visible.length === 1) {
      const [only] = await loadEngagements(db, visible);
      if (only) return only;
    }
    if (visible.length === 0) throw new AppError('FORBIDDEN', 'Your token may see no engagement.');
    const known = (await loadEngagements(db, visible)).map((e) => e.slug).join(', ');
    throw badInput(field, `you take part in several engagements: name one of ${known}`);
  }
  const where = requested.id ? eq(engagements.id, requested.id) : eq(engagements.slug, requested.slug!);
  const [row] = await db.select().from(engagements).where(where);
  if (!row || !visible.includes(row.id)) {
    throw new AppError(
      'NOT_FOUND',
      `Engagement ${requested.slug ?? requested.id} does not exist or is not visible to your token.`,
      { field },
    );
  }
  return row;
}

/** The engagements of which a party is a side: used to check hand-offs stay inside one. */
export async function engagementsOfParty(db: DbOrTx, partyId: string): Promise<EngagementRow[]> {
  return db
    .select()
    .from(engagements)
    .where(or(eq(engagements.internalPartyId, partyId), eq(engagements.mspPartyId, partyId)));
}

/** The engagement's two parties, by kind. */
export async function partiesOfEngagement(db: DbOrTx, engagementId: string) {
  const [row] = await db
    .select({ internal: engagements.internalPartyId, msp: engagements.mspPartyId })
    .from(engagements)
    .where(and(eq(engagements.id, engagementId)));
  if (!row) return null;
  const found = await db
    .select()
    .from(parties)
    .where(inArray(parties.id, [row.internal, row.msp]));
  return { internal: found.find((p) => p.id === row.internal)!, msp: found.find((p) => p.id === row.msp)! };
}

/**
 * The ids of the named engagements among those visible; an unknown or invisible slug is a
 * BAD_USER_INPUT naming the field, worded the same whether it exists elsewhere or not.
 */
export async function engagementIdsBySlug(
  db: DbOrTx,
  visible: readonly string[],
  slugs: readonly string[],
  field = 'filter.engagement',
): Promise<string[]> {
  const rows = await loadEngagements(db, visible);
  return slugs.map((slug) => {
    const found = rows.find((e) => e.slug === slug);
    if (!found) throw badInput(field, `no engagement "${slug}" among yours (see the \`engagements\` query)`);
    return found.id;
  });
}

/** The engagement a new person of this party belongs to: its internal side's, or null for the MSP's people. */
export async function personEngagementOf(db: DbOrTx, partyId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: engagements.id })
    .from(engagements)
    .where(eq(engagements.internalPartyId, partyId));
  return row?.id ?? null;
}
