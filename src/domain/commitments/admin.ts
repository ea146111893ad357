/**
 * Changing an engagement's calendars and commitment policies: shared by the GraphQL admin
 * mutations (and a CLI later). Everything is checked before anything is written; refusals are
 * BAD_USER_INPUT errors naming the field, with every problem listed in `extensions.problems`.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { BusinessCalendarRow, CommitmentPolicyRow, EngagementRow } from '../../db/schema/index.ts';
import { businessCalendars, commitmentPolicies, parties, serviceAreas } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { BusinessCalendarSchema } from '../business-calendar.ts';
import {
  obligatedParty,
  POLICY_KEY,
  type PolicyInput,
  type PolicyProblem,
  type PolicyWorld,
  policyProblems,
  toTargets,
} from './validate.ts';

function refuse(problems: PolicyProblem[]): never {
  const [first] = problems;
  throw new AppError('BAD_USER_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
    field: first?.field,
    problems,
  });
}

export async function listCalendars(db: DbOrTx, engagementId: string): Promise<BusinessCalendarRow[]> {
  return db
    .select()
    .from(businessCalendars)
    .where(eq(businessCalendars.engagementId, engagementId))
    .orderBy(asc(businessCalendars.key));
}

export async function listPolicies(db: DbOrTx, engagementId: string): Promise<CommitmentPolicyRow[]> {
  return db
    .select()
    .from(commitmentPolicies)
    .where(eq(commitmentPolicies.engagementId, engagementId))
    .orderBy(asc(commitmentPolicies.key));
}

/** Creates the calendar, or replaces the one with the same key; due times follow from the next change of each clock. */
export async function saveCalendar(
  db: DbOrTx,
  engagement: EngagementRow,
  input: { key: string; name: string; calendar: unknown },
): Promise<BusinessCalendarRow> {
  const problems: PolicyProblem[] = [];
  if (!POLICY_KEY.test(input.key))
    problems.push({
      field: 'input.key',
      message: 'use 1-40 lowercase letters, digits and dashes, e.g. "berlin-office"',
    });
  if (!input.name.trim() || input.name.length > 100)
    problems.push({ field: 'input.name', message: 'give a name of 1 to 100 characters' });
  const parsed = BusinessCalendarSchema.safeParse(input.calendar);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push({ field: ['input', ...issue.path].join('.'), message: issue.message });
  if (problems.length > 0 || !parsed.success) refuse(problems);
  const values = {
    engagementId: engagement.id,
    key: input.key,
    name: input.name.trim(),
    calendar: parsed.data,
  };
  const [row] = await db
    .insert(businessCalendars)
    .values(values)
    .onConflictDoUpdate({
      target: [businessCalendars.engagementId, businessCalendars.key],
      set: { name: values.name, calendar: values.calendar, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

async function loadWorld(
  db: DbOrTx,
  engagement: EngagementRow,
  exceptId: string | null,
): Promise<PolicyWorld> {
  const [cals, areas, partyRows, others] = await Promise.all([
    listCalendars(db, engagement.id),
    db
      .select({ key: serviceAreas.key })
      .from(serviceAreas)
      .where(eq(serviceAreas.engagementId, engagement.id)),
    db.select().from(parties),
    db
      .select()
      .from(commitmentPolicies)
      .where(
        and(
          eq(commitmentPolicies.engagementId, engagement.id),
          exceptId ? ne(commitmentPolicies.id, exceptId) : undefined,
        ),
      ),
  ]);
  const mine = partyRows.filter((p) => p.id === engagement.internalPartyId || p.id === engagement.mspPartyId);
  return {
    calendars: new Set(cals.map((c) => c.key)),
    areas: new Set(areas.map((a) => a.key)),
    parties: new Map(mine.map((p) => [p.slug, { id: p.id, kind: p.kind }])),
    others,
  };
}

/** The row a valid policy input makes, or every problem with it. */
export async function checkPolicy(
  db: DbOrTx,
  engagement: EngagementRow,
  input: PolicyInput,
  exceptId: string | null = null,
): Promise<typeof commitmentPolicies.$inferInsert> {
  const world = await loadWorld(db, engagement, exceptId);
  const problems = policyProblems(input, world);
  if (problems.length > 0) refuse(problems);
  const [calendar] = await db
    .select({ id: businessCalendars.id })
    .from(businessCalendars)
    .where(and(eq(businessCalendars.engagementId, engagement.id), eq(businessCalendars.key, input.calendar)));
  return {
    engagementId: engagement.id,
    key: input.key,
    name: input.name.trim(),
    kind: input.kind,
    obligatedPartyId: obligatedParty(input, world)!.id,
    metric: input.metric,
    serviceAreas: input.serviceAreas ?? null,
    priorities: input.priorities ?? null,
    categories: input.categories ?? null,
    targets: toTargets(input),
    calendarId: calendar!.id,
    pauseStatuses: input.pauseStatuses ?? [],
    clockStart: input.clockStart,
    warningPercents: [...(input.warningPercents ?? [])].sort((a, b) => a - b),
  };
}

/**
 * Creates (no `id`) or replaces (with `id`) a policy. Clocks already running keep the policy's
 * old target until their ticket next changes; new tickets get the new one.
 */
export async function savePolicy(
  db: DbOrTx,
  engagement: EngagementRow,
  input: PolicyInput,
  id: string | null = null,
): Promise<CommitmentPolicyRow> {
  return db.transaction(async (tx) => {
    const values = await checkPolicy(tx, engagement, input, id);
    if (id) {
      const [row] = await tx
        .update(commitmentPolicies)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(commitmentPolicies.id, id), eq(commitmentPolicies.engagementId, engagement.id)))
        .returning();
      if (!row)
        throw new AppError('NOT_FOUND', `Commitment policy ${id} does not exist in ${engagement.slug}.`);
      return row;
    }
    const [row] = await tx.insert(commitmentPolicies).values(values).onConflictDoNothing().returning();
    if (!row)
      refuse([
        { field: 'input.key', message: `engagement ${engagement.slug} already has a policy "${input.key}"` },
      ]);
    return row;
  });
}

/** Removes a policy and its clocks (their history events stay). */
export async function deletePolicy(db: DbOrTx, engagementId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(commitmentPolicies)
    .where(and(eq(commitmentPolicies.id, id), eq(commitmentPolicies.engagementId, engagementId)))
    .returning({ id: commitmentPolicies.id });
  return rows.length > 0;
}
