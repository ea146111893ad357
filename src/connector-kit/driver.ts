/**
 * What the end-to-end pair matrix needs from a tool: a person working in it. Every connector
 * ships one driver over its simulator (`connectors/<id>/driver.ts`), so one parametrised test
 * can run the core co-managed scenario for every MSP tool against every internal tool.
 *
 * Drivers act *in the tool* (as a technician or agent would in its UI), never through the
 * connector under test; only `read`, `comments` and `findByCorrelation` observe.
 */
import type { CommentVisibility, TicketStatus } from './records.ts';

export interface DriverTicketState {
  title: string;
  status: TicketStatus;
  /** The assignee's email as the tool knows it, or null. */
  assigneeEmail: string | null;
  /** The description as the tool holds it; drivers of tools whose connector updates it report it. */
  description?: string | null;
}

export interface VendorDriver {
  /** The connector id in the registry, e.g. `autotask`. */
  connector: string;
  /** Connection settings for the hub's connections file, secrets left out. */
  settings: Record<string, unknown>;
  /** Secret settings by field name; the test passes them through env references. */
  secrets: Record<string, string>;
  /** Point the tool's webhooks at the hub (absent for polled tools). */
  connectWebhook?(hubWebhookUrl: string): Promise<void>;
  /** Deliver webhooks the tool still has queued (absent for polled tools). */
  flushWebhooks?(): Promise<void>;
  /** Make sure a user who can hold tickets exists in the tool; returns the tool's id for them. */
  ensureUser(user: { email: string; name: string }): Promise<string>;
  /** Open a ticket in the tool, optionally assigned to a user (by email). Returns its id. */
  createTicket(input: { title: string; description?: string; assigneeEmail?: string }): Promise<string>;
  /** Move the ticket to the tool's status for this canonical status. */
  setStatus(externalId: string, status: TicketStatus): Promise<void>;
  assign(externalId: string, email: string | null): Promise<void>;
  /** Edit the description in the tool (present when the connector declares it updatable). */
  setDescription?(externalId: string, text: string): Promise<void>;
  addComment(externalId: string, body: string, visibility: CommentVisibility): Promise<void>;
  read(externalId: string): Promise<DriverTicketState>;
  comments(externalId: string): Promise<{ body: string; visibility: CommentVisibility }[]>;
  /** Ids of tickets carrying this hub ticket id as their correlation key. */
  findByCorrelation(hubTicketId: string): Promise<string[]>;
  /** Writes (create, update, comment) the tool received through its API so far. */
  apiWriteCount(): number;
  close(): Promise<void>;
}

export type VendorDriverFactory = () => Promise<VendorDriver>;
