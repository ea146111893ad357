/**
 * Zod schemas of Request Tracker 5 REST2 payloads, as observed on Debian's 5.0.3 (see
 * `fixtures/` for captured answers). Quirks that shape these schemas:
 * - ids are strings in collections and refs (`"id": "1"`) but numbers on a single record
 *   (`GET /ticket/1` has `"id": 1`), so every id is coerced to a string;
 * - numbers such as `Priority` come as strings (`"0"`);
 * - unset dates are `"1970-01-01T00:00:00Z"`, set ones UTC ISO with `Z`, whole seconds;
 * - `total`/`pages` are null for users who cannot see every ticket, and `pages` is `0.0` when empty.
 */
import { z } from 'zod';

/** A string or numeric id, always handed on as a string. */
export const RtId = z.union([z.string(), z.number()]).transform(String);

/** A user reference; `id` is the user's Name (`Nobody` when a ticket has no owner). */
export const RtUserRef = z.object({
  id: RtId,
  type: z.literal('user').optional(),
  _url: z.string().optional(),
  Name: z.string().optional(),
  EmailAddress: z.string().nullable().optional(),
  RealName: z.string().nullable().optional(),
});
export type RtUserRef = z.infer<typeof RtUserRef>;

export const RtQueueRef = z.object({
  id: RtId,
  type: z.literal('queue').optional(),
  _url: z.string().optional(),
  Name: z.string().optional(),
});

export const RtCustomFieldValues = z.object({
  id: RtId,
  name: z.string(),
  values: z.array(z.unknown()).default([]),
});

/**
 * A ticket: a `/tickets` search item (only the requested `fields`) or a `/ticket/N` record.
 * Fields the connector always requests are still optional here, so a missing one is reported
 * by the mapping with the ticket id rather than as an opaque parse error.
 */
export const RtTicket = z.object({
  id: RtId,
  Subject: z.string().optional(),
  Status: z.string().optional(),
  Priority: z.union([z.string(), z.number()]).optional(),
  Owner: RtUserRef.optional(),
  Queue: RtQueueRef.optional(),
  Requestor: z.array(RtUserRef).optional(),
  Created: z.string().optional(),
  LastUpdated: z.string().optional(),
  CustomFields: z.array(RtCustomFieldValues).optional(),
});
export type RtTicket = z.infer<typeof RtTicket>;

/** The paged envelope of every REST2 collection. */
export function rtCollection<T extends z.ZodType>(item: T) {
  return z.object({
    page: z.number(),
    per_page: z.number(),
    count: z.number(),
    total: z.number().nullable().optional(),
    pages: z.number().nullable().optional(),
    next_page: z.string().optional(),
    prev_page: z.string().optional(),
    items: z.array(item),
  });
}
export type RtCollection<T> = {
  page: number;
  per_page: number;
  count: number;
  total?: number | null | undefined;
  pages?: number | null | undefined;
  next_page?: string | undefined;
  items: T[];
};

export const RtTicketCollection = rtCollection(RtTicket);

/** `POST /users` (a JSON search) with `fields=Name,EmailAddress,RealName`. */
export const RtUserCollection = rtCollection(RtUserRef);

/** `POST /ticket` answers 201 with a reference to the new ticket. */
export const RtCreated = z.object({ id: RtId, type: z.string(), _url: z.string() });

/** `PUT` and correspond/comment answer an array of human-readable messages, even on failure. */
export const RtMessages = z.array(z.string());

/** Error bodies: `{"message": "..."}`. */
export const RtErrorBody = z.object({ message: z.string() });

/** A transaction from `/ticket/N/history` (requested fields) or `/transaction/N`. */
export const RtTransaction = z.object({
  id: RtId,
  Type: z.string(),
  Created: z.string(),
  Creator: RtUserRef.optional(),
  Field: z.string().optional(),
  OldValue: z.string().nullable().optional(),
  NewValue: z.string().nullable().optional(),
});
export type RtTransaction = z.infer<typeof RtTransaction>;
export const RtTransactionCollection = rtCollection(RtTransaction);

/**
 * An attachment from a collection with `fields=TransactionId,ContentType,Content,Filename`.
 * In collections `Content` is the raw text and `TransactionId` a string id; the single
 * `GET /attachment/N` instead base64-encodes Content and expands TransactionId to a ref,
 * which is why the connector only reads attachments through collections.
 */
export const RtAttachment = z.object({
  id: RtId,
  TransactionId: RtId,
  ContentType: z.string(),
  Content: z.string().default(''),
  Filename: z.string().nullable().optional(),
});
export type RtAttachment = z.infer<typeof RtAttachment>;
export const RtAttachmentCollection = rtCollection(RtAttachment);

/** A queue record: `TicketCustomFields` lists the ticket custom fields applied to it. */
export const RtQueue = z.object({
  id: RtId,
  Name: z.string(),
  Lifecycle: z.string().optional(),
  Disabled: z.union([z.string(), z.number()]).optional(),
  TicketCustomFields: z.array(z.object({ id: RtId, name: z.string().optional() })).default([]),
});
export type RtQueue = z.infer<typeof RtQueue>;

/** `GET /rt`: the server's version. */
export const RtSystemInfo = z.object({ Version: z.string(), Plugins: z.array(z.unknown()).default([]) });
