import type { TicketPriority } from '../../connector-kit/records.ts';
import { TICKET_PRIORITIES } from '../../connector-kit/records.ts';

/** Why a ticket's owner holds it: a matrix rule, a person's hand-off, or an escalation. */
export const ROUTING_REASONS = ['ROUTING_RULE', 'MANUAL', 'ESCALATION'] as const;
export type RoutingReason = (typeof ROUTING_REASONS)[number];

/** Business hours condition of a rule: inside them, outside them, or either (null). */
export type HoursCondition = 'IN' | 'OUT';

/**
 * One row of the responsibility matrix: for tickets in this service area (and, optionally, this
 * category, these priorities, in or out of business hours), from `effectiveFrom` (inclusive)
 * until `effectiveTo` (exclusive), who does the work (responsible), who decides (accountable),
 * who is asked (consulted) and who is told (informed). Dates are calendar days (YYYY-MM-DD) in the
 * engagement's time zone; null means "since always" / "until further notice".
 */
export interface RoutingRule {
  id: string;
  serviceArea: string;
  category: string | null;
  priorities: TicketPriority[] | null;
  businessHours: HoursCondition | null;
  responsiblePartyId: string;
  accountablePartyId: string;
  consultedPartyIds: string[];
  informedPartyIds: string[];
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Lower wins. Two rules of equal precedence that can match the same ticket are an overlap. */
  precedence: number;
}

/** What routing looks at on a ticket. */
export interface RoutingSubject {
  serviceArea: string | null;
  category: string | null;
  priority: TicketPriority;
}

/** When the decision is made: the local calendar day and whether it is within business hours. */
export interface RoutingMoment {
  day: string;
  inBusinessHours: boolean;
}

export function effectiveOn(rule: Pick<RoutingRule, 'effectiveFrom' | 'effectiveTo'>, day: string): boolean {
  return (
    (rule.effectiveFrom === null || rule.effectiveFrom <= day) &&
    (rule.effectiveTo === null || day < rule.effectiveTo)
  );
}

export function ruleMatches(rule: RoutingRule, subject: RoutingSubject, moment: RoutingMoment): boolean {
  if (subject.serviceArea === null || rule.serviceArea !== subject.serviceArea) return false;
  if (rule.category !== null && rule.category !== subject.category) return false;
  if (rule.priorities !== null && !rule.priorities.includes(subject.priority)) return false;
  if (rule.businessHours === 'IN' && !moment.inBusinessHours) return false;
  if (rule.businessHours === 'OUT' && moment.inBusinessHours) return false;
  return effectiveOn(rule, moment.day);
}

export interface RoutingDecision {
  /** The winning rule, or null: the ticket is UNROUTED. */
  rule: RoutingRule | null;
  /** Every rule that matched, winner first: what `routingPreview` explains. */
  candidates: RoutingRule[];
  /** A sentence a person can read: which rule and why, or why none. */
  explanation: string;
}

/** The rule that owns a ticket: the matching rule of lowest precedence (ties: the most specific, then id). */
export function decideRoute(
  rules: RoutingRule[],
  subject: RoutingSubject,
  moment: RoutingMoment,
): RoutingDecision {
  const candidates = rules.filter((r) => ruleMatches(r, subject, moment)).sort(byPrecedence);
  const rule = candidates[0] ?? null;
  const explanation = rule
    ? `rule ${rule.id} (area ${rule.serviceArea}${conditionText(rule)}, precedence ${rule.precedence}, effective ${rangeText(rule)}) matches on ${moment.day}${candidates.length > 1 ? `, ahead of ${candidates.length - 1} other matching rule(s) by precedence` : ''}`
    : subject.serviceArea === null
      ? 'the ticket has no service area, so no rule can match: it is UNROUTED'
      : `no rule for area ${subject.serviceArea} matches on ${moment.day} (priority ${subject.priority}${subject.category ? `, category ${subject.category}` : ''}, ${moment.inBusinessHours ? 'in' : 'outside'} business hours): it is UNROUTED`;
  return { rule, candidates, explanation };
}

export function byPrecedence(a: RoutingRule, b: RoutingRule): number {
  return a.precedence - b.precedence || specificity(b) - specificity(a) || a.id.localeCompare(b.id);
}

function specificity(rule: RoutingRule): number {
  return (rule.category ? 4 : 0) + (rule.priorities ? 2 : 0) + (rule.businessHours ? 1 : 0);
}

export function conditionText(rule: RoutingRule): string {
  const parts: string[] = [];
  if (rule.category) parts.push(`category ${rule.category}`);
  if (rule.priorities) parts.push(`priority ${rule.priorities.join('/')}`);
  if (rule.businessHours)
    parts.push(rule.businessHours === 'IN' ? 'in business hours' : 'outside business hours');
  return parts.length ? `, ${parts.join(', ')}` : '';
}

export function rangeText(rule: Pick<RoutingRule, 'effectiveFrom' | 'effectiveTo'>): string {
  if (!rule.effectiveFrom && !rule.effectiveTo) return 'always';
  if (!rule.effectiveTo) return `from ${rule.effectiveFrom}`;
  if (!rule.effectiveFrom) return `until ${rule.effectiveTo}`;
  return `from ${rule.effectiveFrom} until ${rule.effectiveTo}`;
}

export const ALL_PRIORITIES: readonly TicketPriority[] = TICKET_PRIORITIES;
