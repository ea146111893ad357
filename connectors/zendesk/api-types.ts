/**
 * Zod schemas of the Zendesk Support payloads the connector reads. Only the fields the hub uses
 * are declared; objects are loose so new vendor fields never break parsing.
 * Reference: https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
 */
import { z } from 'zod';

export const ZD_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const ZD_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

export const ZdUser = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  role: z.string().nullish(),
  active: z.boolean().optional(),
});
export type ZdUser = z.infer<typeof ZdUser>;

export const ZdTicket = z.looseObject({
  id: z.number(),
  url: z.string().optional(),
  external_id: z.string().nullish(),
  subject: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string(),
  priority: z.string().nullish(),
  requester_id: z.number().nullish(),
  assignee_id: z.number().nullish(),
  group_id: z.number().nullish(),
  /** The customer organisation: the scope key. */
  organization_id: z.number().nullish(),
  /** question | incident | problem | task: the category. */
  type: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Present in incremental exports: the time the export's order is built on. */
  generated_timestamp: z.number().optional(),
});
export type ZdTicket = z.infer<typeof ZdTicket>;

/** `GET/PUT /api/v2/tickets/{id}.json`, `POST /api/v2/tickets.json`; `users` with `include=users`. */
export const ZdTicketEnvelope = z.looseObject({
  ticket: ZdTicket,
  users: z.array(ZdUser).optional(),
  audit: z
    .looseObject({
      id: z.number(),
      created_at: z.string().optional(),
      author_id: z.number().nullish(),
      events: z.array(z.looseObject({ id: z.number(), type: z.string() })).default([]),
    })
    .optional(),
});
export type ZdTicketEnvelope = z.infer<typeof ZdTicketEnvelope>;

/** Offset-paginated lists (`GET /api/v2/tickets.json?external_id=`). */
export const ZdTicketList = z.looseObject({
  tickets: z.array(ZdTicket),
  users: z.array(ZdUser).optional(),
  next_page: z.string().nullish(),
  count: z.number().optional(),
});

/** `GET /api/v2/incremental/tickets/cursor.json`. */
export const ZdIncrementalPage = z.looseObject({
  tickets: z.array(ZdTicket),
  users: z.array(ZdUser).optional(),
  after_url: z.string().nullish(),
  after_cursor: z.string().nullish(),
  before_url: z.string().nullish(),
  before_cursor: z.string().nullish(),
  end_of_stream: z.boolean(),
});
export type ZdIncrementalPage = z.infer<typeof ZdIncrementalPage>;

export const ZdComment = z.looseObject({
  id: z.number(),
  type: z.string().optional(),
  author_id: z.number().nullish(),
  body: z.string().nullish(),
  plain_body: z.string().nullish(),
  public: z.boolean(),
  created_at: z.string(),
});
export type ZdComment = z.infer<typeof ZdComment>;

/** `GET /api/v2/tickets/{id}/comments.json` (offset pages, oldest first by default). */
export const ZdCommentList = z.looseObject({
  comments: z.array(ZdComment),
  users: z.array(ZdUser).optional(),
  next_page: z.string().nullish(),
  count: z.number().optional(),
});

/** The `Comment` event inside an update's audit. */
export const ZdCommentEvent = ZdComment.extend({ type: z.literal('Comment') });

export const ZdMe = z.looseObject({ user: ZdUser.extend({ id: z.number().nullable() }) });

/**
 * A webhook body: either a ticket event subscription (`zen:event-type:ticket.*`, `detail.id`) or
 * the JSON a trigger sends, for which the README recommends `{"ticket_id": "{{ticket.id}}"}`.
 */
export const ZdWebhookBody = z.union([
  z.looseObject({
    type: z.string().startsWith('zen:event-type:ticket.'),
    detail: z.looseObject({ id: z.union([z.string(), z.number()]) }),
  }),
  z.looseObject({ ticket_id: z.union([z.string(), z.number()]) }),
]);
