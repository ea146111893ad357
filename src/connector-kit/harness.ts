/**
 * What the conformance suite needs from a vendor under test: a simulator (or a real server)
 * plus a few levers to change things "on the vendor's side", as a person in that tool would.
 *
 * Every connector ships one harness over its simulator; Request Tracker also ships one over
 * a real RT server. Levers a backend cannot offer are declared absent in `capabilities`,
 * and the suite then skips that case with a printed reason.
 */

import type { WebhookRequest } from './contract.ts';
import type { CommentVisibility, TicketDraft, TicketPriority, TicketStatus } from './records.ts';

export interface HarnessCapabilities {
  /** The backend's clock can be set, so many records can share one timestamp on demand. */
  controllableClock: boolean;
  /** The backend can be told to answer 429 (with Retry-After) for the next N requests. */
  rateLimitInjection: boolean;
  /** The backend sends signed webhooks (the connector has `webhook`). */
  webhooks: boolean;
  /** The vendor signs a timestamp, so a replayed webhook can be `stale`. */
  webhookReplayWindow: boolean;
}

/**
 * Customers in the backend, for the scope checks: two customer keys with tickets of their own.
 * A PSA's customers are companies or clients; a helpdesk's are the queue, group, project or
 * organisation that marks one customer's co-managed tickets (see the connector's README).
 */
export interface HarnessScope {
  /** Two customer keys, as the connector reports them in records' `scopeKey`. */
  keys: readonly [string, string];
  /** Create tickets for one customer directly in the backend (as a vendor user would). */
  seedTicketsIn(scopeKey: string, count: number, opts?: { titlePrefix?: string }): Promise<string[]>;
  /**
   * How a scoped pull is narrowed: `'server'` when the vendor API filters by customer, so a pull
   * scoped to A returns no ticket of B; otherwise the reason the API cannot, and every record must
   * then carry its own `scopeKey` (the engine drops the others).
   */
  pullFilter: 'server' | { notServerSide: string };
}

export interface ConnectorHarness<C> {
  capabilities: HarnessCapabilities;
  /** A config that points at this backend and authenticates. */
  validConfig: C;
  /** A config that passes the schema but fails authentication. */
  badCredentialsConfig: C;
  /** Values that must fail `configSchema` (missing fields, wrong types, bad URLs). */
  invalidConfigs: unknown[];
  /** Vendor person ids the suite may assign tickets to (at least two). */
  assignableExternalIds: string[];

  /** Create tickets directly in the backend (as a vendor user would); returns their external ids. */
  seedTickets(count: number, opts?: { titlePrefix?: string }): Promise<string[]>;
  /** Change a ticket's title directly in the backend, bumping its last-updated time. */
  touchTicket(externalId: string, title: string): Promise<void>;
  /** Create a ticket directly in the backend that already carries a hub correlation id. */
  seedCorrelatedTicket(hubTicketId: string, title: string): Promise<string>;
  /** How many tickets the backend holds whose correlation id is `hubTicketId`. */
  countCorrelated(hubTicketId: string): Promise<number>;
  /** Add a comment directly in the backend (as a vendor user). */
  addVendorComment(externalId: string, body: string, visibility: CommentVisibility): Promise<void>;

  /**
   * Set the backend clock (only with `controllableClock`). The clock then stays at `at` until set
   * again, so everything written meanwhile shares that timestamp. The suite only moves it forward.
   */
  setClock?(at: Date): void;
  /** Run `fn` after the backend has served the next list page (to change data mid-pull). */
  onNextPageServed?(fn: () => Promise<void> | void): void;
  /** Answer 429 with `Retry-After: retryAfterSeconds` to the next `count` requests. */
  injectRateLimit?(count: number, retryAfterSeconds: number): void;
  /** How many API requests the backend has received (to assert retries happened). */
  requestCount?(): number;
  /** A correctly signed webhook announcing a change to `externalId`, as sent at `sentAt`. */
  signedWebhook?(externalId: string, sentAt?: Date): Promise<WebhookRequest>;

  /** Secret strings in the configs (tokens, passwords): `check` reasons must never contain them. */
  secrets?: string[];
  /**
   * The page size `validConfig` makes the connector use. Keep it small (2-5) so the suite can
   * seed a few pages cheaply; the suite seeds `2 * pageSize + 1` tickets to get three pages. Default 5.
   */
  pageSize?: number;
  /** Fields the vendor needs on every created ticket (a requester, say); merged into the suite's drafts. */
  draftDefaults?: Partial<Omit<TicketDraft, 'hubTicketId'>>;
  /**
   * A board or queue, other than the one drafts are filed in, that `validConfig` reads and
   * `updateTicket({ queue })` may move a ticket to. When the connector declares
   * `updatable.queue`, the move check runs with it (and is skipped, with the reason, without it).
   */
  moveQueue?: string;
  /** An id in the vendor's format that no ticket has. Default `'999999999'`. */
  unknownExternalId?: string;

  /** Customers in the backend for the scope checks; absent: they are skipped with a printed reason. */
  scope?: HarnessScope;
  /** Canonical values whose vendor mapping must round-trip (defaults to all). */
  roundTrip?: { statuses?: TicketStatus[]; priorities?: TicketPriority[] };
  /** Stop servers and free resources. */
  close(): Promise<void>;
}

/** Builds a fresh harness; the suite calls it once per `describe` block. */
export type HarnessFactory<C> = () => Promise<ConnectorHarness<C>>;
