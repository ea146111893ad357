import { eq } from 'drizzle-orm';
import { createApiToken } from '../../src/auth/tokens.ts';
import type { Db } from '../../src/db/client.ts';
import type { EngagementRow, Role } from '../../src/db/schema/index.ts';
import { engagements, people } from '../../src/db/schema/index.ts';
import { createEngagement } from '../../src/domain/engagement-admin.ts';
import type { TestHub } from './hub.ts';

export const CUSTOMERS = ['acme', 'globex'] as const;
export type Customer = (typeof CUSTOMERS)[number];

export interface CustomerSide {
  slug: Customer;
  engagementId: string;
  partyId: string;
  partySlug: string;
  tokens: Record<'admin' | 'agent' | 'viewer', string>;
  /** An MSP agent token limited to this engagement only. */
  mspOnly: string;
  personId: string;
}

/**
 * Two customers of one MSP on one hub: engagements `acme` (ACME-n) and `globex` (GLOBEX-n), each
 * with a new internal party (`acme-it`, `globex-it`), three tokens per customer, an MSP token
 * limited to each, and one person per customer team. The hub's default engagement stays too.
 */
export async function seedTwoCustomers(hub: TestHub): Promise<Record<Customer, CustomerSide>> {
  const db = hub.database.db;
  const out = {} as Record<Customer, CustomerSide>;
  const created = await createCustomerEngagements(db);
  for (const slug of CUSTOMERS) {
    const e = created[slug];
    const token = async (partyId: string, role: Role, name: string, engagementIds: string[] | null = null) =>
      (await createApiToken(db, { partyId, role, name, engagementIds })).token;
    const partyId = e.internalPartyId;
    const [person] = await db
      .insert(people)
      .values({ partyId, engagementId: e.id, name: `${slug} person`, email: `someone@${slug}.example` })
      .returning();
    out[slug] = {
      slug,
      engagementId: e.id,
      partyId,
      partySlug: `${slug}-it`,
      tokens: {
        admin: await token(partyId, 'ADMIN', `${slug} admin`),
        agent: await token(partyId, 'AGENT', `${slug} agent`),
        viewer: await token(partyId, 'VIEWER', `${slug} viewer`),
      },
      mspOnly: await token(hub.partyIds.msp, 'AGENT', `msp for ${slug}`, [e.id]),
      personId: Buffer.from(`Person:${person!.id}`).toString('base64url'),
    };
  }
  // MSP tokens resolved earlier were cached without the new engagements.
  hub.app.tokens.invalidate();
  return out;
}

/** The two engagements (idempotent): a sync engine's connections must find them before it starts. */
export async function createCustomerEngagements(db: Db): Promise<Record<Customer, EngagementRow>> {
  const out = {} as Record<Customer, EngagementRow>;
  for (const slug of CUSTOMERS) {
    const [existing] = await db.select().from(engagements).where(eq(engagements.slug, slug));
    out[slug] =
      existing ??
      (await createEngagement(db, {
        slug,
        name: `${slug} Corp`,
        keyPrefix: slug.toUpperCase(),
        newInternalParty: { slug: `${slug}-it`, name: `${slug} IT` },
        mspParty: 'msp',
      }));
  }
  return out;
}
