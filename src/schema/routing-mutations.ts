import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { RoutingRuleRow } from '../db/schema/index.ts';
import { connections, routingRules } from '../db/schema/index.ts';
import { pickEngagement } from '../domain/engagements.ts';
import {
  createServiceArea,
  deleteRoutingRule,
  listServiceAreas,
  type RuleInput,
  saveRoutingRule,
  setBusinessHours,
  setConnectionAreaMap,
} from '../domain/routing/admin.ts';
import type { AreaMap } from '../domain/routing/area-map.ts';
import { routeTicket } from '../domain/routing/store.ts';
import type { RuleGap } from '../domain/routing/validate.ts';
import { lockVisibleTicket } from '../domain/ticket-store.ts';
import { AppError } from '../errors.ts';
import { builder } from './builder.ts';
import { TicketPriorityEnum } from './enums.ts';
import { parseId } from './global-id.ts';
import { engagementArg } from './routing-engagement.ts';
import { BusinessHoursConditionEnum, RoutingRuleRef, RuleGapRef, ServiceAreaRef } from './routing-types.ts';
import { TicketPayload } from './ticket-mutations.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write a calendar day as YYYY-MM-DD, e.g. 2027-01-01');

const CreateServiceAreaInput = builder.inputType('CreateServiceAreaInput', {
  fields: (t) => ({
    engagement: t.string({ required: false, description: 'Slug; needed when you take part in several.' }),
    key: t.string({ required: true, description: 'Kebab-case, e.g. `helpdesk-t1`.' }),
    name: t.string({ required: true, description: 'e.g. "Helpdesk tier 1".' }),
  }),
});

const RoutingRuleInput = builder.inputType('RoutingRuleInput', {
  description: "One matrix rule. Parties by slug: the engagement's internal party or its MSP party.",
  fields: (t) => ({
    engagement: t.string({ required: false, description: 'Slug; needed when you take part in several.' }),
    serviceArea: t.string({ required: true, description: 'A service area key of the engagement.' }),
    category: t.string({ required: false, description: 'Only tickets of this category; omit for any.' }),
    priorities: t.field({
      type: [TicketPriorityEnum],
      required: false,
      description: 'Only these priorities; omit for any.',
    }),
    businessHours: t.field({ type: BusinessHoursConditionEnum, required: false }),
    responsibleParty: t.string({ required: true, description: 'Who does the work (becomes the owner).' }),
    accountableParty: t.string({
      required: false,
      description: 'Who decides; defaults to the responsible party.',
    }),
    consultedParties: t.stringList({ required: false }),
    informedParties: t.stringList({ required: false }),
    effectiveFrom: t.string({ required: false, validate: day, description: 'First day (YYYY-MM-DD).' }),
    effectiveTo: t.string({ required: false, validate: day, description: 'First day it no longer applies.' }),
    precedence: t.int({ required: false, description: 'Lower wins; default 100.' }),
    note: t.string({ required: false, validate: z.string().max(500, 'at most 500 characters') }),
  }),
});

const UpdateRoutingRuleInput = builder.inputType('UpdateRoutingRuleInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    rule: t.field({ type: RoutingRuleInput, required: true, description: 'The whole rule as it should be.' }),
  }),
});

const AreaMapEntryInput = builder.inputType('AreaMapEntryInput', {
  fields: (t) => ({
    toolValue: t.string({
      required: true,
      description: 'The board, queue, type or category name in the tool.',
    }),
    serviceArea: t.string({
      required: true,
      description: "A service area key of the connection's engagement.",
    }),
  }),
});

const SetConnectionAreaMapInput = builder.inputType('SetConnectionAreaMapInput', {
  description: "Replaces the connection's area map; applied on every pull from then on.",
  fields: (t) => ({
    connectionId: t.string({ required: true }),
    engagement: t.string({
      required: false,
      description: 'Whose areas the map names; needed when you take part in several.',
    }),
    queues: t.field({ type: [AreaMapEntryInput], required: false }),
    categories: t.field({ type: [AreaMapEntryInput], required: false }),
    knownQueues: t.stringList({
      required: false,
      description: "The tool's boards or queues beyond the one in its settings.",
    }),
  }),
});

const SetBusinessHoursInput = builder.inputType('SetBusinessHoursInput', {
  fields: (t) => ({
    engagement: t.string({ required: false }),
    timeZone: t.string({ required: true, description: 'IANA time zone, e.g. Europe/Berlin.' }),
    days: t.intList({ required: true, description: '1 = Monday … 7 = Sunday.' }),
    start: t.string({ required: true, description: 'HH:MM' }),
    end: t.string({ required: true, description: 'HH:MM' }),
  }),
});

const RoutingRulePayload = builder
  .objectRef<{ rule: RoutingRuleRow | null; gaps: RuleGap[] }>('RoutingRulePayload')
  .implement({
    fields: (t) => ({
      rule: t.field({ type: RoutingRuleRef, nullable: true, resolve: (p) => p.rule }),
      gaps: t.field({
        type: [RuleGapRef],
        description: 'What the matrix leaves uncovered after this change.',
        resolve: (p) => p.gaps,
      }),
    }),
  });

const AreaMapEntryRef = builder
  .objectRef<{ toolValue: string; serviceArea: string }>('AreaMapEntry')
  .implement({
    fields: (t) => ({ toolValue: t.exposeString('toolValue'), serviceArea: t.exposeString('serviceArea') }),
  });

