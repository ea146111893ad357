import { COMMENT_VISIBILITIES, TICKET_PRIORITIES, TICKET_STATUSES } from '../connector-kit/records.ts';
import { EVENT_TYPES, PARTY_KINDS, ROLES } from '../db/schema/index.ts';
import { ORDER_FIELDS } from '../domain/ticket-queries.ts';
import { builder } from './builder.ts';

export const TicketStatusEnum = builder.enumType('TicketStatus', { values: TICKET_STATUSES });
export const TicketPriorityEnum = builder.enumType('TicketPriority', { values: TICKET_PRIORITIES });
export const CommentVisibilityEnum = builder.enumType('CommentVisibility', {
  values: COMMENT_VISIBILITIES,
  description:
    'PUBLIC comments are seen by every party that sees the ticket; INTERNAL ones only by the author party.',
});
export const PartyKindEnum = builder.enumType('PartyKind', { values: PARTY_KINDS });
export const RoleEnum = builder.enumType('Role', { values: ROLES });
export const TicketEventTypeEnum = builder.enumType('TicketEventType', { values: EVENT_TYPES });
export const TicketOrderFieldEnum = builder.enumType('TicketOrderField', { values: ORDER_FIELDS });
export const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
