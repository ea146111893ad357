/**
 * Changing an engagement's catalogue, matrix and area maps: shared by the GraphQL admin
 * mutations and the CLI. Each change is validated as a whole (the rule set as it would be after
 * the change) and refused with errors that name the field; nothing is written on refusal.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { EngagementRow, RoutingRuleRow, ServiceAreaRow } from '../../db/schema/index.ts';
import {
  connectionAreaMaps,
  connections,
  engagementRouting,
  parties,
  routingRules,
  serviceAreas,
} from '../../db/schema/index.ts';
import { AppError, badInput } from '../../errors.ts';
import { type AreaMap, areaMapProblems, entryPath, toAreaMapEntries } from './area-map.ts';
import { type BusinessHours, BusinessHoursSchema, toRoutingMoment } from './moment.ts';
import type { HoursCondition, RoutingRule } from './rules.ts';
import { loadBusinessHours, loadRuleRows, toRoutingRule } from './store.ts';
import { type RuleGap, validateRuleSet } from './validate.ts';

const AREA_KEY = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export async function listServiceAreas(db: DbOrTx, engagementId: string): Promise<ServiceAreaRow[]> {
  return db
    .select()
    .from(serviceAreas)
    .where(eq(serviceAreas.engagementId, engagementId))
    .orderBy(asc(serviceAreas.name));
}

export async function createServiceArea(
  db: DbOrTx,
  engagement: EngagementRow,
  input: { key: string; name: string },
): Promise<ServiceAreaRow> {
  if (!AREA_KEY.test(input.key))
    throw badInput('input.key', 'use 1-40 lowercase letters, digits and dashes, e.g. "helpdesk-t1"');
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw badInput('input.name', 'give a name of 1 to 100 characters, e.g. "Helpdesk tier 1"');
  const [row] = await db
    .insert(serviceAreas)
    .values({ engagementId: engagement.id, key: input.key, name })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw badInput('input.key', `engagement ${engagement.slug} already has a service area "${input.key}"`);
  return row;
}

/** A rule as a caller writes it: parties by slug, dates as YYYY-MM-DD. */
export interface RuleInput {
  serviceArea: string;
  category?: string | null;
  priorities?: RoutingRule['priorities'];
  businessHours?: HoursCondition | null;
  responsibleParty: string;
  accountableParty?: string | null;
  consultedParties?: string[] | null;
  informedParties?: string[] | null;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  precedence?: number | null;
  note?: string | null;
}

export interface RuleChange {
  rule: RoutingRuleRow | null;
  gaps: RuleGap[];
}

/** Creates (no `id`) or replaces (with `id`) one rule, after checking the whole set it makes. */
export async function saveRoutingRule(
  db: DbOrTx,
  engagement: EngagementRow,
  input: RuleInput,
  id: string | null = null,
): Promise<RuleChange> {
  return db.transaction(async (tx) => {
    const existing = await loadRuleRows(tx, engagement.id);
    if (id && !existing.some((r) => r.id === id))
      throw new AppError('NOT_FOUND', `Routing rule ${id} does not exist in engagement ${engagement.slug}.`);
    const values = await toRuleValues(tx, engagement, input);
    const candidate: RoutingRule = toRoutingRule({
      ...values,
      id: id ?? 'new',
      engagementId: engagement.id,
      note: null,
      createdAt: new Date(),
    });
    const others = existing.filter((r) => r.id !== id).map(toRoutingRule);
    const gaps = await checkSet(tx, engagement, [...others, candidate], others.length);
    const [rule] = id
      ? await tx.update(routingRules).set(values).where(eq(routingRules.id, id)).returning()
      : await tx
          .insert(routingRules)
          .values({ ...values, engagementId: engagement.id })
          .returning();
    return { rule: rule ?? null, gaps };
  });
}

export async function deleteRoutingRule(
  db: DbOrTx,
  engagement: EngagementRow,
  id: string,
): Promise<RuleChange> {
  return db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(routingRules)
      .where(and(eq(routingRules.id, id), eq(routingRules.engagementId, engagement.id)))
      .returning();
    if (!gone)
      throw new AppError('NOT_FOUND', `Routing rule ${id} does not exist in engagement ${engagement.slug}.`);
    const rest = (await loadRuleRows(tx, engagement.id)).map(toRoutingRule);
    return { rule: gone, gaps: await checkSet(tx, engagement, rest, null) };
  });
}

/** Refuses a set with problems (naming `input.<field>` for the rule being written); returns its gaps. */
async function checkSet(
  tx: DbOrTx,
  engagement: EngagementRow,
  rules: RoutingRule[],
  candidateIndex: number | null,
): Promise<RuleGap[]> {
  const areas = new Set((await listServiceAreas(tx, engagement.id)).map((a) => a.key));
  const hours = await loadBusinessHours(tx, engagement.id);
  const report = validateRuleSet(rules, {
    areas,
    parties: new Set([engagement.internalPartyId, engagement.mspPartyId]),
    today: toRoutingMoment(new Date(), hours).day,
  });
  const mine = report.problems.filter((p) => p.index === candidateIndex || p.index === null);
  const problems = mine.length ? mine : report.problems;
  if (problems.length) {
    const first = problems[0]!;
    throw new AppError('BAD_USER_INPUT', problems.map((p) => `input.${p.field}: ${p.message}`).join('; '), {
      field: `input.${first.field}`,
      problems: problems.map((p) => ({ field: `input.${p.field}`, message: p.message })),
    });
  }
  return report.gaps;
}

