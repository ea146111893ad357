import { eq, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { EngagementRow, PartyRow } from '../db/schema/index.ts';
import { engagements, parties } from '../db/schema/index.ts';
import { AppError, badInput } from '../errors.ts';
import { KEY_PREFIX_PATTERN, SLUG_PATTERN } from './engagements.ts';

export interface NewEngagement {
  slug: string;
  name: string;
  keyPrefix: string;
  /** The customer's internal party: an existing INTERNAL party of no other engagement, by slug... */
  internalParty?: string | null;
  /** ...or a new one, created with the engagement. */
  newInternalParty?: { slug: string; name: string } | null;
  /** The MSP party's slug. */
  mspParty: string;
}

/**
 * Creates an engagement (and, when asked, its new internal party) in one transaction. Every
 * problem is a BAD_USER_INPUT naming its field; nothing is written unless all of it is valid.
 */
export async function createEngagement(db: Db, input: NewEngagement): Promise<EngagementRow> {
  if (!SLUG_PATTERN.test(input.slug)) {
    throw badInput('input.slug', 'use 1-40 lowercase letters, digits and dashes, e.g. "acme"');
  }
  if (!input.name.trim()) throw badInput('input.name', 'must not be empty');
  if (!KEY_PREFIX_PATTERN.test(input.keyPrefix)) {
    throw badInput(
      'input.keyPrefix',
      'use 2-10 uppercase letters and digits starting with a letter, e.g. "ACME"',
    );
  }
  if (Boolean(input.internalParty) === Boolean(input.newInternalParty)) {
    throw badInput('input.internalParty', 'give either internalParty (an existing slug) or newInternalParty');
  }
  if (input.newInternalParty && !SLUG_PATTERN.test(input.newInternalParty.slug)) {
    throw badInput(
      'input.newInternalParty.slug',
      'use 1-40 lowercase letters, digits and dashes, e.g. "acme-it"',
    );
  }
  if (input.newInternalParty && !input.newInternalParty.name.trim()) {
    throw badInput('input.newInternalParty.name', 'must not be empty');
  }
  return db.transaction(async (tx) => {
    const clash = await tx
      .select()
      .from(engagements)
      .where(or(eq(engagements.slug, input.slug), eq(engagements.keyPrefix, input.keyPrefix)));
    if (clash.some((e) => e.slug === input.slug)) {
      throw badInput('input.slug', `an engagement "${input.slug}" already exists`);
    }
    if (clash.length) throw badInput('input.keyPrefix', `key prefix ${input.keyPrefix} is already taken`);
    const msp = await partyBySlug(tx as unknown as Db, input.mspParty, 'input.mspParty');
    if (msp.kind !== 'MSP') throw badInput('input.mspParty', `party "${msp.slug}" is not an MSP party`);
    let internal: PartyRow;
    if (input.newInternalParty) {
      const { slug, name } = input.newInternalParty;
      const [taken] = await tx.select().from(parties).where(eq(parties.slug, slug));
      if (taken) throw badInput('input.newInternalParty.slug', `a party "${slug}" already exists`);
      [internal] = (await tx.insert(parties).values({ slug, name, kind: 'INTERNAL' }).returning()) as [
        PartyRow,
      ];
    } else {
      internal = await partyBySlug(tx as unknown as Db, input.internalParty!, 'input.internalParty');
      if (internal.kind !== 'INTERNAL') {
        throw badInput('input.internalParty', `party "${internal.slug}" is not an INTERNAL party`);
      }
      const [already] = await tx
        .select()
        .from(engagements)
        .where(eq(engagements.internalPartyId, internal.id));
      if (already) {
        throw badInput(
          'input.internalParty',
          `party "${internal.slug}" is already the internal side of "${already.slug}"`,
        );
      }
    }
    const [row] = await tx
      .insert(engagements)
      .values({
        slug: input.slug,
        name: input.name.trim(),
        keyPrefix: input.keyPrefix,
        internalPartyId: internal.id,
        mspPartyId: msp.id,
      })
      .returning();
    if (!row) throw new AppError('CONFLICT', 'The engagement could not be created; try again.');
    return row;
  });
}

async function partyBySlug(db: Db, slug: string, field: string): Promise<PartyRow> {
  const [row] = await db.select().from(parties).where(eq(parties.slug, slug));
  if (!row) throw badInput(field, `no party "${slug}" (see the \`parties\` query or \`hub party list\`)`);
  return row;
}
