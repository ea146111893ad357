/**
 * A commitment policy checked as a whole against its engagement: the names it uses must exist
 * (calendar, areas, party) and it must not overlap another policy of the same party and metric.
 * Pure: `admin.ts` loads what it needs and writes only when this finds nothing wrong.
 */
import type { TicketPriority, TicketStatus } from '../../connector-kit/records.ts';
import { TICKET_PRIORITIES } from '../../connector-kit/records.ts';
import type { CommitmentPolicyRow } from '../../db/schema/index.ts';
import type { ClockStart, CommitmentKind, CommitmentMetric, PriorityTargets } from './types.ts';

export const POLICY_KEY = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** A policy as an admin writes it: the calendar, areas and party by name. */
export interface PolicyInput {
  key: string;
  name: string;
  kind: CommitmentKind;
  metric: CommitmentMetric;
  /** Party slug; defaults to the engagement's MSP (SLA) or internal party (OLA). */
  obligatedParty?: string | null;
  serviceAreas?: string[] | null;
  priorities?: TicketPriority[] | null;
  categories?: string[] | null;
  /** Business minutes per priority. */
  targets: { priority: TicketPriority; minutes: number }[];
  calendar: string;
  pauseStatuses?: TicketStatus[] | null;
  clockStart: ClockStart;
  warningPercents?: number[] | null;
}

export interface PolicyProblem {
  field: string;
  message: string;
}

/** What a policy is checked against. */
export interface PolicyWorld {
  calendars: ReadonlySet<string>;
  areas: ReadonlySet<string>;
  /** The engagement's parties by slug, with their side. */
  parties: ReadonlyMap<string, { id: string; kind: 'MSP' | 'INTERNAL' }>;
  /** The engagement's other policies (the one being replaced left out). */
  others: readonly CommitmentPolicyRow[];
}

/** The coverage part of a policy, for the overlap check. */
export interface Coverage {
  obligatedPartyId: string;
  metric: CommitmentMetric;
  serviceAreas: string[] | null;
  priorities: TicketPriority[] | null;
  categories: string[] | null;
  targets: PriorityTargets;
}

const intersects = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null || a.some((x) => b.includes(x));

/** The priorities a policy really covers: those it lists (or all) that have a target. */
function coveredPriorities(c: Pick<Coverage, 'priorities' | 'targets'>): TicketPriority[] {
  return (c.priorities ?? [...TICKET_PRIORITIES]).filter((p) => (c.targets[p] ?? 0) > 0);
}

/** Whether one ticket could fall under both: then two clocks would count the same obligation. */
export function overlaps(a: Coverage, b: Coverage): boolean {
  return (
    a.obligatedPartyId === b.obligatedPartyId &&
    a.metric === b.metric &&
    intersects(a.serviceAreas, b.serviceAreas) &&
    intersects(a.categories, b.categories) &&
    intersects(coveredPriorities(a), coveredPriorities(b))
  );
}

/** Every problem with the policy, each naming its field (`input.targets.1.minutes`). */
export function policyProblems(input: PolicyInput, world: PolicyWorld): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `input.${field}`, message });
  if (!POLICY_KEY.test(input.key))
    add('key', 'use 1-40 lowercase letters, digits and dashes, e.g. "msp-response"');
  if (!input.name.trim() || input.name.length > 100) add('name', 'give a name of 1 to 100 characters');
  if (!world.calendars.has(input.calendar))
    add('calendar', `no business calendar "${input.calendar}" in this engagement; create it first`);
  for (const [i, area] of (input.serviceAreas ?? []).entries())
    if (!world.areas.has(area)) add(`serviceAreas.${i}`, `no service area "${area}" in this engagement`);
  if (input.serviceAreas?.length === 0)
    add('serviceAreas', 'name at least one area, or leave it out for any');
  if (input.categories?.length === 0)
    add('categories', 'name at least one category, or leave it out for any');
  if (input.priorities?.length === 0)
    add('priorities', 'name at least one priority, or leave it out for any');
  const party = obligatedParty(input, world);
  if (input.obligatedParty && !party)
    add('obligatedParty', `no party "${input.obligatedParty}" in this engagement`);
  if (input.targets.length === 0) add('targets', 'give a target for at least one priority');
  const seen = new Set<TicketPriority>();
  for (const [i, t] of input.targets.entries()) {
    if (seen.has(t.priority)) add(`targets.${i}.priority`, `${t.priority} has two targets`);
    seen.add(t.priority);
    if (!Number.isInteger(t.minutes) || t.minutes < 1 || t.minutes > 525_600)
      add(`targets.${i}.minutes`, 'a whole number of business minutes from 1 to 525600 (a year)');
  }
  for (const [i, s] of (input.pauseStatuses ?? []).entries())
    if (s === 'RESOLVED' || s === 'CLOSED')
      add(`pauseStatuses.${i}`, `${s} ends the obligation; only open statuses can pause it`);
  const percents = input.warningPercents ?? [];
  for (const [i, p] of percents.entries())
    if (!Number.isInteger(p) || p < 1 || p > 99) add(`warningPercents.${i}`, 'a whole percent from 1 to 99');
  if (new Set(percents).size !== percents.length) add('warningPercents', 'each percent once');
  if (party && problems.length === 0) {
    const mine = toCoverage(input, party.id);
    const clash = world.others.find((o) => overlaps(mine, o));
    if (clash)
      add(
        'serviceAreas',
        `overlaps policy "${clash.key}" (same party and metric ${input.metric}): a ticket could fall under both; narrow the areas, priorities or categories of one`,
      );
  }
  return problems;
}

/** The party that owes the commitment: the named one, or the side its kind implies. */
export function obligatedParty(input: Pick<PolicyInput, 'obligatedParty' | 'kind'>, world: PolicyWorld) {
  if (input.obligatedParty) return world.parties.get(input.obligatedParty) ?? null;
  const side = input.kind === 'SLA' ? 'MSP' : 'INTERNAL';
  return [...world.parties.values()].find((p) => p.kind === side) ?? null;
}

export function toTargets(input: Pick<PolicyInput, 'targets'>): PriorityTargets {
  return Object.fromEntries(input.targets.map((t) => [t.priority, t.minutes]));
}

export function toCoverage(input: PolicyInput, partyId: string): Coverage {
  return {
    obligatedPartyId: partyId,
    metric: input.metric,
    serviceAreas: input.serviceAreas ?? null,
    priorities: input.priorities ?? null,
    categories: input.categories ?? null,
    targets: toTargets(input),
  };
}
