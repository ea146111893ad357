import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { engagements, parties } from '../db/schema/index.ts';
import { DEFAULT_ENGAGEMENT } from '../domain/engagements.ts';
import { createApiToken } from './tokens.ts';

export const DEFAULT_PARTIES = [
  { slug: 'internal', name: 'Internal IT', kind: 'INTERNAL' as const },
  { slug: 'msp', name: 'Managed service provider', kind: 'MSP' as const },
];

/**
 * On first start with an empty database: create the two default parties, the default
 * engagement that joins them (key prefix HUB) and one admin token for the internal team.
 * Returns the clear token (shown once) or null when the database already had parties. Safe
 * when several replicas start at once: the advisory lock lets one of them do it.
 */
export async function bootstrapIfEmpty(db: Db): Promise<{ token: string; partySlug: string } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727002)`);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(parties);
    if (count > 0) return null;
    await tx.insert(parties).values(DEFAULT_PARTIES);
    const [internal] = await tx.select().from(parties).where(eq(parties.slug, 'internal'));
    const [msp] = await tx.select().from(parties).where(eq(parties.slug, 'msp'));
    if (!internal || !msp) throw new Error('default party missing after insert');
    await tx
      .insert(engagements)
      .values({ ...DEFAULT_ENGAGEMENT, internalPartyId: internal.id, mspPartyId: msp.id });
    const { token } = await createApiToken(tx as unknown as Db, {
      partyId: internal.id,
      role: 'ADMIN',
      name: 'first admin',
    });
    return { token, partySlug: internal.slug };
  });
}
