import { eq } from 'drizzle-orm';
import type { Context } from '../context.ts';
import { commitmentPolicies } from '../db/schema/index.ts';
import {
  deletePolicy,
  listCalendars,
  listPolicies,
  saveCalendar,
  savePolicy,
} from '../domain/commitments/admin.ts';
import { previewPolicy } from '../domain/commitments/preview.ts';
import type { PolicyInput } from '../domain/commitments/validate.ts';
import { AppError } from '../errors.ts';
import { builder } from './builder.ts';
import {
  BusinessCalendarRef,
  ClockStartEnum,
  CommitmentKindEnum,
  CommitmentMetricEnum,
  CommitmentPolicyRef,
  WeekdayEnum,
} from './commitment-types.ts';
import { TicketPriorityEnum, TicketStatusEnum } from './enums.ts';
import { parseId } from './global-id.ts';
import { engagementArg } from './routing-engagement.ts';
import { TicketRef } from './ticket.ts';

const WorkingSpanInput = builder.inputType('WorkingSpanInput', {
  fields: (t) => ({
    day: t.field({ type: WeekdayEnum, required: true }),
    start: t.string({ required: true, description: 'HH:MM, e.g. 09:00' }),
    end: t.string({ required: true, description: 'HH:MM, e.g. 17:30 (24:00 for midnight)' }),
  }),
});

const SaveBusinessCalendarInput = builder.inputType('SaveBusinessCalendarInput', {
  description: 'Creates the calendar, or replaces the one with this key.',
  fields: (t) => ({
    engagement: t.string({ required: false, description: 'Slug; needed when you take part in several.' }),
    key: t.string({ required: true, description: 'Kebab-case, e.g. `berlin-office`.' }),
    name: t.string({ required: true }),
    timeZone: t.string({ required: true, description: 'IANA time zone, e.g. Europe/Berlin.' }),
    roundTheClock: t.boolean({ required: false, description: 'True: 24x7 (no weekly hours, no holidays).' }),
    weeklyHours: t.field({ type: [WorkingSpanInput], required: false }),
    holidays: t.stringList({ required: false, description: 'YYYY-MM-DD, in the calendar zone.' }),
  }),
});

const PriorityTargetInput = builder.inputType('PriorityTargetInput', {
  fields: (t) => ({
    priority: t.field({ type: TicketPriorityEnum, required: true }),
    minutes: t.int({ required: true, description: 'Business minutes.' }),
  }),
});

const CommitmentPolicyInput = builder.inputType('CommitmentPolicyInput', {
  description:
    'A whole policy; checked against the engagement and its other policies before anything is written.',
  fields: (t) => ({
    engagement: t.string({ required: false, description: 'Slug; needed when you take part in several.' }),
    key: t.string({ required: true, description: 'Kebab-case, e.g. `msp-response`.' }),
    name: t.string({ required: true }),
    kind: t.field({ type: CommitmentKindEnum, required: true }),
    metric: t.field({ type: CommitmentMetricEnum, required: true }),
    obligatedParty: t.string({
      required: false,
      description: "Party slug; defaults to the engagement's MSP party (SLA) or internal party (OLA).",
    }),
    serviceAreas: t.stringList({ required: false, description: 'Area keys; omit for any.' }),
    priorities: t.field({ type: [TicketPriorityEnum], required: false, description: 'Omit for any.' }),
    categories: t.stringList({ required: false, description: 'Omit for any.' }),
    targets: t.field({ type: [PriorityTargetInput], required: true }),
    calendar: t.string({ required: true, description: 'A business calendar key of the engagement.' }),
    pauseStatuses: t.field({ type: [TicketStatusEnum], required: false }),
    clockStart: t.field({ type: ClockStartEnum, required: true }),
    warningPercents: t.intList({ required: false, description: 'e.g. [50, 75, 90]' }),
  }),
});

const PreviewRowRef = builder
  .objectRef<{
    ticket: import('../db/schema/index.ts').TicketRow;
    targetMinutes: number;
    dueAt: Date;
    breached: boolean;
  }>('CommitmentPreviewTicket')
  .implement({
    fields: (t) => ({
      ticket: t.field({ type: TicketRef, resolve: (r) => r.ticket }),
      targetMinutes: t.exposeInt('targetMinutes'),
      dueAt: t.field({
        type: 'DateTime',
        description:
          'When it would fall due, counting from creation (ON_CREATE) or now (ON_HANDOFF), without pauses.',
        resolve: (r) => r.dueAt,
      }),
      breached: t.exposeBoolean('breached', { description: 'Whether it would already be past due.' }),
    }),
  });

const PreviewRef = builder
  .objectRef<{
    covered: number;
    breached: number;
    tickets: { ticket: never; targetMinutes: number; dueAt: Date; breached: boolean }[];
  }>('CommitmentPolicyPreview')
  .implement({
    description: 'What a policy would do to the open tickets you can see, before it is saved.',
    fields: (t) => ({
      covered: t.exposeInt('covered', { description: 'Open tickets it would cover.' }),
      breached: t.exposeInt('breached', { description: 'Of those, how many would already be past due.' }),
      tickets: t.field({
        type: [PreviewRowRef],
        description: 'The first 50, soonest due first.',
        resolve: (p) => p.tickets,
      }),
    }),
  });

