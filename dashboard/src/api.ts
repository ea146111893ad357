/**
 * The dashboard's whole view of the hub: plain GraphQL over HTTP on `/graphql`, the same
 * public API any client uses. Every document the page sends is in this file.
 */

export const STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'WAITING', 'RESOLVED', 'CLOSED'] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly Status[] = ['NEW', 'OPEN', 'IN_PROGRESS', 'WAITING'];
/** The changes worth a line in the live feed: closures, reassignments and hand-offs. */
export const FEED_TYPES = [
  'CLOSED',
  'REASSIGNED',
  'RESOLVED',
  'REOPENED',
  'REMOVED_IN_TOOL',
  'MERGED_IN_TOOL',
] as const;

export interface PartyRef {
  slug: string;
  name: string;
  kind: 'INTERNAL' | 'MSP';
}

export interface Card {
  id: string;
  key: string;
  title: string;
  status: Status;
  priority: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  confidential: boolean;
  shared: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
  ownerParty: PartyRef;
  assignee: { name: string } | null;
}

export interface HubEvent {
  id: string;
  type: string;
  side: 'INTERNAL' | 'MSP' | null;
  actorName: string | null;
  source: string | null;
  createdAt: string;
  changes: { field: string; from: string | null; to: string | null }[];
  ticket: Card;
}

export interface ViewerInfo {
  role: 'ADMIN' | 'AGENT' | 'VIEWER';
  tokenName: string;
  party: PartyRef;
}

export interface Connection {
  id: string;
  name: string;
  connector: string;
  paused: boolean;
  party: PartyRef;
  health: {
    lastSuccessAt: string | null;
    lagSeconds: number | null;
    pendingDeliveries: number;
    parkedDeliveries: number;
    lastError: string | null;
    lastErrorAt: string | null;
  };
}

interface Page<T> {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

// Selections are spliced in as text, not fragments: the hub's cost limit (graphql-armor) charges
// a fragment spread more than the same fields inline. Page sizes keep each document under the
// default MAX_QUERY_COST of 5000; test/dashboard-api.test.ts checks that against the schema.
const CARD = `id key title status priority confidential shared createdAt updatedAt version
  ownerParty { slug name kind } assignee { name }`;
const EVENT = `id type side actorName source createdAt changes { field from to } ticket { ${CARD} }`;
const NOT_CLOSED = '[NEW, OPEN, IN_PROGRESS, WAITING, RESOLVED]';

/** Every document the dashboard sends. */
export const DOCUMENTS = {
  viewer: 'query Viewer { viewer { role tokenName party { slug name kind } } }',
  latest: 'query Latest { recentEvents(first: 1) { edges { node { id } } } }',
  open: `query Open($after: String) { tickets(first: 50, after: $after, filter: { status: ${NOT_CLOSED} }) {
    pageInfo { hasNextPage endCursor } edges { node { ${CARD} } } } }`,
  closed: `query Closed { tickets(first: 20, filter: { status: [CLOSED] }) { totalCount edges { node { ${CARD} } } } }`,
  feed: `query Feed { recentEvents(first: 30, types: [${FEED_TYPES.join(', ')}]) { edges { node { ${EVENT} } } } }`,
  catchUp: `query CatchUp($since: String, $after: String) { recentEvents(first: 25, sinceId: $since, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { ${EVENT} } } } }`,
  connections: `query Connections { syncConnections { id name connector paused party { slug name kind }
    health { lastSuccessAt lagSeconds pendingDeliveries parkedDeliveries lastError lastErrorAt } } }`,
  replay: 'mutation Replay($id: String!) { replayParkedDeliveries(id: $id) { replayed } }',
  ticketEvents: `subscription TicketEvents { ticketEvents { ${EVENT} } }`,
  ticketRemoved: 'subscription TicketRemoved { ticketRemovedFromView { ticketId eventId } }',
};

/** A GraphQL error the page shows; `status` 401 means the token is no good. */
export class HubError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function createApi(token: string, endpoint = '/graphql') {
  async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const first = body.errors?.[0];
    if (first || !body.data) {
      throw new HubError(first?.message ?? `HTTP ${res.status}`, res.status, first?.extensions?.code);
    }
    return body.data;
  }

  /** Follows `after` cursors until the end or `maxPages`. */
  async function pages<T>(query: string, variables: Record<string, unknown>, maxPages: number): Promise<T[]> {
    const out: T[] = [];
    let after: string | null = null;
    for (let i = 0; i < maxPages; i++) {
      const data: Record<string, Page<T>> = await gql(query, { ...variables, after });
      const page = Object.values(data)[0]!;
      out.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return out;
  }

  return {
    viewer: async () => (await gql<{ viewer: ViewerInfo }>(DOCUMENTS.viewer)).viewer,

    /** Every ticket not closed (up to 500), the latest closed ones, and the newest event id. */
    async board(): Promise<{ cards: Card[]; closedTotal: number; latestEventId: string | null }> {
      // The newest event id is read first: whatever commits after it is caught up from it.
      const latest = await gql<{ recentEvents: Page<{ id: string }> }>(DOCUMENTS.latest);
      const [open, closed] = await Promise.all([
        pages<Card>(DOCUMENTS.open, {}, 10),
        gql<{ tickets: Page<Card> }>(DOCUMENTS.closed),
      ]);
      return {
        cards: [...open, ...closed.tickets.edges.map((e) => e.node)],
        closedTotal: closed.tickets.totalCount ?? 0,
        latestEventId: latest.recentEvents.edges[0]?.node.id ?? null,
      };
    },

    /** The newest feed-worthy events, newest first. */
    feed: async () =>
      (await gql<{ recentEvents: Page<HubEvent> }>(DOCUMENTS.feed)).recentEvents.edges.map((e) => e.node),

    /** Every event after `sinceId` (up to 500), oldest first: the catch-up after a lost socket. */
    eventsSince: async (sinceId: string) =>
      (await pages<HubEvent>(DOCUMENTS.catchUp, { since: sinceId }, 20)).reverse(),

    connections: async () =>
      (await gql<{ syncConnections: Connection[] }>(DOCUMENTS.connections)).syncConnections,

    replay: async (id: string) =>
      (await gql<{ replayParkedDeliveries: { replayed: number } }>(DOCUMENTS.replay, { id }))
        .replayParkedDeliveries.replayed,
  };
}

export type Api = ReturnType<typeof createApi>;
