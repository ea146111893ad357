import type { TicketPriority } from '../../connector-kit/records.ts';
import {
  ALL_PRIORITIES,
  byPrecedence,
  conditionText,
  type HoursCondition,
  type RoutingRule,
} from './rules.ts';

/** A problem with one field of one rule, or with the set as a whole (overlaps). */
export interface RuleProblem {
  /** The rule's index in the set given, or null for problems between rules. */
  index: number | null;
  field: string;
  message: string;
}

/** A stretch of time (and kind of ticket) no rule covers: such tickets would be UNROUTED. */
export interface RuleGap {
  serviceArea: string;
  from: string | null;
  to: string | null;
  /** Which tickets fall through, e.g. "priority LOW outside business hours", or "every ticket". */
  tickets: string;
}

export interface RuleSetReport {
  problems: RuleProblem[];
  gaps: RuleGap[];
}

export interface RuleSetContext {
  /** The engagement's service area keys. */
  areas: ReadonlySet<string>;
  /** Parties that may appear in a rule: the engagement's internal party and its MSP party. */
  parties: ReadonlySet<string>;
  /** Gaps that end before this day are history and not reported. */
  today: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HOURS: HoursCondition[] = ['IN', 'OUT'];

/**
 * Checks a whole rule set at once: each rule's fields (known area, parties of the engagement,
 * dates in order), overlaps (two rules of equal precedence that would both own some ticket on some
 * day: an ambiguity, refused) and gaps (tickets of a known area no rule covers from today on:
 * reported, not refused; such tickets are flagged UNROUTED).
 */
export function validateRuleSet(rules: RoutingRule[], ctx: RuleSetContext): RuleSetReport {
  const problems = rules.flatMap((rule, index) => ruleProblems(rule, index, ctx));
  const byArea = new Map<string, RoutingRule[]>();
  for (const rule of rules) byArea.set(rule.serviceArea, [...(byArea.get(rule.serviceArea) ?? []), rule]);
  const gaps: RuleGap[] = [];
  for (const area of [...new Set([...ctx.areas, ...byArea.keys()])].sort()) {
    const areaRules = byArea.get(area) ?? [];
    problems.push(...overlaps(areaRules, rules));
    if (ctx.areas.has(area)) gaps.push(...areaGaps(area, areaRules, ctx.today));
  }
  return { problems, gaps };
}

function ruleProblems(rule: RoutingRule, index: number, ctx: RuleSetContext): RuleProblem[] {
  const out: RuleProblem[] = [];
  const add = (field: string, message: string) => out.push({ index, field, message });
  if (!ctx.areas.has(rule.serviceArea)) {
    add(
      'serviceArea',
      `unknown service area "${rule.serviceArea}" (known: ${[...ctx.areas].join(', ') || 'none; add one with createServiceArea'})`,
    );
  }
  const party = (field: string, id: string) => {
    if (!ctx.parties.has(id))
      add(field, 'names a party outside this engagement (use its internal party or its MSP party)');
  };
  party('responsibleParty', rule.responsiblePartyId);
  party('accountableParty', rule.accountablePartyId);
  for (const id of rule.consultedPartyIds) party('consultedParties', id);
  for (const id of rule.informedPartyIds) party('informedParties', id);
  for (const field of ['effectiveFrom', 'effectiveTo'] as const) {
    const day = rule[field];
    if (day !== null && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) {
      add(field, `"${day}" is not a calendar day; write YYYY-MM-DD, e.g. 2027-01-01`);
    }
  }
  if (rule.effectiveFrom && rule.effectiveTo && rule.effectiveFrom >= rule.effectiveTo) {
    add(
      'effectiveTo',
      `must be after effectiveFrom (${rule.effectiveFrom}); effectiveTo is the first day the rule no longer applies`,
    );
  }
  if (rule.priorities !== null && rule.priorities.length === 0) {
    add('priorities', 'an empty list matches no ticket; leave it out to match every priority');
  }
  if (!Number.isInteger(rule.precedence) || rule.precedence < 0)
    add('precedence', 'must be a whole number, 0 or more');
  return out;
}

interface Interval {
  from: string | null;
  to: string | null;
}

/** The stretches between every rule's start and end day: inside one, each rule applies wholly or not at all. */
function intervals(rules: RoutingRule[]): Interval[] {
  const days = [
    ...new Set(rules.flatMap((r) => [r.effectiveFrom, r.effectiveTo]).filter((d): d is string => d !== null)),
  ].sort();
  const bounds: (string | null)[] = [null, ...days, null];
  return bounds.slice(0, -1).map((from, i) => ({ from, to: bounds[i + 1] ?? null }));
}

function covers(rule: RoutingRule, span: Interval): boolean {
  const startsInTime = rule.effectiveFrom === null || (span.from !== null && rule.effectiveFrom <= span.from);
  const endsInTime = rule.effectiveTo === null || (span.to !== null && span.to <= rule.effectiveTo);
  return startsInTime && endsInTime;
}

function applies(
  rule: RoutingRule,
  category: string | null,
  priority: TicketPriority,
  hours: HoursCondition,
): boolean {
  return (
    (rule.category === null || rule.category === category) &&
    (rule.priorities === null || rule.priorities.includes(priority)) &&
    (rule.businessHours === null || rule.businessHours === hours)
  );
}

/** Every kind of ticket on every stretch of time: the condition space is finite, so check it all. */
function overlaps(areaRules: RoutingRule[], all: RoutingRule[]): RuleProblem[] {
  const found = new Map<string, RuleProblem>();
  const categories = [
    null,
    ...new Set(areaRules.map((r) => r.category).filter((c): c is string => c !== null)),
  ];
  for (const span of intervals(areaRules)) {
    const live = areaRules.filter((r) => covers(r, span));
    for (const category of categories)
      for (const priority of ALL_PRIORITIES)
        for (const hours of HOURS) {
          const [first, second] = live
            .filter((r) => applies(r, category, priority, hours))
            .sort(byPrecedence);
          if (!first || !second || first.precedence !== second.precedence) continue;
          const key = `${first.id}\u0000${second.id}`;
          if (found.has(key)) continue;
          found.set(key, {
            index: all.indexOf(second),
            field: 'precedence',
            message: `overlaps rule ${all.indexOf(first)} (${first.serviceArea}${conditionText(first)}): both would own a ${priority} ticket${category ? ` of category ${category}` : ''} ${hours === 'IN' ? 'in' : 'outside'} business hours ${spanText(span)}; give one a lower precedence or make their dates or conditions disjoint`,
          });
        }
  }
  return [...found.values()];
}

function areaGaps(area: string, areaRules: RoutingRule[], today: string): RuleGap[] {
  const gaps: RuleGap[] = [];
  for (const span of intervals(areaRules)) {
    if (span.to !== null && span.to <= today) continue;
    const live = areaRules.filter((r) => covers(r, span));
    const missing: string[] = [];
    for (const hours of HOURS) {
      const uncovered = ALL_PRIORITIES.filter((p) => !live.some((r) => applies(r, null, p, hours)));
      if (uncovered.length === ALL_PRIORITIES.length)
        missing.push(`every ticket ${hours === 'IN' ? 'in' : 'outside'} business hours`);
      else if (uncovered.length)
        missing.push(`priority ${uncovered.join('/')} ${hours === 'IN' ? 'in' : 'outside'} business hours`);
    }
    if (missing.length === 0) continue;
    const tickets =
      missing.length === 2 && missing.every((m) => m.startsWith('every'))
        ? 'every ticket'
        : missing.join('; ');
    const last = gaps.at(-1);
    if (last && last.to === span.from && last.tickets === tickets) last.to = span.to;
    else gaps.push({ serviceArea: area, from: span.from, to: span.to, tickets });
  }
  return gaps;
}

function spanText(span: Interval): string {
  if (!span.from && !span.to) return 'at any date';
  if (!span.to) return `from ${span.from}`;
  if (!span.from) return `before ${span.to}`;
  return `from ${span.from} until ${span.to}`;
}
