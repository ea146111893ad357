import { type Card, FEED_TYPES, type HubEvent, OPEN_STATUSES, STATUSES, type Status } from './api.ts';

const FEED_LIMIT = 40;
const FEED = new Set<string>(FEED_TYPES);

/**
 * What the page knows, fed by three sources that overlap on purpose (the board query, the
 * subscription and the catch-up query): every event is applied once, by id, and a ticket
 * never goes back to an older version.
 */
export function createStore(inScope: (card: Card) => boolean = () => true) {
  const cards = new Map<string, Card>();
  const feed: HubEvent[] = [];
  const applied = new Set<string>();
  // Which tickets events touched, and when: a board read that raced an event keeps the event's card.
  const touched = new Map<string, number>();
  let seq = 0;
  let closedTotal = 0;
  let lastEventId: bigint | null = null;

  const newer = (a: string, b: bigint | null) => b === null || BigInt(a) > b;

  function putCard(card: Card): void {
    const known = cards.get(card.id);
    if (!known || known.version <= card.version) cards.set(card.id, card);
  }

  function addToFeed(event: HubEvent): void {
    if (!FEED.has(event.type) || feed.some((e) => e.id === event.id)) return;
    feed.push(event);
    feed.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    feed.length = Math.min(feed.length, FEED_LIMIT);
  }

  return {
    /** The last event this page has seen: where a catch-up starts. */
    lastEventId: () => (lastEventId === null ? null : String(lastEventId)),

    /** Taken before a board read starts; pass it to `loadBoard`. */
    mark: (): number => seq,

    /** Replace the board with a fresh read, keeping cards that events changed since `mark`. */
    loadBoard(next: { cards: Card[]; closedTotal: number; latestEventId: string | null }, mark = seq): void {
      const previous = new Map(cards);
      cards.clear();
      for (const card of next.cards) cards.set(card.id, card);
      for (const [id, at] of touched) {
        const known = previous.get(id);
        if (at > mark && known) putCard(known);
      }
      closedTotal = next.closedTotal;
      if (next.latestEventId && newer(next.latestEventId, lastEventId))
        lastEventId = BigInt(next.latestEventId);
    },

    loadFeed(events: HubEvent[]): void {
      for (const event of events) if (inScope(event.ticket)) addToFeed(event);
    },

    /** Apply one event (from the subscription or a catch-up); false if it was already applied. */
    apply(event: HubEvent): boolean {
      if (applied.has(event.id)) return false;
      applied.add(event.id);
      if (!inScope(event.ticket)) {
        // Another engagement's change: seen (a catch-up starts after it), not shown.
        if (newer(event.id, lastEventId)) lastEventId = BigInt(event.id);
        return false;
      }
      const status = event.changes.find((c) => c.field === 'status');
      if (status?.to === 'CLOSED') closedTotal++;
      if (status?.from === 'CLOSED') closedTotal = Math.max(0, closedTotal - 1);
      putCard(event.ticket);
      touched.set(event.ticket.id, ++seq);
      addToFeed(event);
      if (newer(event.id, lastEventId)) lastEventId = BigInt(event.id);
      return true;
    },

    /** Cards per column: open ones oldest change last, closed ones newest first and capped. */
    columns(closedShown = 20): Record<Status, Card[]> {
      const out = Object.fromEntries(STATUSES.map((s) => [s, [] as Card[]])) as Record<Status, Card[]>;
      for (const card of cards.values()) out[card.status].push(card);
      for (const s of STATUSES) out[s].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      out.CLOSED.length = Math.min(out.CLOSED.length, closedShown);
      return out;
    },

    feed: (): readonly HubEvent[] => feed,

    stats() {
      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
      const openByParty = new Map<string, number>();
      let oldest: Card | null = null;
      let unrouted = 0;
      for (const card of cards.values()) {
        if (card.status !== 'CLOSED') byStatus[card.status]++;
        if (!OPEN_STATUSES.includes(card.status)) continue;
        if (card.routing?.unrouted) unrouted++;
        openByParty.set(card.ownerParty.slug, (openByParty.get(card.ownerParty.slug) ?? 0) + 1);
        if (!oldest || card.createdAt < oldest.createdAt) oldest = card;
      }
      byStatus.CLOSED = closedTotal;
      return { byStatus, openByParty, oldest, unrouted };
    },
  };
}

export type Store = ReturnType<typeof createStore>;