type PolicyArgs = Omit<PolicyInput, 'obligatedParty'> & {
  engagement?: string | null;
  obligatedParty?: string | null;
};

function toPolicyInput(input: PolicyArgs): PolicyInput {
  const { engagement: _e, ...rest } = input;
  return rest;
}

function toCalendar(input: {
  timeZone: string;
  roundTheClock?: boolean | null;
  weeklyHours?: { day: string; start: string; end: string }[] | null;
  holidays?: string[] | null;
}): unknown {
  if (input.roundTheClock) return { timeZone: input.timeZone, hours: '24x7', holidays: input.holidays ?? [] };
  const hours: Record<string, { start: string; end: string }[]> = {};
  for (const s of input.weeklyHours ?? []) {
    const day = s.day.toLowerCase();
    hours[day] = [...(hours[day] ?? []), { start: s.start, end: s.end }];
  }
  return { timeZone: input.timeZone, hours, holidays: input.holidays ?? [] };
}

async function policyEngagement(ctx: Context, globalId: string) {
  const id = parseId(globalId, 'CommitmentPolicy', 'id');
  const [row] = await ctx.db.select().from(commitmentPolicies).where(eq(commitmentPolicies.id, id));
  if (!row || !ctx.viewer.engagementIds.includes(row.engagementId))
    throw new AppError(
      'NOT_FOUND',
      `Commitment policy ${globalId} does not exist or is not visible to your token.`,
    );
  return { id, row };
}

builder.queryFields((t) => ({
  businessCalendars: t.field({
    type: [BusinessCalendarRef],
    args: { engagement: t.arg.string({ required: false }) },
    resolve: async (_r, args, ctx) => listCalendars(ctx.db, (await engagementArg(ctx, args.engagement)).id),
  }),
  commitmentPolicies: t.field({
    type: [CommitmentPolicyRef],
    description: "The engagement's SLA and OLA policies: both sides see both.",
    args: { engagement: t.arg.string({ required: false }) },
    resolve: async (_r, args, ctx) => listPolicies(ctx.db, (await engagementArg(ctx, args.engagement)).id),
  }),
  previewCommitmentPolicy: t.field({
    type: PreviewRef,
    description:
      'Checks a policy as createCommitmentPolicy would and shows which open tickets it would cover; writes nothing.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CommitmentPolicyInput, required: true }) },
    resolve: async (_r, { input }, ctx) =>
      previewPolicy(
        ctx.db,
        await engagementArg(ctx, input.engagement, 'input.engagement'),
        toPolicyInput(input as PolicyArgs),
        ctx.viewer,
        new Date(),
      ) as never,
  }),
}));

builder.mutationFields((t) => ({
  saveBusinessCalendar: t.field({
    type: BusinessCalendarRef,
    description: 'Creates or replaces a calendar; every problem is reported at once and nothing is written.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: SaveBusinessCalendarInput, required: true }) },
    resolve: async (_r, { input }, ctx) =>
      saveCalendar(ctx.db, await engagementArg(ctx, input.engagement, 'input.engagement'), {
        key: input.key,
        name: input.name,
        calendar: toCalendar(input),
      }),
  }),
  createCommitmentPolicy: t.field({
    type: CommitmentPolicyRef,
    description:
      'Adds a policy; unknown names and overlaps with a policy of the same party and metric are refused.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CommitmentPolicyInput, required: true }) },
    resolve: async (_r, { input }, ctx) =>
      savePolicy(
        ctx.db,
        await engagementArg(ctx, input.engagement, 'input.engagement'),
        toPolicyInput(input as PolicyArgs),
      ),
  }),
  updateCommitmentPolicy: t.field({
    type: CommitmentPolicyRef,
    description: 'Replaces a policy; running clocks take the new target at their next change.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: CommitmentPolicyInput, required: true }) },
    resolve: async (_r, { id, input }, ctx) => {
      const { id: localId, row } = await policyEngagement(ctx, String(id));
      const engagement = await engagementArg(ctx, input.engagement, 'input.engagement');
      if (engagement.id !== row.engagementId)
        throw new AppError('BAD_USER_INPUT', 'input.engagement: a policy cannot move to another engagement', {
          field: 'input.engagement',
        });
      return savePolicy(ctx.db, engagement, toPolicyInput(input as PolicyArgs), localId);
    },
  }),
  deleteCommitmentPolicy: t.field({
    type: 'Boolean',
    description: 'Removes a policy and its clocks; their history events stay.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const { id, row } = await policyEngagement(ctx, String(args.id));
      return deletePolicy(ctx.db, row.engagementId, id);
    },
  }),
}));
