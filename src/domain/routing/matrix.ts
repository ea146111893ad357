import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { RoutingRuleRow, ServiceAreaRow } from '../../db/schema/index.ts';
import { tickets } from '../../db/schema/index.ts';
import { listServiceAreas } from './admin.ts';
import { toRoutingMoment } from './moment.ts';
import { effectiveOn } from './rules.ts';
import { loadBusinessHours, loadRuleRows, toRoutingRule } from './store.ts';
import { type RuleGap, validateRuleSet } from './validate.ts';

/** One area's line in the matrix: who holds it today, and the next phase change. */
export interface MatrixArea {
  area: ServiceAreaRow;
  /** Rules in effect today, most precedent first. */
  now: RoutingRuleRow[];
  /** The next day a rule of this area starts or stops applying, or null. */
  nextChangeOn: string | null;
  /** The rules in effect from that day. */
  next: RoutingRuleRow[];
}

export interface ResponsibilityMatrix {
  today: string;
  areas: MatrixArea[];
  rules: RoutingRuleRow[];
  gaps: RuleGap[];
}

/** Who is responsible for what now, and what changes next: the `responsibilityMatrix` query. */
export async function loadMatrix(
  db: DbOrTx,
  engagement: { id: string; internalPartyId: string; mspPartyId: string },
  at: Date,
): Promise<ResponsibilityMatrix> {
  const [areas, rules, hours] = await Promise.all([
    listServiceAreas(db, engagement.id),
    loadRuleRows(db, engagement.id),
    loadBusinessHours(db, engagement.id),
  ]);
  const today = toRoutingMoment(at, hours).day;
  const inEffect = (day: string) => (r: RoutingRuleRow) => effectiveOn(r, day);
  const rows = areas.map((area): MatrixArea => {
    const mine = rules.filter((r) => r.serviceArea === area.key);
    const nextChangeOn =
      mine
        .flatMap((r) => [r.effectiveFrom, r.effectiveTo])
        .filter((d): d is string => d !== null && d > today)
        .sort()[0] ?? null;
    return {
      area,
      now: mine.filter(inEffect(today)),
      nextChangeOn,
      next: nextChangeOn ? mine.filter(inEffect(nextChangeOn)) : [],
    };
  });
  const { gaps } = validateRuleSet(rules.map(toRoutingRule), {
    areas: new Set(areas.map((a) => a.key)),
    parties: new Set([engagement.internalPartyId, engagement.mspPartyId]),
    today,
  });
  return { today, areas: rows, rules, gaps };
}

/**
 * How many open tickets of an engagement no rule covers, per owning party. Counts, not tickets:
 * both parties' admins learn that something fell through the cracks without either seeing the
 * other's unshared tickets (the owner sees them flagged on its board).
 */
export async function countUnrouted(
  db: DbOrTx,
  engagementId: string,
): Promise<{ partyId: string; count: number }[]> {
  return db
    .select({ partyId: tickets.ownerPartyId, count: sql<number>`count(*)::int` })
    .from(tickets)
    .where(
      and(
        eq(tickets.engagementId, engagementId),
        eq(tickets.unrouted, true),
        notInArray(tickets.status, ['RESOLVED', 'CLOSED']),
      ),
    )
    .groupBy(tickets.ownerPartyId);
}
