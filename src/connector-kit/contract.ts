/**
 * The connector contract: the only thing the sync engine knows about a vendor.
 *
 * A connector is a pure translator between one vendor API and the canonical records in
 * `records.ts`. It never touches the database or pub/sub; the engine does. Like graphql-ws
 * asks each transport for a tiny interface, the engine asks each tool for this one.
 */
import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import type {
  CommentDraft,
  CommentRecord,
  PersonRef,
  TicketDraft,
  TicketPatch,
  TicketPriority,
  TicketRecord,
  TicketStatus,
} from './records.ts';

/** Vendor status values <-> canonical. Both directions, because the reverse is not unique. */
export interface StatusMap {
  /** Vendor value (name or id, as the connector reads it) -> canonical status. */
  toCanonical: Record<string, TicketStatus>;
  /** Canonical status -> the vendor value the connector writes. */
  fromCanonical: Record<TicketStatus, string>;
}

export interface PriorityMap {
  toCanonical: Record<string, TicketPriority>;
  fromCanonical: Record<TicketPriority, string>;
}

export interface Mappings {
  status: StatusMap;
  priority: PriorityMap;
}

/** Options for the kit's axios factory (see `http.ts`). */
export interface HttpClientOptions {
  baseURL: string;
  /** Static headers, auth included. They are never logged or put in errors. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Retries for 429/503/network errors; `Retry-After` is honoured. Default 4. */
  maxRetries?: number;
  /** At most this many requests in flight for the connection. Default 4. */
  maxConcurrency?: number;
  /** At most this many requests per second for the connection. Default unlimited. */
  maxRequestsPerSecond?: number;
  /** First backoff step for retries without `Retry-After`; grows exponentially with full jitter. Default 500. */
  baseDelayMs?: number;
  /** Ceiling of one computed backoff step. Default 30 000. */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this is not slept: the call fails at once with `retryAfterSeconds`
   * set, so the engine can reschedule instead of holding a worker. Default 60.
   */
  maxRetryAfterSeconds?: number;
}

export type HttpFactory = (options: HttpClientOptions) => AxiosInstance;

export interface ConnectorLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Everything a connector call gets. Built by the engine once per connection. */
export interface ConnectorContext<C> {
  /** The connection's id in the hub; useful in log lines. */
  connectionId: string;
  /** The validated connector config, secrets resolved. */
  config: C;
  /** Default maps merged with the connection's overrides. */
  maps: Mappings;
  /**
   * Build an axios client with timeouts, retries, limits and error mapping. Equal options give
   * back the same client, so calling it in every operation still shares one limiter.
   */
  http: HttpFactory;
  log: ConnectorLogger;
  now: () => Date;
  /**
   * The customer keys (records' `scopeKey`) this connection may read and write, or null for the
   * whole tool. A scoped connector narrows its pulls server-side where the API allows and never
   * creates a ticket outside these keys. It still returns every record it does read with its
   * `scopeKey` set: the engine drops (and counts) those outside the scope, so a record from
   * another customer is never stored, linked or written to.
   */
  scopeKeys: readonly string[] | null;
}

/** One page of a pull. `cursor` is the checkpoint to resume from after this page is applied. */
export interface Page<T> {
  records: T[];
  cursor: string | null;
  /** Optional progress for long backfills: records seen so far and, if the API says, the total. */
  progress?: { fetched: number; total?: number };
}

export type CheckResult = { ok: true; detail?: string } | { ok: false; reason: string };

/** A received webhook, exactly as it came in: signatures are checked over `rawBody`. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  receivedAt: Date;
}

export type WebhookVerdict = 'valid' | 'invalid' | 'missing_headers' | 'stale';

/** What a webhook tells the engine: which record to re-fetch. Payloads are thin and untrusted. */
export interface ChangeHint {
  externalId: string;
  kind: 'ticket' | 'comment' | 'deleted';
}

export interface WebhookSupport<C> {
  /**
   * Verify the request's signature in constant time. Returns a verdict and never throws
   * (a network failure fetching a signing key is `invalid`). Replays outside the vendor's
   * window are `stale` where the vendor signs a timestamp.
   */
  verify(ctx: ConnectorContext<C>, req: WebhookRequest): Promise<WebhookVerdict>;
  /** Turn a verified body into change hints. Throws `ConnectorError('invalid_response')` on junk. */
  parse(ctx: ConnectorContext<C>, req: WebhookRequest): ChangeHint[];
  /**
   * Optional: make sure the vendor sends change notifications to `url` (the hub's
   * `/webhooks/:connectionId`). Idempotent: an existing registration for `url` is reused.
   * Resolves to `created` when it made a new registration and `existing` when one was in place
   * (other replicas use it): a start that fails removes only what it created.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: connectors that cannot tell resolve to nothing
  register?(ctx: ConnectorContext<C>, url: string): Promise<'created' | 'existing' | void>;
  /**
   * Optional, with `register`: remove the registration for `url` (none left is success). The
   * engine calls it only for a registration its own failed start created.
   */
  unregister?(ctx: ConnectorContext<C>, url: string): Promise<void>;
}

