/**
 * Canonical records: the shapes every connector translates to and from.
 *
 * They are deliberately small. A connector maps its vendor's ticket to a `TicketRecord`
 * (what the vendor says now) and the engine merges that into the hub's ticket. Zod checks
 * them at the boundary, so a connector bug surfaces as a clear `invalid_response` rather
 * than as a bad row in the database.
 */
import { z } from 'zod';

/** The hub's ticket lifecycle. Vendors map onto it through each connection's status map. */
export const TICKET_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'WAITING', 'RESOLVED', 'CLOSED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TicketStatusSchema = z.enum(TICKET_STATUSES);

export const TICKET_PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TicketPrioritySchema = z.enum(TICKET_PRIORITIES);

/** PUBLIC crosses to the other party; INTERNAL never leaves the party that wrote it. */
export const COMMENT_VISIBILITIES = ['PUBLIC', 'INTERNAL'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];
export const CommentVisibilitySchema = z.enum(COMMENT_VISIBILITIES);

/** A person as a vendor knows them. Email is how people are matched across systems. */
export const PersonRefSchema = z.object({
  externalId: z.string().min(1),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});
export type PersonRef = z.infer<typeof PersonRefSchema>;

/**
 * A ticket as the vendor holds it right now, already mapped to canonical values.
 * `updatedAt` is the vendor's own last-change time: it drives cursors and the merge.
 */
export const TicketRecordSchema = z.object({
  externalId: z.string().min(1),
  externalUrl: z.string().nullable().optional(),
  title: z.string(),
  description: z.string().nullable().optional(),
  status: TicketStatusSchema,
  /** The vendor's own status value, kept for display and for the reverse map. */
  rawStatus: z.string().nullable().optional(),
  priority: TicketPrioritySchema,
  assignee: PersonRefSchema.nullable().optional(),
  requester: PersonRefSchema.nullable().optional(),
  /** Board, queue or group name: where the ticket sits in the vendor's tool. */
  queue: z.string().nullable().optional(),
  /**
   * The ticket's type or category in the tool (ConnectWise type, Autotask issue type, Jira request
   * type, ServiceNow category...). With `queue` it is what a connection's area map reads.
   */
  category: z.string().nullable().optional(),
  /**
   * The tool's customer key: the company, client, organisation, project or queue that says which
   * engagement the ticket belongs to, always a string (numeric ids stringified): ConnectWise
   * company identifier, Autotask companyID, HaloPSA client id, Jira SM project key, ServiceNow
   * company sys_id, Freshservice department id, Zendesk organization id, Request Tracker queue
   * name (connectors/README.md, "Customers and scope"). The engine compares it with the
   * connection's scope; a record whose key is in no scope is never stored. Null when the tool has
   * no such field on this record.
   */
  scopeKey: z.string().nullable().optional(),
  /** The hub's ticket id when the vendor record carries it (externalXRef, correlation_id...). */
  correlationId: z.string().nullable().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TicketRecord = z.infer<typeof TicketRecordSchema>;

export const CommentRecordSchema = z.object({
  externalId: z.string().min(1),
  body: z.string(),
  visibility: CommentVisibilitySchema,
  author: PersonRefSchema.nullable().optional(),
  createdAt: z.date(),
  /**
   * True when the comment carries the hub's origin marker, i.e. the hub wrote it.
   * The engine ignores such comments on the way in, which is how comment echoes stop.
   */
  fromHub: z.boolean().default(false),
});
export type CommentRecord = z.infer<typeof CommentRecordSchema>;

/** What the hub asks a connector to create. `hubTicketId` is the correlation key. */
export interface TicketDraft {
  hubTicketId: string;
  title: string;
  description: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  /** The assignee as this connection knows them (already resolved by the engine), or null. */
  assigneeExternalId: string | null;
  requesterEmail: string | null;
  /**
   * The customer to create the ticket under (see `TicketRecord.scopeKey`); one of the context's
   * `scopeKeys` when the connection is scoped. Absent or null: the connection's default.
   */
  scopeKey?: string | null;
  /** The board or queue to create the ticket in, from the connection's area map; absent: the default. */
  queue?: string | null;
}

/** A sparse change: only the fields present are written. `null` clears a field. */
export interface TicketPatch {
  title?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeExternalId?: string | null;
  /**
   * The ticket's description (body text). Sent only to a connector whose `updatable.description`
   * is true; `null` clears it.
   */
  description?: string | null;
  /**
   * The board or queue to move the ticket to (a name from the connection's area map). Sent only
   * to a connector whose `updatable.queue` is true, when the hub's service area changed.
   */
  queue?: string;
}

/** A comment the hub writes. `body` already carries the origin marker (see `withOriginMarker`). */
export interface CommentDraft {
  body: string;
  visibility: CommentVisibility;
  authorName: string | null;
}

/** The text the hub appends to every comment it writes, so it can recognise them coming back. */
export const ORIGIN_MARKER = '[via co-managed hub]';

export function withOriginMarker(body: string): string {
  return `${body}\n\n${ORIGIN_MARKER}`;
}

export function hasOriginMarker(body: string): boolean {
  return body.includes(ORIGIN_MARKER);
}

export function stripOriginMarker(body: string): string {
  return body.replace(`\n\n${ORIGIN_MARKER}`, '').replace(ORIGIN_MARKER, '').trimEnd();
}
