import { asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import type { RoutingRuleRow, TicketRow } from '../../db/schema/index.ts';
import { engagementRouting, routingRules } from '../../db/schema/index.ts';
import type { TicketChangeSet } from '../changes.ts';
import { type Actor, changeTicket, type WriteHooks, type WriteNotice } from '../ticket-store.ts';
import { type BusinessHours, DEFAULT_BUSINESS_HOURS, toRoutingMoment } from './moment.ts';
import { decideRoute, type RoutingReason, type RoutingRule } from './rules.ts';

/** The name routing writes under in history: a system actor, never a person's token. */
export const ROUTING_ACTOR_NAME = 'routing';

export function toRoutingRule(row: RoutingRuleRow): RoutingRule {
  return {
    id: row.id,
    serviceArea: row.serviceArea,
    category: row.category,
    priorities: row.priorities ?? null,
    businessHours: row.businessHours ?? null,
    responsiblePartyId: row.responsiblePartyId,
    accountablePartyId: row.accountablePartyId,
    consultedPartyIds: row.consultedPartyIds,
    informedPartyIds: row.informedPartyIds,
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo,
    precedence: row.precedence,
  };
}

export async function loadRuleRows(db: DbOrTx, engagementId: string): Promise<RoutingRuleRow[]> {
  return db
    .select()
    .from(routingRules)
    .where(eq(routingRules.engagementId, engagementId))
    .orderBy(asc(routingRules.serviceArea), asc(routingRules.precedence), asc(routingRules.createdAt));
}

export async function loadBusinessHours(db: DbOrTx, engagementId: string): Promise<BusinessHours> {
  const [row] = await db
    .select()
    .from(engagementRouting)
    .where(eq(engagementRouting.engagementId, engagementId));
  return row?.businessHours ?? DEFAULT_BUSINESS_HOURS;
}

/** What `routingPreview` answers: the winning rule (as stored), every matching one, and why. */
export interface RoutePreview {
  rule: RoutingRuleRow | null;
  candidates: RoutingRuleRow[];
  explanation: string;
}

/** Which rule would own this ticket at this instant, and why: `routingPreview` and routing itself. */
export async function previewRoute(
  db: DbOrTx,
  ticket: Pick<TicketRow, 'engagementId' | 'serviceArea' | 'category' | 'priority'>,
  at: Date,
): Promise<RoutePreview> {
  const rows = await loadRuleRows(db, ticket.engagementId);
  const moment = toRoutingMoment(at, await loadBusinessHours(db, ticket.engagementId));
  const decision = decideRoute(rows.map(toRoutingRule), ticket, moment);
  const row = (rule: RoutingRule) => rows.find((r) => r.id === rule.id)!;
  return {
    rule: decision.rule ? row(decision.rule) : null,
    candidates: decision.candidates.map(row),
    explanation: decision.explanation,
  };
}

/**
 * Routing's marks on a change a person (or a tool) makes: a hand-off that is not the matrix's
 * own is MANUAL (or ESCALATION when the caller says so), and from then on the matrix leaves the
 * owner alone. Called by the write path on every change, so no door forgets it.
 */
export function routingMarks(current: TicketRow, next: TicketChangeSet, actor: Actor): TicketChangeSet {
  if (next.ownerPartyId === undefined || next.ownerPartyId === current.ownerPartyId) return {};
  return {
    routingReason: actor.routingReason ?? 'MANUAL',
    routingRuleId: actor.routingRuleId ?? null,
    unrouted: false,
  };
}

/** Whether a committed write asks for routing: a new ticket, or one whose area or category moved. */
function wantsRouting(notice: WriteNotice): boolean {
  if (notice.actor.name === ROUTING_ACTOR_NAME && notice.actor.source === 'ROUTING') return false;
  return notice.events.some(
    (e) => e.type === 'CREATED' || e.changes.some((c) => c.field === 'serviceArea' || c.field === 'category'),
  );
}

/**
 * Applies the matrix after a write, in its transaction: the matching rule's responsible party
 * becomes the owner through `changeTicket` (so the hand-off, the outbox and the events are the
 * ordinary ones), as the system actor on the current owner's side. A ticket a person handed off
 * (MANUAL, ESCALATION) keeps its owner; a confidential one never leaves its party; a ticket no
 * rule covers is flagged UNROUTED.
 */
export async function routeAfterWrite(tx: Tx, notice: WriteNotice, hooks: WriteHooks): Promise<TicketRow> {
  if (!wantsRouting(notice)) return notice.ticket;
  // A new ticket is routed by the matrix of the day it was opened (a tool's ticket by the tool's
  // creation time); a moved one by today's.
  const created = notice.events.some((e) => e.type === 'CREATED');
  return routeTicket(tx, notice.ticket, hooks, created ? notice.ticket.createdAt : new Date(), false);
}

/** Routes a ticket by the matrix now; `force` also overrides a manual hand-off (the `rerouteTicket` mutation). */
export async function routeTicket(
  db: DbOrTx,
  ticket: TicketRow,
  hooks: WriteHooks,
  at: Date,
  force: boolean,
): Promise<TicketRow> {
  if (!force && ticket.routingReason !== null && ticket.routingReason !== 'ROUTING_RULE') return ticket;
  const rules = (await loadRuleRows(db, ticket.engagementId)).map(toRoutingRule);
  // An engagement without a matrix is not routed at all: zero configuration keeps working.
  if (rules.length === 0) return ticket;
  const moment = toRoutingMoment(at, await loadBusinessHours(db, ticket.engagementId));
  const { rule } = decideRoute(rules, ticket, moment);
  const actor: Actor & { routingReason: RoutingReason } = {
    partyId: ticket.ownerPartyId,
    engagementIds: [ticket.engagementId],
    name: ROUTING_ACTOR_NAME,
    source: 'ROUTING',
    routingReason: 'ROUTING_RULE',
    routingRuleId: rule?.id ?? null,
  };
  const { ticket: routed } = await changeTicket(
    db,
    actor,
    ticket.id,
    {
      compute: (current) => {
        if (!rule) return { unrouted: true, routingRuleId: null, routingReason: null };
        const next: TicketChangeSet = {
          unrouted: false,
          routingRuleId: rule.id,
          routingReason: 'ROUTING_RULE',
        };
        if (rule.responsiblePartyId !== current.ownerPartyId && !current.confidential) {
          next.ownerPartyId = rule.responsiblePartyId;
          next.shared = true;
          next.assigneeId = null;
        }
        return next;
      },
    },
    hooks,
  );
  return routed;
}

/**
 * Routes the open tickets a backfill page just created, as `createTicket` would have one by one:
 * by the matrix of the day each was opened. Skipped for engagements without a matrix (one query
 * per engagement), for closed tickets (history keeps its owner) and for tickets the tool had
 * already given to the other party's person (a hand-off by a person).
 */
export async function routeCreatedBatch(
  tx: Tx,
  created: TicketRow[],
  toolPartyId: string,
  hooks: WriteHooks,
): Promise<void> {
  const byEngagement = new Map<string, TicketRow[]>();
  for (const t of created) {
    if (t.status === 'RESOLVED' || t.status === 'CLOSED' || t.ownerPartyId !== toolPartyId) continue;
    byEngagement.set(t.engagementId, [...(byEngagement.get(t.engagementId) ?? []), t]);
  }
  for (const [engagementId, list] of byEngagement) {
    if ((await loadRuleRows(tx, engagementId)).length === 0) continue;
    for (const ticket of list) await routeTicket(tx, ticket, hooks, ticket.createdAt, false);
  }
}