/** See `Connector.updatable`. */
export interface UpdatableFields {
  description?: boolean;
  queue?: boolean;
}

export interface Connector<C = unknown> {
  /** Stable id used in connection configs, e.g. `connectwise`. kebab-case. */
  id: string;
  displayName: string;
  version: string;
  /** The vendor's API reference. */
  docsUrl: string;
  /**
   * The connection settings. Secret fields are marked with `.describe('secret: ...')` and
   * arrive resolved from env references; they must never be logged.
   */
  configSchema: z.ZodType<C>;
  /** The vendor's default status and priority maps; a connection may override entries. */
  defaultMappings: Mappings;
  /**
   * Optional: which fields beyond title, status, priority and assignee the tool lets the API
   * change after creation. With `description: true`, `updateTicket` must write
   * `TicketPatch.description` and the record must carry the description as the tool holds it
   * (pulled pages and `getTicket` alike): the engine then mirrors it both ways as a merged
   * field. Absent or false: the description crosses only on create, the engine never sends
   * it in a patch and ignores the tool's value after creation (a tool whose description is
   * fixed, like ConnectWise's `initialDescription`, or not a ticket field, like RT's).
   * With `queue: true`, `updateTicket` moves the ticket to `TicketPatch.queue` (a board or queue
   * named in the connection's area map) and the record reads back there: the engine sends it
   * when the hub's service area changes on a connection with an area map.
   */
  updatable?: UpdatableFields;
  /**
   * A cheap authenticated call proving the config works. Never throws: bad credentials,
   * a wrong URL or an unreachable host are `{ ok: false, reason }` with a reason a person can act on.
   */
  check(ctx: ConnectorContext<C>): Promise<CheckResult>;
  /**
   * Every ticket changed at or after `cursor` (inclusive, with the connector's overlap window
   * applied), oldest first, page by page; `null` means a full backfill. Records may repeat
   * across pulls: the engine's merge is idempotent. Each page's `cursor` must be safe to
   * resume from if the process dies after that page is applied.
   * Throws `ConnectorError` when the vendor fails after retries; the engine keeps the last cursor.
   */
  pullTickets(ctx: ConnectorContext<C>, cursor: string | null): AsyncIterable<Page<TicketRecord>>;
  /** The authoritative current record, or null when the vendor says it does not exist. */
  getTicket(ctx: ConnectorContext<C>, externalId: string): Promise<TicketRecord | null>;
  /**
   * Create the ticket, idempotently: first look for a vendor ticket already carrying
   * `draft.hubTicketId` as its correlation key and return it if found (linked, not duplicated);
   * otherwise create one that carries the key. The engine may call this again after a crash.
   */
  createTicket(ctx: ConnectorContext<C>, draft: TicketDraft): Promise<TicketRecord>;
  /** Apply a sparse patch and return the record as the vendor holds it afterwards. */
  updateTicket(ctx: ConnectorContext<C>, externalId: string, patch: TicketPatch): Promise<TicketRecord>;
  /** Comments on a ticket, oldest first, optionally only those created at or after `since`. */
  listComments(ctx: ConnectorContext<C>, externalId: string, since?: Date): Promise<CommentRecord[]>;
  /**
   * Optional, for backfills: the comments of many tickets in as few requests as the API allows,
   * each ticket's list oldest first (a ticket with none may be absent from the map). Called with at
   * most one pulled page of ids. Without it the engine calls `listComments` per ticket.
   */
  listCommentsBulk?(ctx: ConnectorContext<C>, externalIds: string[]): Promise<Map<string, CommentRecord[]>>;
  /**
   * Optional: the tool's user with this e-mail address (compared case-insensitively), as a
   * `PersonRef` whose `externalId` is what `TicketPatch.assigneeExternalId` takes, or null when
   * the tool has no such user. People are matched across systems by e-mail: the engine calls
   * this when it must assign a hub person the tool does not know yet, and remembers the match.
   * Without it, only identities seen in the tool and the connection's `people` map are used.
   */
  findUserByEmail?(ctx: ConnectorContext<C>, email: string): Promise<PersonRef | null>;
  /** Add a comment keeping its visibility (public reply vs internal note). */
  addComment(ctx: ConnectorContext<C>, externalId: string, comment: CommentDraft): Promise<CommentRecord>;
  /** Present when the vendor pushes changes; absent means the engine polls only. */
  webhook?: WebhookSupport<C>;
}

/** Identity helper that keeps the config type inferred. */
export function defineConnector<C>(connector: Connector<C>): Connector<C> {
  return connector;
}
