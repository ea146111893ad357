import type { EngagementRow } from '../db/schema/index.ts';
import { listServiceAreas } from '../domain/routing/admin.ts';
import { countUnrouted, loadMatrix } from '../domain/routing/matrix.ts';
import { previewRoute, type RoutePreview } from '../domain/routing/store.ts';
import { canSee } from '../domain/visibility.ts';
import { AppError, badInput } from '../errors.ts';
import { builder } from './builder.ts';
import { TicketPriorityEnum } from './enums.ts';
import { parseId } from './global-id.ts';
import { PartyRef } from './party.ts';
import { engagementArg } from './routing-engagement.ts';
import { type MatrixPayload, RoutingRuleRef, RuleGapRef, ServiceAreaRef } from './routing-types.ts';

const MatrixAreaRef = builder
  .objectRef<MatrixPayload['areas'][number]>('ResponsibilityMatrixArea')
  .implement({
    description: 'One service area of the matrix: the rules in effect today and at the next phase change.',
    fields: (t) => ({
      serviceArea: t.field({ type: ServiceAreaRef, resolve: (r) => r.area }),
      now: t.field({
        type: [RoutingRuleRef],
        description: 'Rules in effect today, most precedent first.',
        resolve: (r) => r.now,
      }),
      nextChangeOn: t.string({
        nullable: true,
        description: 'The next day a rule of this area starts or stops applying.',
        resolve: (r) => r.nextChangeOn,
      }),
      next: t.field({
        type: [RoutingRuleRef],
        description: 'Rules in effect from nextChangeOn.',
        resolve: (r) => r.next,
      }),
    }),
  });

const UnroutedCountRef = builder.objectRef<{ partyId: string; count: number }>('UnroutedCount').implement({
  fields: (t) => ({
    party: t.field({
      type: PartyRef,
      resolve: async (u, _a, ctx) => (await ctx.loaders.party.load(u.partyId))!,
    }),
    count: t.exposeInt('count'),
  }),
});

const MatrixRef = builder.objectRef<MatrixPayload>('ResponsibilityMatrix').implement({
  description: 'Who is responsible for what in one engagement, now and next.',
  fields: (t) => ({
    engagementSlug: t.string({ resolve: (m) => m.engagement.slug }),
    today: t.string({
      description: "Today in the engagement's time zone (YYYY-MM-DD).",
      resolve: (m) => m.today,
    }),
    areas: t.field({ type: [MatrixAreaRef], resolve: (m) => m.areas }),
    rules: t.field({ type: [RoutingRuleRef], resolve: (m) => m.rules }),
    gaps: t.field({
      type: [RuleGapRef],
      description: 'What no rule covers from today on.',
      resolve: (m) => m.gaps,
    }),
    unrouted: t.field({
      type: [UnroutedCountRef],
      description:
        "Open tickets no rule covers, counted per owning party: both parties' admins see the counts.",
      resolve: (m) => m.unrouted,
    }),
  }),
});

const RoutingPreviewRef = builder.objectRef<RoutePreview>('RoutingPreview').implement({
  description: 'Which rule would own a ticket, and why.',
  fields: (t) => ({
    rule: t.field({
      type: RoutingRuleRef,
      nullable: true,
      description: 'Null: UNROUTED.',
      resolve: (p) => p.rule,
    }),
    responsibleParty: t.field({
      type: PartyRef,
      nullable: true,
      resolve: async (p, _a, ctx) => (p.rule ? ctx.loaders.party.load(p.rule.responsiblePartyId) : null),
    }),
    explanation: t.exposeString('explanation'),
    candidates: t.field({
      type: [RoutingRuleRef],
      description: 'Every matching rule, the winner first.',
      resolve: (p) => p.candidates,
    }),
  }),
});

const RoutingPreviewInput = builder.inputType('RoutingPreviewInput', {
  description: 'A ticket (its current area, category and priority), or the fields of one not yet written.',
  fields: (t) => ({
    ticketId: t.id({ required: false }),
    engagement: t.string({
      required: false,
      description: 'Engagement slug; needed when you take part in several.',
    }),
    serviceArea: t.string({ required: false }),
    category: t.string({ required: false }),
    priority: t.field({ type: TicketPriorityEnum, required: false, description: 'Defaults to MEDIUM.' }),
    at: t.field({
      type: 'DateTime',
      required: false,
      description: 'When; defaults to now. Try a date after a phase change.',
    }),
  }),
});

async function matrixOf(
  engagement: EngagementRow,
  ctx: Parameters<typeof engagementArg>[0],
  at: Date,
): Promise<MatrixPayload> {
  const [matrix, unrouted] = await Promise.all([
    loadMatrix(ctx.db, engagement, at),
    countUnrouted(ctx.db, engagement.id),
  ]);
  return { engagement, unrouted, ...matrix };
}

builder.queryFields((t) => ({
  serviceAreas: t.field({
    type: [ServiceAreaRef],
    description: "An engagement's service catalogue.",
    args: {
      engagement: t.arg.string({
        required: false,
        description: 'Slug; needed when you take part in several.',
      }),
    },
    resolve: async (_root, args, ctx) =>
      listServiceAreas(ctx.db, (await engagementArg(ctx, args.engagement)).id),
  }),
  responsibilityMatrix: t.field({
    type: MatrixRef,
    description: 'Who is responsible for each service area now, and what changes next.',
    args: {
      engagement: t.arg.string({
        required: false,
        description: 'Slug; needed when you take part in several.',
      }),
      at: t.arg({ type: 'DateTime', required: false, description: 'Defaults to now.' }),
    },
    resolve: async (_root, args, ctx) =>
      matrixOf(await engagementArg(ctx, args.engagement), ctx, args.at ?? new Date()),
  }),
  routingPreview: t.field({
    type: RoutingPreviewRef,
    description: 'Which matrix rule would own this ticket, and why (nothing is changed).',
    args: { input: t.arg({ type: RoutingPreviewInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const at = input.at ?? new Date();
      if (input.ticketId) {
        const id = parseId(String(input.ticketId), 'Ticket', 'input.ticketId');
        const ticket = await ctx.loaders.ticket.load(id);
        if (!ticket || !canSee(ctx.viewer, ticket)) {
          throw new AppError(
            'NOT_FOUND',
            `Ticket ${input.ticketId} does not exist or is not visible to your party.`,
          );
        }
        return previewRoute(ctx.db, ticket, at);
      }
      if (!input.serviceArea)
        throw badInput('input.serviceArea', 'give a ticketId, or a serviceArea to preview');
      const engagement = await engagementArg(ctx, input.engagement, 'input.engagement');
      return previewRoute(
        ctx.db,
        {
          engagementId: engagement.id,
          serviceArea: input.serviceArea,
          category: input.category ?? null,
          priority: input.priority ?? 'MEDIUM',
        },
        at,
      );
    },
  }),
}));
