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
  serviceArea: string | null;
  engagement: { slug: string } | null;
  routing: { unrouted: boolean };
  /** Tools whose copy was deleted or merged away, e.g. `MSP ConnectWise (deleted)`. */
  goneFromTools?: string[];
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

export interface EngagementInfo {
  slug: string;
  name: string;
  keyPrefix: string;
}

export interface ViewerInfo {
  role: 'ADMIN' | 'AGENT' | 'VIEWER';
  tokenName: string;
  party: PartyRef;
  engagements: EngagementInfo[] | null;
}

export interface MatrixRule {
  id: string;
  category: string | null;
  priorities: string[] | null;
  businessHours: 'IN' | 'OUT' | null;
  responsibleParty: PartyRef;
  accountableParty: PartyRef;
  consultedParties: PartyRef[];
  informedParties: PartyRef[];
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

export interface Matrix {
  engagementSlug: string;
  today: string;
  areas: {
    serviceArea: { key: string; name: string };
    now: MatrixRule[];
    nextChangeOn: string | null;
    next: MatrixRule[];
  }[];
  gaps: { serviceArea: string; from: string | null; to: string | null; tickets: string }[];
  unrouted: { party: PartyRef; count: number }[];
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
  ownerParty { slug name kind } assignee { name } serviceArea engagement { slug } routing { unrouted } goneFromTools`;
const PARTY = 'slug name kind';
const RULE = `id category priorities businessHours effectiveFrom effectiveTo responsibleParty { ${PARTY} }
  accountableParty { ${PARTY} } consultedParties { ${PARTY} } informedParties { ${PARTY} }`;
const EVENT = `id type side actorName source createdAt changes { field from to } ticket { ${CARD} }`;
const NOT_CLOSED = '[NEW, OPEN, IN_PROGRESS, WAITING, RESOLVED]';

/** Every document the dashboard sends. */
export const DOCUMENTS = {
  viewer:
    'query Viewer { viewer { role tokenName party { slug name kind } engagements { slug name keyPrefix } } }',
  latest: 'query Latest { recentEvents(first: 1) { edges { node { id } } } }',
  open: `query Open($after: String, $engagement: [String!]) {
    tickets(first: 40, after: $after, filter: { status: ${NOT_CLOSED}, engagement: $engagement }) {
    pageInfo { hasNextPage endCursor } edges { node { ${CARD} } } } }`,
  closed: `query Closed($engagement: [String!]) { tickets(first: 20, filter: { status: [CLOSED], engagement: $engagement }) {
    totalCount edges { node { ${CARD} } } } }`,
  matrix: `query Matrix($engagement: String) { responsibilityMatrix(engagement: $engagement) { engagementSlug today
    areas { serviceArea { key name } now { ${RULE} } nextChangeOn next { ${RULE} } }
    gaps { serviceArea from to tickets } unrouted { party { ${PARTY} } count } } }`,
  feed: `query Feed { recentEvents(first: 20, types: [${FEED_TYPES.join(', ')}]) { edges { node { ${EVENT} } } } }`,
  catchUp: `query CatchUp($since: String, $after: String) { recentEvents(first: 20, sinceId: $since, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { ${EVENT} } } } }`,
  connections: `query Connections { syncConnections { id name connector paused party { slug name kind }
    health { lastSuccessAt lagSeconds pendingDeliveries parkedDeliveries lastError lastErrorAt } } }`,
  replay: 'mutation Replay($id: String!) { replayParkedDeliveries(id: $id) { replayed } }',
  ticketEvents: `subscription TicketEvents($filter: TicketEventFilter) { ticketEvents(filter: $filter) { ${EVENT} } }`,
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

/** `engagement`: the slug the MSP's switcher picked, or null for every engagement the token sees. */
export function createApi(token: string, endpoint = '/graphql', engagement: string | null = null) {
  const scope = { engagement: engagement ? [engagement] : null };
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

    /** Every ticket not closed (up to 520), the latest closed ones, and the newest event id. */
    async board(): Promise<{ cards: Card[]; closedTotal: number; latestEventId: string | null }> {
      // The newest event id is read first: whatever commits after it is caught up from it.
      const latest = await gql<{ recentEvents: Page<{ id: string }> }>(DOCUMENTS.latest);
      const [open, closed] = await Promise.all([
        pages<Card>(DOCUMENTS.open, scope, 13),
        gql<{ tickets: Page<Card> }>(DOCUMENTS.closed, scope),
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
      (await pages<HubEvent>(DOCUMENTS.catchUp, { since: sinceId }, 25)).reverse(),

    /** The engagement's responsibility matrix (the picked one, or the token's only one). */
    matrix: async () =>
      (await gql<{ responsibilityMatrix: Matrix }>(DOCUMENTS.matrix, { engagement })).responsibilityMatrix,

    connections: async () =>
      (await gql<{ syncConnections: Connection[] }>(DOCUMENTS.connections)).syncConnections,

    replay: async (id: string) =>
      (await gql<{ replayParkedDeliveries: { replayed: number } }>(DOCUMENTS.replay, { id }))
        .replayParkedDeliveries.replayed,
  };
}

export type Api = ReturnType<typeof createApi>;
