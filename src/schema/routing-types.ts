import { eq } from 'drizzle-orm';
import { TICKET_PRIORITIES } from '../connector-kit/records.ts';
import type { EngagementRow, RoutingRuleRow, ServiceAreaRow, TicketRow } from '../db/schema/index.ts';
import { routingRules } from '../db/schema/index.ts';
import { ROUTING_REASONS } from '../domain/routing/rules.ts';
import type { RuleGap } from '../domain/routing/validate.ts';
import { builder } from './builder.ts';
import { TicketPriorityEnum } from './enums.ts';
import { encodeId } from './global-id.ts';
import { PartyRef } from './party.ts';

export const RoutingReasonEnum = builder.enumType('RoutingReason', {
  values: ROUTING_REASONS,
  description: "Why the owner holds a ticket: a matrix rule, a person's hand-off, or an escalation.",
});
export const BusinessHoursConditionEnum = builder.enumType('BusinessHoursCondition', {
  values: ['IN', 'OUT'] as const,
  description: "A rule that applies only inside (IN) or outside (OUT) the engagement's business hours.",
});

export const ServiceAreaRef = builder.objectRef<ServiceAreaRow>('ServiceArea').implement({
  description: "One entry of an engagement's service catalogue (Monitoring, Patching, Helpdesk tier 1...).",
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'What tickets, area maps and rules name, e.g. `helpdesk-t1`.',
    }),
    name: t.exposeString('name'),
  }),
});

export const RoutingRuleRef = builder.objectRef<RoutingRuleRow>('RoutingRule').implement({
  description:
    'One row of the responsibility matrix: for tickets of this area (and, optionally, category, priorities and business hours), between these dates, who is responsible, accountable, consulted and informed.',
  fields: (t) => ({
    id: t.id({ resolve: (r) => encodeId('RoutingRule', r.id) }),
    serviceArea: t.exposeString('serviceArea'),
    category: t.exposeString('category', { nullable: true, description: 'Null: any category.' }),
    priorities: t.field({
      type: [TicketPriorityEnum],
      nullable: true,
      description: 'Null: any priority.',
      resolve: (r) => r.priorities?.filter((p) => TICKET_PRIORITIES.includes(p)) ?? null,
    }),
    businessHours: t.field({
      type: BusinessHoursConditionEnum,
      nullable: true,
      resolve: (r) => r.businessHours ?? null,
    }),
    responsibleParty: t.field({
      type: PartyRef,
      description: "Who does the work: becomes the ticket's owner.",
      resolve: async (r, _a, ctx) => (await ctx.loaders.party.load(r.responsiblePartyId))!,
    }),
    accountableParty: t.field({
      type: PartyRef,
      description: 'Who decides.',
      resolve: async (r, _a, ctx) => (await ctx.loaders.party.load(r.accountablePartyId))!,
    }),
    consultedParties: t.field({
      type: [PartyRef],
      resolve: async (r, _a, ctx) =>
        (await Promise.all(r.consultedPartyIds.map((id) => ctx.loaders.party.load(id)))).filter(
          (p) => p !== null && p !== undefined,
        ),
    }),
    informedParties: t.field({
      type: [PartyRef],
      resolve: async (r, _a, ctx) =>
        (await Promise.all(r.informedPartyIds.map((id) => ctx.loaders.party.load(id)))).filter(
          (p) => p !== null && p !== undefined,
        ),
    }),
    effectiveFrom: t.exposeString('effectiveFrom', {
      nullable: true,
      description: 'First day it applies (YYYY-MM-DD, engagement time zone); null: since always.',
    }),
    effectiveTo: t.exposeString('effectiveTo', {
      nullable: true,
      description: 'First day it no longer applies; null: until further notice.',
    }),
    precedence: t.exposeInt('precedence', { description: 'Lower wins when several rules match.' }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

export const RuleGapRef = builder.objectRef<RuleGap>('RoutingGap').implement({
  description: 'Tickets of an area no rule covers for a stretch of time: they would be flagged UNROUTED.',
  fields: (t) => ({
    serviceArea: t.exposeString('serviceArea'),
    from: t.exposeString('from', { nullable: true }),
    to: t.exposeString('to', { nullable: true }),
    tickets: t.exposeString('tickets', { description: 'Which tickets fall through, e.g. "every ticket".' }),
  }),
});

export const TicketRoutingRef = builder.objectRef<TicketRow>('TicketRouting').implement({
  description: "Why the ticket's owner holds it.",
  fields: (t) => ({
    rule: t.field({
      type: RoutingRuleRef,
      nullable: true,
      description: 'The matrix rule that set the owner; null for a manual hand-off or an unrouted ticket.',
      resolve: async (r, _a, ctx) => {
        if (!r.routingRuleId) return null;
        const [row] = await ctx.db.select().from(routingRules).where(eq(routingRules.id, r.routingRuleId));
        return row ?? null;
      },
    }),
    reason: t.field({
      type: RoutingReasonEnum,
      nullable: true,
      description: 'Null: never routed (no matrix, or created before one).',
      resolve: (r) => r.routingReason ?? null,
    }),
    unrouted: t.exposeBoolean('unrouted', {
      description: "No rule covers the ticket: both parties' admins see it flagged.",
    }),
  }),
});

export interface MatrixPayload {
  engagement: EngagementRow;
  today: string;
  areas: {
    area: ServiceAreaRow;
    now: RoutingRuleRow[];
    nextChangeOn: string | null;
    next: RoutingRuleRow[];
  }[];
  rules: RoutingRuleRow[];
  gaps: RuleGap[];
  unrouted: { partyId: string; count: number }[];
}
