import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../auth/tokens.ts';
import type { Context } from '../context.ts';
import type { TicketRow } from '../db/schema/index.ts';
import { parties, people } from '../db/schema/index.ts';
import type { TicketChangeSet } from '../domain/changes.ts';
import { isOpenStatus } from '../domain/changes.ts';
import { isPartyOf, loadEngagements, pickEngagement } from '../domain/engagements.ts';
import { partyVisibleIn, personVisibleIn } from '../domain/people-visibility.ts';
import { checkServiceArea } from '../domain/routing/admin.ts';
import { changeTicket, createTicket } from '../domain/ticket-store.ts';
import { AppError, badInput } from '../errors.ts';
import { actorOf } from './actor.ts';
import { builder } from './builder.ts';
import { TicketPriorityEnum, TicketStatusEnum } from './enums.ts';
import { parseId } from './global-id.ts';
import { RoutingReasonEnum } from './routing-types.ts';
import { TicketRef } from './ticket.ts';

const title = z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters');
const description = z.string().max(65_536, 'at most 65536 characters');
const serviceArea = z.string().trim().max(100, 'at most 100 characters');

export const TicketPayload = builder.objectRef<{ ticket: TicketRow }>('TicketPayload').implement({
  fields: (t) => ({ ticket: t.field({ type: TicketRef, resolve: (p) => p.ticket }) }),
});

/** A party the viewer may see; another customer's party reads exactly like an unknown slug. */
async function partyBySlug(ctx: Context, slug: string, field: string) {
  const [row] = await ctx.db
    .select()
    .from(parties)
    .where(and(eq(parties.slug, slug), partyVisibleIn(ctx.viewer)));
  if (!row) throw badInput(field, `no party with slug "${slug}" (see the \`parties\` query)`);
  return row;
}

/** A person the viewer may see (of a party that is a side of one of its engagements), or BAD_USER_INPUT. */
async function personById(ctx: Context, globalId: string, field: string) {
  const id = parseId(globalId, 'Person', field);
  const [row] = await ctx.db
    .select()
    .from(people)
    .where(and(eq(people.id, id), personVisibleIn(ctx.viewer)));
  if (!row) throw badInput(field, 'no such person');
  return row;
}

function requireOwner(viewer: Viewer, ticket: TicketRow, what: string): void {
  if (ticket.ownerPartyId !== viewer.partyId) {
    throw new AppError('FORBIDDEN', `Only the owning party can change ${what}.`);
  }
}

const CreateTicketInput = builder.inputType('CreateTicketInput', {
  fields: (t) => ({
    title: t.string({ required: true, validate: title }),
    description: t.string({ required: false, validate: description }),
    priority: t.field({ type: TicketPriorityEnum, required: false, description: 'Defaults to MEDIUM.' }),
    status: t.field({ type: TicketStatusEnum, required: false, description: 'Defaults to NEW.' }),
    serviceArea: t.string({ required: false, validate: serviceArea }),
    confidential: t.boolean({ required: false }),
    ownerParty: t.string({
      required: false,
      description: 'Party slug; defaults to yours. Another party means a hand-off.',
    }),
    assigneeId: t.id({ required: false }),
    requesterId: t.id({ required: false }),
    engagement: t.string({
      required: false,
      description: 'Engagement slug; defaults to your only one (an MSP token with several must name one).',
    }),
  }),
});

const UpdateTicketInput = builder.inputType('UpdateTicketInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({
      required: true,
      description: 'The version you read; a stale one is a VERSION_CONFLICT.',
    }),
    title: t.string({ required: false, validate: title }),
    description: t.string({ required: false, validate: description }),
    status: t.field({ type: TicketStatusEnum, required: false }),
    priority: t.field({ type: TicketPriorityEnum, required: false }),
    serviceArea: t.string({ required: false, validate: serviceArea }),
    confidential: t.boolean({ required: false }),
    shared: t.boolean({ required: false }),
  }),
});

