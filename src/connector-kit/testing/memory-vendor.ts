/**
 * A fake ticketing tool kept in a Map: the "vendor" behind the reference connector. It has the
 * traits that break real connectors: a settable clock (so many tickets share one timestamp),
 * vendor-specific status and priority values, a correlation field, and private vs public comments.
 */

export interface MemoryComment {
  id: number;
  text: string;
  private: boolean;
  author: string;
  created: Date;
}

export interface MemoryTicket {
  id: number;
  subject: string;
  body: string | null;
  /** new | open | working | stalled | resolved | closed | rejected */
  state: string;
  /** "1" (urgent) to "4" (low) */
  urgency: string;
  owner: string | null;
  /** The hub's ticket id, when the hub created or linked this ticket. */
  xref: string | null;
  /** The customer the ticket belongs to (the records' `scopeKey`). */
  customer: string;
  /** The ticket's type (the records' `category`). */
  kind: string | null;
  created: Date;
  updated: Date;
  comments: MemoryComment[];
}

export type MemoryTicketFields = Partial<
  Pick<MemoryTicket, 'subject' | 'body' | 'state' | 'urgency' | 'owner' | 'xref' | 'customer' | 'kind'>
>;

export interface ListQuery {
  /** Inclusive lower bound on `updated`. */
  updatedSince?: Date;
  /** Exclusive lower bound on `updated` (what a careless client asks for). */
  updatedAfter?: Date;
  /** Keyset continuation: with `updatedSince`, skip tickets at exactly that time with id <= afterId. */
  afterId?: number;
  xref?: string;
  /** Only these customers' tickets (the server-side scope filter). */
  customers?: readonly string[];
  /** Offset pagination, as many vendors offer it (and as it goes wrong when rows move). */
  offset?: number;
  limit: number;
}

export const MEMORY_USERS = ['u-alice', 'u-bob', 'u-carol'] as const;

/**
 * Customers the harness seeds; any non-empty name is accepted (tests make up their own). A ticket
 * created without one belongs to the first.
 */
export const MEMORY_CUSTOMERS = ['acme', 'globex', 'initech'] as const;

export class MemoryVendor {
  readonly tickets = new Map<number, MemoryTicket>();
  private frozenAt: Date | undefined;
  private nextId = 1000;

  now(): Date {
    return new Date(this.frozenAt ?? Date.now());
  }

  /** Freezes the clock at `at` until set again. */
  setClock(at: Date): void {
    this.frozenAt = new Date(at);
  }

  create(fields: MemoryTicketFields): MemoryTicket {
    const at = this.now();
    const ticket: MemoryTicket = {
      id: this.nextId++,
      subject: fields.subject ?? '(no subject)',
      body: fields.body ?? null,
      state: fields.state ?? 'new',
      urgency: fields.urgency ?? '3',
      owner: fields.owner ?? null,
      xref: fields.xref ?? null,
      customer: fields.customer ?? MEMORY_CUSTOMERS[0],
      kind: fields.kind ?? null,
      created: at,
      updated: at,
      comments: [],
    };
    this.tickets.set(ticket.id, ticket);
    return ticket;
  }

  update(id: number, fields: MemoryTicketFields): MemoryTicket | undefined {
    const ticket = this.tickets.get(id);
    if (!ticket) return undefined;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    Object.assign(ticket, defined, { updated: this.now() });
    return ticket;
  }

  comment(id: number, text: string, isPrivate: boolean, author: string): MemoryComment | undefined {
    const ticket = this.tickets.get(id);
    if (!ticket) return undefined;
    const comment = { id: this.nextId++, text, private: isPrivate, author, created: this.now() };
    ticket.comments.push(comment);
    ticket.updated = comment.created;
    return comment;
  }

  /** Tickets ordered by (updated, id), the order a keyset cursor needs. */
  list(query: ListQuery): { items: MemoryTicket[]; hasMore: boolean } {
    const matching = [...this.tickets.values()]
      .filter((t) => query.xref === undefined || t.xref === query.xref)
      .filter((t) => query.customers === undefined || query.customers.includes(t.customer))
      .filter((t) => query.updatedAfter === undefined || t.updated > query.updatedAfter)
      .filter((t) => {
        if (query.updatedSince === undefined) return true;
        const since = query.updatedSince.getTime();
        const at = t.updated.getTime();
        return query.afterId === undefined
          ? at >= since
          : at > since || (at === since && t.id > query.afterId);
      })
      .sort((a, b) => a.updated.getTime() - b.updated.getTime() || a.id - b.id);
    const start = query.offset ?? 0;
    return {
      items: matching.slice(start, start + query.limit),
      hasMore: matching.length > start + query.limit,
    };
  }
}
