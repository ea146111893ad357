/**
 * The ticket list's commitment filters, as conditions on `tickets`: each is an EXISTS on the
 * ticket's clocks or open court interval (both indexed by ticket), ANDed with visibility.
 */
import { type SQL, sql } from 'drizzle-orm';
import { courtIntervals, parties, ticketClocks, tickets } from '../../db/schema/index.ts';

export interface CommitmentFilter {
  /** True: an obligation is breached and not yet met; false: none is. */
  breached?: boolean | null;
  /** A running obligation falls due within this many minutes (or is already past due, unannounced). */
  atRiskWithinMinutes?: number | null;
  /** Party slug: the ball is in this party's court now. */
  courtParty?: string | null;
}

export function hasCommitmentFilter(f: CommitmentFilter): boolean {
  return f.breached != null || f.atRiskWithinMinutes != null || !!f.courtParty;
}

export function commitmentConditions(f: CommitmentFilter, now: Date = new Date()): SQL[] {
  const where: SQL[] = [];
  if (f.breached != null) {
    const breached = sql`exists (select 1 from ${ticketClocks} where ${ticketClocks.ticketId} = ${tickets.id} and ${ticketClocks.status} = 'BREACHED')`;
    where.push(f.breached ? breached : sql`not ${breached}`);
  }
  if (f.atRiskWithinMinutes != null) {
    const until = new Date(now.getTime() + f.atRiskWithinMinutes * 60_000);
    where.push(
      sql`exists (select 1 from ${ticketClocks} where ${ticketClocks.ticketId} = ${tickets.id} and ${ticketClocks.status} = 'RUNNING' and ${ticketClocks.dueAt} <= ${until})`,
    );
  }
  if (f.courtParty) {
    where.push(
      sql`exists (select 1 from ${courtIntervals} where ${courtIntervals.ticketId} = ${tickets.id} and ${courtIntervals.endedAt} is null and ${courtIntervals.partyId} = (select ${parties.id} from ${parties} where ${parties.slug} = ${f.courtParty}))`,
    );
  }
  return where;
}