const AssignTicketInput = builder.inputType('AssignTicketInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: false }),
    assigneeId: t.id({ required: false, description: 'A Person of the (new) owner party; null unassigns.' }),
    ownerParty: t.string({ required: false, description: 'Hand the ticket to this party (slug).' }),
    reason: t.field({
      type: RoutingReasonEnum,
      required: false,
      description:
        'Why a hand-off happens: MANUAL (default) or ESCALATION. The matrix never overrides either.',
    }),
  }),
});

const TransitionInput = builder.inputType('TransitionTicketInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  createTicket: t.field({
    type: TicketPayload,
    authScopes: { agent: true },
    args: { input: t.arg({ type: CreateTicketInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const engagement = await pickEngagement(
        ctx.db,
        ctx.viewer.engagementIds,
        { slug: input.engagement ?? null },
        'input.engagement',
      );
      const owner = input.ownerParty ? await partyBySlug(ctx, input.ownerParty, 'input.ownerParty') : null;
      const ownerPartyId = owner?.id ?? ctx.viewer.partyId;
      if (!isPartyOf(engagement, ownerPartyId)) {
        throw badInput('input.ownerParty', `party is not a side of engagement "${engagement.slug}"`);
      }
      if (input.confidential && ownerPartyId !== ctx.viewer.partyId) {
        throw badInput('input.confidential', 'a confidential ticket cannot be handed to another party');
      }
      const assignee = input.assigneeId
        ? await personById(ctx, String(input.assigneeId), 'input.assigneeId')
        : null;
      if (assignee && assignee.partyId !== ownerPartyId) {
        throw badInput('input.assigneeId', 'the assignee must belong to the owner party');
      }
      const requester = input.requesterId
        ? await personById(ctx, String(input.requesterId), 'input.requesterId')
        : null;
      await checkServiceArea(ctx.db, engagement.id, input.serviceArea, 'input.serviceArea');
      const { ticket } = await createTicket(
        ctx.db,
        actorOf(ctx.viewer),
        {
          engagementId: engagement.id,
          title: input.title,
          description: input.description ?? null,
          priority: input.priority ?? 'MEDIUM',
          status: input.status ?? 'NEW',
          serviceArea: input.serviceArea ?? null,
          confidential: input.confidential ?? false,
          ownerPartyId,
          // Naming another owner at creation is a hand-off by a person: the matrix keeps it.
          routingReason: owner && owner.id !== ctx.viewer.partyId ? 'MANUAL' : null,
          assigneeId: assignee?.id ?? null,
          requesterId: requester?.id ?? null,
        },
        ctx.hooks,
      );
      return { ticket };
    },
  }),

  updateTicket: t.field({
    type: TicketPayload,
    authScopes: { agent: true },
    args: { input: t.arg({ type: UpdateTicketInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseId(String(input.id), 'Ticket', 'input.id');
      const seen = input.serviceArea ? await ctx.loaders.ticket.load(id) : null;
      if (seen) await checkServiceArea(ctx.db, seen.engagementId, input.serviceArea, 'input.serviceArea');
      const { ticket } = await changeTicket(
        ctx.db,
        actorOf(ctx.viewer),
        id,
        {
          expectedVersion: input.expectedVersion,
          compute: (current) => {
            const next: TicketChangeSet = {};
            if (input.title != null) next.title = input.title;
            if (input.description !== undefined) next.description = input.description;
            if (input.status != null) next.status = input.status;
            if (input.priority != null) next.priority = input.priority;
            if (input.serviceArea !== undefined) next.serviceArea = input.serviceArea;
            if (input.confidential != null && input.confidential !== current.confidential) {
              requireOwner(ctx.viewer, current, 'confidential');
              if (input.confidential && (input.shared ?? current.shared)) {
                throw badInput(
                  'input.confidential',
                  'a shared ticket cannot be made confidential; the other party already has it',
                );
              }
              next.confidential = input.confidential;
            }
            if (input.shared != null && input.shared !== current.shared) {
              requireOwner(ctx.viewer, current, 'shared');
              if (input.shared && (next.confidential ?? current.confidential)) {
                throw badInput('input.shared', 'a confidential ticket cannot be shared');
              }
              next.shared = input.shared;
            }
            return next;
          },
        },
        ctx.hooks,
      );
      return { ticket };
    },
  }),

  assignTicket: t.field({
    type: TicketPayload,
    description: 'Give the ticket to a person and/or hand it to another party (a REASSIGNED event).',
    authScopes: { agent: true },
    args: { input: t.arg({ type: AssignTicketInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseId(String(input.id), 'Ticket', 'input.id');
      if (input.assigneeId === undefined && !input.ownerParty) {
        throw badInput('input', 'give assigneeId (null to unassign), ownerParty, or both');
      }
      const owner = input.ownerParty ? await partyBySlug(ctx, input.ownerParty, 'input.ownerParty') : null;
      const person = input.assigneeId
        ? await personById(ctx, String(input.assigneeId), 'input.assigneeId')
        : null;
      if (input.reason === 'ROUTING_RULE') {
        throw badInput(
          'input.reason',
          'only the matrix routes by rule; use rerouteTicket to hand the ticket back to it',
        );
      }
      const mine = await loadEngagements(ctx.db, ctx.viewer.engagementIds);
      const { ticket } = await changeTicket(
        ctx.db,
        { ...actorOf(ctx.viewer), routingReason: input.reason ?? 'MANUAL' },
        id,
        {
          expectedVersion: input.expectedVersion,
          compute: (current) => {
            const next: TicketChangeSet = {};
            const ownerPartyId = owner?.id ?? current.ownerPartyId;
            const engagement = mine.find((e) => e.id === current.engagementId);
            if (
              ownerPartyId !== current.ownerPartyId &&
              !(engagement && isPartyOf(engagement, ownerPartyId))
            ) {
              throw badInput(
                'input.ownerParty',
                'a ticket can only be handed to a party of its own engagement',
              );
            }
            if (ownerPartyId !== current.ownerPartyId) {
              if (current.confidential) {
                throw badInput(
                  'input.ownerParty',
                  'a confidential ticket cannot be handed to another party; clear confidential first',
                );
              }
              next.ownerPartyId = ownerPartyId;
              next.shared = true;
              next.assigneeId = null;
            }
            if (input.assigneeId === null) next.assigneeId = null;
            if (person) {
              if (person.partyId !== ownerPartyId) {
                throw badInput(
                  'input.assigneeId',
                  'the assignee must belong to the party that owns the ticket',
                );
              }
              next.assigneeId = person.id;
            }
            return next;
          },
        },
        ctx.hooks,
      );
      return { ticket };
    },
  }),

  resolveTicket: transition(
    t,
    'RESOLVED',
    (s) => s !== 'RESOLVED' && s !== 'CLOSED',
    'it is already resolved or closed',
  ),
  closeTicket: transition(t, 'CLOSED', (s) => s !== 'CLOSED', 'it is already closed'),
  reopenTicket: transition(t, 'OPEN', (s) => !isOpenStatus(s), 'it is not resolved or closed'),
}));

type MutationFieldBuilder = Parameters<Parameters<typeof builder.mutationFields>[0]>[0];

function transition(
  t: MutationFieldBuilder,
  to: 'RESOLVED' | 'CLOSED' | 'OPEN',
  allowed: (from: TicketRow['status']) => boolean,
  why: string,
) {
  return t.field({
    type: TicketPayload,
    authScopes: { agent: true },
    args: { input: t.arg({ type: TransitionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseId(String(input.id), 'Ticket', 'input.id');
      const { ticket } = await changeTicket(
        ctx.db,
        actorOf(ctx.viewer),
        id,
        {
          expectedVersion: input.expectedVersion,
          compute: (current) => {
            if (!allowed(current.status)) {
              throw new AppError(
                'BAD_USER_INPUT',
                `Cannot move ticket to ${to}: ${why} (status ${current.status}).`,
              );
            }
            return { status: to };
          },
        },
        ctx.hooks,
      );
      return { ticket };
    },
  });
}
