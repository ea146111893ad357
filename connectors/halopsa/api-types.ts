/**
 * zod schemas of HaloPSA's raw payloads (spec: `Faults`, `Faults_List`, `Actions`, `Agent`,
 * `Status`), reduced to the fields the hub reads. Unknown fields pass through untouched, since a
 * Halo ticket has some 800 of them. Dates come as ISO text without a zone designator, in UTC.
 */
import { z } from 'zod';

/** Halo datetime text, e.g. `2024-06-01T08:00:00.123` (UTC, no `Z`). */
const HaloDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');

/** An id Halo types as int; 0 and null both mean "none" on references such as `agent_id`. */
const HaloRef = z.number().int().nullable().optional();

export const HaloTicket = z.looseObject({
  id: z.number().int().positive(),
  summary: z.string().nullable().optional(),
  details: z.string().nullable().optional(),
  status_id: z.number().int(),
  priority_id: HaloRef,
  agent_id: HaloRef,
  team: z.string().nullable().optional(),
  client_id: HaloRef,
  client_name: z.string().nullable().optional(),
  user_id: HaloRef,
  user_name: z.string().nullable().optional(),
  tickettype_id: HaloRef,
  category_1: z.string().nullable().optional(),
  dateoccurred: HaloDate.nullable().optional(),
  last_update: HaloDate,
  lastactiondate: HaloDate.nullable().optional(),
  third_party_id_string: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
});
export type HaloTicket = z.infer<typeof HaloTicket>;

/** `GET /api/Tickets?pageinate=true`: `{record_count, tickets}`. */
export const HaloTicketList = z.looseObject({
  record_count: z.number().int().min(0),
  tickets: z.array(HaloTicket),
});
export type HaloTicketList = z.infer<typeof HaloTicketList>;

/**
 * `POST /api/Tickets` answers the saved ticket; for a multi-element array the shape is
 * UNCONFIRMED, so an array is accepted too.
 */
export const HaloTicketWriteResult = z.union([HaloTicket, z.array(HaloTicket).min(1)]);

export const HaloAction = z.looseObject({
  id: z.number().int().positive(),
  ticket_id: z.number().int(),
  outcome: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  note_html: z.string().nullable().optional(),
  hiddenfromuser: z.boolean().nullable().optional(),
  private_note: z.boolean().nullable().optional(),
  who: z.string().nullable().optional(),
  who_agentid: HaloRef,
  datetime: HaloDate.nullable().optional(),
  actiondatecreated: HaloDate.nullable().optional(),
});
export type HaloAction = z.infer<typeof HaloAction>;

/** `GET /api/Actions?ticket_id=N`: `{actions}` (plus `record_count` on some versions). */
export const HaloActionList = z.looseObject({
  record_count: z.number().int().optional(),
  actions: z.array(HaloAction),
});

export const HaloActionWriteResult = z.union([HaloAction, z.array(HaloAction).min(1)]);

export const HaloAgent = z.looseObject({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  is_disabled: z.boolean().optional(),
});
export type HaloAgent = z.infer<typeof HaloAgent>;

export const HaloStatus = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  type: z.number().int().optional(),
});
export type HaloStatus = z.infer<typeof HaloStatus>;

/** The token endpoint's answer (`refresh_token`, `id_token` and `scope` are optional extras). */
export const HaloToken = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type is not Bearer'),
  expires_in: z.number().positive(),
});
export type HaloToken = z.infer<typeof HaloToken>;

/**
 * A Halo outbound webhook body. Its exact keys are UNCONFIRMED (payloads follow the notification
 * event and may be customised), so every place a ticket id plausibly sits is accepted.
 */
export const HaloWebhookPayload = z.looseObject({
  event: z.string().optional(),
  ticket_id: z.union([z.number(), z.string()]).optional(),
  ticket: z.looseObject({ id: z.union([z.number(), z.string()]) }).optional(),
  action: z
    .looseObject({ id: z.number().optional(), ticket_id: z.union([z.number(), z.string()]) })
    .optional(),
});
export type HaloWebhookPayload = z.infer<typeof HaloWebhookPayload>;
