/**
 * Zod schemas of the Freshservice API v2 payloads the connector reads. Only the fields the hub
 * uses are declared; objects are loose so new vendor fields never break parsing.
 * Reference: https://api.freshservice.com/v2/#tickets
 */
import { z } from 'zod';

export const FsTicket = z.looseObject({
  id: z.number(),
  subject: z.string().nullish(),
  description: z.string().nullish(),
  description_text: z.string().nullish(),
  status: z.number(),
  priority: z.number().nullish(),
  requester_id: z.number().nullish(),
  responder_id: z.number().nullish(),
  group_id: z.number().nullish(),
  /** The department, which Freshservice's MSP mode calls the company: the customer. */
  department_id: z.number().nullish(),
  category: z.string().nullish(),
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  /** With `include=requester`. */
  requester: z
    .looseObject({ id: z.number().optional(), name: z.string().nullish(), email: z.string().nullish() })
    .nullish(),
});
export type FsTicket = z.infer<typeof FsTicket>;

export const FsTicketEnvelope = z.looseObject({ ticket: FsTicket });
export const FsTicketList = z.looseObject({ tickets: z.array(FsTicket) });
/** `GET /api/v2/tickets/filter` also answers `total`. */
export const FsFilterResult = z.looseObject({ tickets: z.array(FsTicket), total: z.number().optional() });

export const FsAgent = z.looseObject({
  id: z.number(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
  active: z.boolean().optional(),
});
export type FsAgent = z.infer<typeof FsAgent>;
export const FsAgentList = z.looseObject({ agents: z.array(FsAgent) });

/** A reply or a note (`/conversations`); `private` notes never reach the requester. */
export const FsConversation = z.looseObject({
  id: z.number(),
  user_id: z.number().nullish(),
  body: z.string().nullish(),
  body_text: z.string().nullish(),
  private: z.boolean(),
  incoming: z.boolean().optional(),
  created_at: z.string(),
});
export type FsConversation = z.infer<typeof FsConversation>;
export const FsConversationList = z.looseObject({ conversations: z.array(FsConversation) });
export const FsConversationEnvelope = z.looseObject({ conversation: FsConversation });

/** The body the README tells admins to give the Workflow Automator's webhook action. */
export const FsWebhookBody = z.looseObject({
  ticket_id: z.union([z.string(), z.number()]),
  event: z.string().optional(),
});