const ConnectionAreaMapRef = builder
  .objectRef<{ connectionId: string; map: AreaMap }>('ConnectionAreaMap')
  .implement({
    fields: (t) => ({
      connectionId: t.exposeString('connectionId'),
      queues: t.field({ type: [AreaMapEntryRef], resolve: (m) => entries(m.map.queues) }),
      categories: t.field({ type: [AreaMapEntryRef], resolve: (m) => entries(m.map.categories) }),
      knownQueues: t.stringList({ resolve: (m) => m.map.knownQueues ?? [] }),
    }),
  });

const entries = (rec: Record<string, string> | undefined) =>
  Object.entries(rec ?? {}).map(([toolValue, serviceArea]) => ({ toolValue, serviceArea }));
const record = (list: { toolValue: string; serviceArea: string }[] | null | undefined) =>
  list ? Object.fromEntries(list.map((e) => [e.toolValue, e.serviceArea])) : undefined;

type RuleArgs = { engagement?: string | null } & Omit<RuleInput, 'priorities'> & {
    priorities?: RuleInput['priorities'] | null;
  };

function toRuleInput(input: RuleArgs): RuleInput {
  const { engagement: _e, ...rest } = input;
  return { ...rest, priorities: input.priorities ?? null };
}

async function ruleEngagement(ctx: Parameters<typeof engagementArg>[0], globalId: string) {
  const id = parseId(globalId, 'RoutingRule', 'input.id');
  const [row] = await ctx.db.select().from(routingRules).where(eq(routingRules.id, id));
  if (!row || !ctx.viewer.engagementIds.includes(row.engagementId)) {
    throw new AppError(
      'NOT_FOUND',
      `Routing rule ${globalId} does not exist or is not visible to your token.`,
    );
  }
  return {
    id,
    engagement: await pickEngagement(ctx.db, ctx.viewer.engagementIds, { id: row.engagementId }, 'input.id'),
  };
}

builder.mutationFields((t) => ({
  rerouteTicket: t.field({
    type: TicketPayload,
    description:
      'Puts the ticket back under the matrix: the rule matching it now sets the owner, even after a manual hand-off or escalation.',
    authScopes: { agent: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(String(args.id), 'Ticket', 'id');
      const ticket = await ctx.db.transaction(async (tx) => {
        const current = await lockVisibleTicket(tx, ctx.viewer, id);
        return routeTicket(tx, current, ctx.hooks, new Date(), true);
      });
      return { ticket };
    },
  }),
  createServiceArea: t.field({
    type: ServiceAreaRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateServiceAreaInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      createServiceArea(ctx.db, await engagementArg(ctx, input.engagement, 'input.engagement'), input),
  }),
  createRoutingRule: t.field({
    type: RoutingRulePayload,
    description: 'Adds a rule after checking the whole matrix it makes: overlaps are refused, gaps reported.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RoutingRuleInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      saveRoutingRule(
        ctx.db,
        await engagementArg(ctx, input.engagement, 'input.engagement'),
        toRuleInput(input as RuleArgs),
      ),
  }),
  updateRoutingRule: t.field({
    type: RoutingRulePayload,
    description: 'Replaces a rule (e.g. to end it on a date: set effectiveTo), checking the whole matrix.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateRoutingRuleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { id, engagement } = await ruleEngagement(ctx, String(input.id));
      return saveRoutingRule(ctx.db, engagement, toRuleInput(input.rule as RuleArgs), id);
    },
  }),
  deleteRoutingRule: t.field({
    type: RoutingRulePayload,
    description:
      'Removes a rule; the payload reports the gaps it leaves. Tickets it routed keep their owner.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { id, engagement } = await ruleEngagement(ctx, String(args.id));
      return deleteRoutingRule(ctx.db, engagement, id);
    },
  }),
  setConnectionAreaMap: t.field({
    type: ConnectionAreaMapRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: SetConnectionAreaMapInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const engagement = await engagementArg(ctx, input.engagement, 'input.engagement');
      const [conn] = await ctx.db.select().from(connections).where(eq(connections.id, input.connectionId));
      if (!conn || conn.partyId !== ctx.viewer.partyId) {
        throw new AppError(
          'NOT_FOUND',
          `input.connectionId: no connection "${input.connectionId}" of your party (see the \`syncConnections\` query).`,
          { field: 'input.connectionId' },
        );
      }
      const areas = new Set((await listServiceAreas(ctx.db, engagement.id)).map((a) => a.key));
      const map: AreaMap = {
        ...(input.queues ? { queues: record(input.queues) } : {}),
        ...(input.categories ? { categories: record(input.categories) } : {}),
        ...(input.knownQueues ? { knownQueues: input.knownQueues } : {}),
      };
      return { connectionId: conn.id, map: await setConnectionAreaMap(ctx.db, conn.id, map, areas) };
    },
  }),
  setBusinessHours: t.field({
    type: 'Boolean',
    description:
      "Sets the engagement's business hours, which rules with a businessHours condition and rule dates read.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: SetBusinessHoursInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { engagement, ...hours } = input;
      await setBusinessHours(ctx.db, await engagementArg(ctx, engagement, 'input.engagement'), hours);
      return true;
    },
  }),
}));
