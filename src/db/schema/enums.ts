import { pgEnum } from 'drizzle-orm/pg-core';
import { COMMENT_VISIBILITIES, TICKET_PRIORITIES, TICKET_STATUSES } from '../../connector-kit/records.ts';

export const PARTY_KINDS = ['INTERNAL', 'MSP'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const ROLES = ['ADMIN', 'AGENT', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const EVENT_TYPES = [
  'CREATED',
  'UPDATED',
  'STATUS_CHANGED',
  'RESOLVED',
  'CLOSED',
  'REOPENED',
  'REASSIGNED',
  'COMMENTED',
  /** The ticket's copy in a tool was deleted there (the connection's `onRemoved` policy then applies). */
  'REMOVED_IN_TOOL',
  /** The ticket's copy in a tool was merged into another ticket there; the link follows the survivor. */
  'MERGED_IN_TOOL',
  // Commitments (#11): written by the clock worker and the write path, never by a person.
  'SLA_WARNING',
  'SLA_BREACHED',
  'SLA_MET',
  'COURT_CHANGED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const partyKindEnum = pgEnum('party_kind', PARTY_KINDS);
export const roleEnum = pgEnum('role', ROLES);
export const ticketStatusEnum = pgEnum('ticket_status', TICKET_STATUSES);
export const ticketPriorityEnum = pgEnum('ticket_priority', TICKET_PRIORITIES);
export const commentVisibilityEnum = pgEnum('comment_visibility', COMMENT_VISIBILITIES);
export const eventTypeEnum = pgEnum('event_type', EVENT_TYPES);
