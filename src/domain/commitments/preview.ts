import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { EngagementRow, TicketRow } from '../../db/schema/index.ts';
import { businessCalendars, tickets } from '../../db/schema/index.ts';
import { addBusinessMs } from '../business-calendar.ts';
import { type Sight, ticketVisibleIn } from '../visibility.ts';
import { checkPolicy } from './admin.ts';
import { policyCovers, targetMsFor } from './coverage.ts';
import type { PolicyInput } from './validate.ts';

/** How many open tickets a preview looks at: an admin's check, not a report. */
const PREVIEW_SCAN = 5000;
const PREVIEW_ROWS = 50;

export interface PolicyPreview {
  covered: number;
  breached: number;
  tickets: { ticket: TicketRow; targetMinutes: number; dueAt: Date; breached: boolean }[];
}

/**
 * What a policy would cover among the open tickets the viewer can see, with the due time each
 * would get (from creation for ON_CREATE, from now for ON_HANDOFF; pauses not counted). The
 * policy is checked exactly as saving would check it; nothing is written.
 */
export async function previewPolicy(
  db: DbOrTx,
  engagement: EngagementRow,
  input: PolicyInput,
  sight: Sight,
  now: Date,
): Promise<PolicyPreview> {
  const policy = await checkPolicy(db, engagement, input);
  const [calendar] = await db
    .select()
    .from(businessCalendars)
    .where(eq(businessCalendars.id, policy.calendarId));
  const open = await db
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.engagementId, engagement.id),
        ticketVisibleIn(sight),
        inArray(tickets.status, ['NEW', 'OPEN', 'IN_PROGRESS', 'WAITING']),
      ),
    )
    .orderBy(asc(tickets.createdAt))
    .limit(PREVIEW_SCAN);
  const rows = open.flatMap((ticket) => {
    const target = targetMsFor(policy, ticket.priority);
    if (
      target === null ||
      !policyCovers(
        {
          ...policy,
          serviceAreas: policy.serviceAreas ?? null,
          priorities: policy.priorities ?? null,
          categories: policy.categories ?? null,
        },
        ticket,
      )
    )
      return [];
    const from = policy.clockStart === 'ON_CREATE' ? ticket.createdAt : now;
    const dueAt = addBusinessMs(calendar!.calendar, from, target);
    return [{ ticket, targetMinutes: target / 60_000, dueAt, breached: dueAt <= now }];
  });
  rows.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return {
    covered: rows.length,
    breached: rows.filter((r) => r.breached).length,
    tickets: rows.slice(0, PREVIEW_ROWS),
  };
}
