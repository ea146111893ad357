/** The vocabulary of commitments, shared by the tables, the domain and the schema. */
import type { TicketPriority } from '../../connector-kit/records.ts';

/** SLA: the MSP's contract with the customer; OLA: the internal team's promise to the MSP. */
export const COMMITMENT_KINDS = ['SLA', 'OLA'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

/** FIRST_RESPONSE: a public comment by the obligated party; RESOLUTION: the ticket resolved. */
export const COMMITMENT_METRICS = ['FIRST_RESPONSE', 'RESOLUTION'] as const;
export type CommitmentMetric = (typeof COMMITMENT_METRICS)[number];

/** ON_CREATE: from the ticket's creation; ON_HANDOFF: only while the obligated party owns it. */
export const CLOCK_STARTS = ['ON_CREATE', 'ON_HANDOFF'] as const;
export type ClockStart = (typeof CLOCK_STARTS)[number];

/** Business minutes per priority. */
export type PriorityTargets = Partial<Record<TicketPriority, number>>;

/** Why a party holds the ball: it owns the ticket, the owner waits on it, or a decision is its. */
export const COURT_REASONS = ['OWNER', 'WAITING', 'DECISION'] as const;
export type CourtReason = (typeof COURT_REASONS)[number];
