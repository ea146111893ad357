import { and, asc, desc, eq, gte, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from '../connector-kit/records.ts';
import type { Db } from '../db/client.ts';
import { perDatabase } from '../db/per-database.ts';
import type { TicketRow } from '../db/schema/index.ts';
import { engagements, parties, ticketLinks, tickets } from '../db/schema/index.ts';
import {
  type CommitmentFilter,
  commitmentConditions,
  hasCommitmentFilter,
} from './commitments/ticket-filters.ts';
import {
  decodeCursor as decodeListCursor,
  encodeCursor as encodeListCursor,
  isIsoTimestamp,
  UUID_PATTERN,
} from './cursors.ts';
import { type Sight, ticketInEngagements, ticketVisibleIn, ticketVisibleTo } from './visibility.ts';

export interface TicketFilter extends CommitmentFilter {
  status?: TicketStatus[] | null;
  ownerParty?: string | null;
  assigneeId?: string | null;
  unassigned?: boolean | null;
  connectionId?: string | null;
  updatedSince?: Date | null;
  search?: string | null;
  serviceArea?: string[] | null;
  unrouted?: boolean | null;
  /** Engagement slugs: only tickets of these (still within what the viewer may see). */
  engagement?: string[] | null;
}

export const ORDER_FIELDS = ['UPDATED_AT', 'CREATED_AT', 'PRIORITY', 'NUMBER'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export interface TicketOrder {
  field: OrderField;
  direction: 'ASC' | 'DESC';
}

const ORDER_COLUMNS = {
  UPDATED_AT: tickets.updatedAt,
  CREATED_AT: tickets.createdAt,
  PRIORITY: tickets.priority,
  NUMBER: tickets.number,
} as const;

type CursorValue = string | number;

/** Opaque keyset cursor: the sort value and the id of the last row seen. */
export function encodeCursor(order: TicketOrder, row: TicketRow): string {
  const raw = row[orderKey(order.field)];
  const value: CursorValue = raw instanceof Date ? raw.toISOString() : (raw as CursorValue);
  return encodeListCursor([order.field, value, row.id]);
}

/** Checks a decoded ticket cursor against the order it claims, so no crafted value reaches SQL. */
function parseTicketCursor(order: TicketOrder) {
  return (v: unknown): [CursorValue, string] | null => {
    if (!Array.isArray(v) || v.length !== 3 || v[0] !== order.field || !UUID_PATTERN.test(String(v[2])))
      return null;
    const value = v[1] as unknown;
    const fits =
      order.field === 'NUMBER'
        ? Number.isSafeInteger(value)
        : order.field === 'PRIORITY'
          ? TICKET_PRIORITIES.includes(value as TicketPriority)
          : isIsoTimestamp(value);
    return fits ? [value as CursorValue, String(v[2])] : null;
  };
}

function orderKey(field: OrderField): 'updatedAt' | 'createdAt' | 'priority' | 'number' {
  return (
    { UPDATED_AT: 'updatedAt', CREATED_AT: 'createdAt', PRIORITY: 'priority', NUMBER: 'number' } as const
  )[field];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function filterConditions(sight: Sight, filter: TicketFilter): SQL[] {
  const where: SQL[] = [ticketVisibleIn(sight)];
  if (filter.engagement?.length) {
    where.push(
      inArray(
        tickets.engagementId,
        sql`(select ${engagements.id} from ${engagements} where ${inArray(engagements.slug, filter.engagement)})`,
      ),
    );
  }
  if (filter.status?.length) where.push(inArray(tickets.status, filter.status));
  if (filter.ownerParty) {
    where.push(
      eq(
        tickets.ownerPartyId,
        sql`(select ${parties.id} from ${parties} where ${parties.slug} = ${filter.ownerParty})`,
      ),
    );
  }
  if (filter.assigneeId) where.push(eq(tickets.assigneeId, filter.assigneeId));
  if (filter.unassigned) where.push(isNull(tickets.assigneeId));
  if (filter.updatedSince) where.push(gte(tickets.updatedAt, filter.updatedSince));
  if (filter.serviceArea?.length) where.push(inArray(tickets.serviceArea, filter.serviceArea));
  if (filter.unrouted != null) where.push(eq(tickets.unrouted, filter.unrouted));
  if (filter.connectionId) {
    where.push(
      inArray(
        tickets.id,
        sql`(select ${ticketLinks.ticketId} from ${ticketLinks} where ${ticketLinks.connectionId} = ${filter.connectionId})`,
      ),
    );
  }
  const q = filter.search?.trim();
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    where.push(or(ilike(tickets.title, pattern), ilike(tickets.description, pattern))!);
  }
  where.push(...commitmentConditions(filter));
  return where;
}

export interface TicketPage {
  rows: TicketRow[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/**
 * The unfiltered first page in one of the orders, as a prepared statement: built once per
 * database handle (drizzle's SQL building is the hot path's largest CPU cost otherwise), named
 * so Postgres keeps its plan. Filters and `after` take the dynamic path below.
 */
function prepareList(db: Db, order: TicketOrder) {
  const column = ORDER_COLUMNS[order.field];
  const dir = order.direction === 'DESC' ? desc : asc;
  return db
    .select()
    .from(tickets)
    .where(
      and(ticketInEngagements(sql.placeholder('engagements')), ticketVisibleTo(sql.placeholder('viewer'))),
    )
    .orderBy(dir(column), dir(tickets.id))
    .limit(sql.placeholder('limit'))
    .prepare(`tickets_first_${order.field.toLowerCase()}_${order.direction.toLowerCase()}`);
}

/** Every order's statement, prepared once per database handle. */
const preparedLists = perDatabase(
  (db) =>
    new Map(
      ORDER_FIELDS.flatMap((field) =>
        (['ASC', 'DESC'] as const).map((direction) => [
          `${field}:${direction}`,
          prepareList(db, { field, direction }),
        ]),
      ),
    ),
);

const isUnfiltered = (filter: TicketFilter): boolean =>
  !filter.status?.length &&
  !filter.ownerParty &&
  !filter.assigneeId &&
  !filter.unassigned &&
  !filter.connectionId &&
  !filter.updatedSince &&
  !filter.serviceArea?.length &&
  filter.unrouted == null &&
  !hasCommitmentFilter(filter) &&
  !filter.search?.trim() &&
  !filter.engagement?.length;

export async function listTickets(
  db: Db,
  sight: Sight,
  args: { filter: TicketFilter; order: TicketOrder; first: number; after?: string | null },
): Promise<TicketPage> {
  const rows =
    !args.after && isUnfiltered(args.filter)
      ? await preparedLists(db)
          .get(`${args.order.field}:${args.order.direction}`)!
          .execute({
            viewer: sight.partyId,
            // A Postgres array literal: one text parameter, the same on node-postgres and PGlite.
            engagements: `{${sight.engagementIds.join(',')}}`,
            limit: args.first + 1,
          })
      : await dynamicList(db, sight, args);
  let total: Promise<number> | null = null;
  return {
    rows: rows.slice(0, args.first),
    hasNextPage: rows.length > args.first,
    totalCount: () => {
      total ??= db
        .select({ n: sql<number>`count(*)::int` })
        .from(tickets)
        .where(and(...filterConditions(sight, args.filter)))
        .then((r) => r[0]?.n ?? 0);
      return total;
    },
  };
}

function dynamicList(
  db: Db,
  sight: Sight,
  args: { filter: TicketFilter; order: TicketOrder; first: number; after?: string | null },
): Promise<TicketRow[]> {
  const { order } = args;
  const column = ORDER_COLUMNS[order.field];
  const page = filterConditions(sight, args.filter);
  if (args.after) {
    const [value, id] = decodeListCursor(args.after, parseTicketCursor(order));
    const typed =
      order.field === 'UPDATED_AT' || order.field === 'CREATED_AT'
        ? new Date(value)
        : order.field === 'PRIORITY'
          ? sql`${value}::ticket_priority`
          : value;
    page.push(
      order.direction === 'DESC'
        ? sql`(${column}, ${tickets.id}) < (${typed}, ${id})`
        : sql`(${column}, ${tickets.id}) > (${typed}, ${id})`,
    );
  }
  const dir = order.direction === 'DESC' ? desc : asc;
  return db
    .select()
    .from(tickets)
    .where(and(...page))
    .orderBy(dir(column), dir(tickets.id))
    .limit(args.first + 1);
}