async function toRuleValues(tx: DbOrTx, engagement: EngagementRow, input: RuleInput) {
  const slugs = [
    input.responsibleParty,
    input.accountableParty ?? input.responsibleParty,
    ...(input.consultedParties ?? []),
    ...(input.informedParties ?? []),
  ];
  const rows = await tx.select().from(parties).where(inArray(parties.slug, slugs));
  const idOf = (slug: string, field: string) => {
    const row = rows.find((p) => p.slug === slug);
    if (!row) throw badInput(`input.${field}`, `no party with slug "${slug}"`);
    if (row.id !== engagement.internalPartyId && row.id !== engagement.mspPartyId) {
      throw badInput(
        `input.${field}`,
        `party "${slug}" is outside engagement ${engagement.slug} (use its internal party or its MSP party)`,
      );
    }
    return row.id;
  };
  return {
    serviceArea: input.serviceArea,
    category: input.category?.trim() || null,
    priorities: input.priorities?.length === 0 ? [] : (input.priorities ?? null),
    businessHours: input.businessHours ?? null,
    responsiblePartyId: idOf(input.responsibleParty, 'responsibleParty'),
    accountablePartyId: idOf(input.accountableParty ?? input.responsibleParty, 'accountableParty'),
    consultedPartyIds: (input.consultedParties ?? []).map((s) => idOf(s, 'consultedParties')),
    informedPartyIds: (input.informedParties ?? []).map((s) => idOf(s, 'informedParties')),
    effectiveFrom: input.effectiveFrom ?? null,
    effectiveTo: input.effectiveTo ?? null,
    precedence: input.precedence ?? 100,
    note: input.note ?? null,
  };
}

/** Replaces a connection's area map after checking it against the engagement's areas and the tool's boards. */
export async function setConnectionAreaMap(
  db: DbOrTx,
  connectionId: string,
  map: AreaMap,
  areaKeys: ReadonlySet<string>,
): Promise<AreaMap> {
  const [conn] = await db.select().from(connections).where(eq(connections.id, connectionId));
  if (!conn)
    throw badInput(
      'input.connectionId',
      `no connection "${connectionId}" (see the \`syncConnections\` query)`,
    );
  const entries = toAreaMapEntries(map);
  const problems = areaMapProblems(entries, areaKeys, knownQueuesOf(conn.settings, map)).map((p) => ({
    field: `input.${entryPath(entries, p, 'list')}`,
    message: p.message,
  }));
  if (problems.length) {
    throw new AppError('BAD_USER_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
      field: problems[0]!.field,
      problems,
    });
  }
  await db
    .insert(connectionAreaMaps)
    .values({ connectionId, areaMap: map })
    .onConflictDoUpdate({
      target: connectionAreaMaps.connectionId,
      set: { areaMap: map, updatedAt: new Date() },
    });
  return map;
}

/**
 * The boards or queues a connection is known to have: the one its settings name (`board`,
 * `queue`) and those the map lists as known. Null when neither says: then nothing can be checked.
 */
export function knownQueuesOf(settings: unknown, map: AreaMap): Set<string> | null {
  const known = new Set(map.knownQueues ?? []);
  const s = (settings ?? {}) as Record<string, unknown>;
  for (const key of ['board', 'boards', 'queue', 'queues', 'queueName', 'group', 'project']) {
    const value = s[key];
    if (typeof value === 'string') known.add(value);
    if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') known.add(v);
  }
  return known.size ? known : null;
}

export async function setBusinessHours(
  db: DbOrTx,
  engagement: EngagementRow,
  input: unknown,
): Promise<BusinessHours> {
  const parsed = BusinessHoursSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(`input.${issue.path.join('.') || 'businessHours'}`, issue.message);
  }
  await db
    .insert(engagementRouting)
    .values({ engagementId: engagement.id, businessHours: parsed.data })
    .onConflictDoUpdate({
      target: engagementRouting.engagementId,
      set: { businessHours: parsed.data, updatedAt: new Date() },
    });
  return parsed.data;
}

/**
 * A ticket's area must be one of its engagement's catalogue once the engagement has one (before
 * that, any text is kept, as it always was). Refused with the field named, nothing written.
 */
export async function checkServiceArea(
  db: DbOrTx,
  engagementId: string,
  area: string | null | undefined,
  field: string,
): Promise<void> {
  if (!area) return;
  const keys = (await listServiceAreas(db, engagementId)).map((a) => a.key);
  if (keys.length && !keys.includes(area)) {
    throw badInput(field, `unknown service area "${area}" (known: ${keys.join(', ')})`);
  }
}
