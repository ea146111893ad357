import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { parties, people } from '../db/schema/index.ts';
import type { Sight } from './visibility.ts';

/**
 * A person is visible when their party is a side of one of the viewer's engagements: a
 * customer's team sees its own people and the MSP's, never another customer's people.
 */
export function personVisibleIn(sight: Sight): SQL {
  return sql`(${people.partyId} = ${sight.partyId} or ${sideOfSight(sight, people.partyId)})`;
}

/** Parties the viewer may see: its own, and the sides of its engagements. */
export function partyVisibleIn(sight: Sight): SQL {
  return sql`(${parties.id} = ${sight.partyId} or ${sideOfSight(sight, parties.id)})`;
}

function sideOfSight(sight: Sight, partyColumn: AnyPgColumn): SQL {
  if (sight.engagementIds.length === 0) return sql`false`;
  const ids = sql.join(
    sight.engagementIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return sql`exists (select 1 from engagements e where e.id in (${ids})
    and (e.internal_party_id = ${partyColumn} or e.msp_party_id = ${partyColumn}))`;
}
