import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import type { ConnectionRow, PartyRow, PersonRow, TicketLinkRow, TicketRow } from './db/schema/index.ts';
import { connections, parties, people, ticketLinks, tickets } from './db/schema/index.ts';

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Per-request batching: a list of 50 tickets costs one query per related table, not 50. */
export function createLoaders(db: Db) {
  return {
    party: byId<PartyRow>((ids) => db.select().from(parties).where(inArray(parties.id, ids))),
    person: byId<PersonRow>((ids) => db.select().from(people).where(inArray(people.id, ids))),
    ticket: byId<TicketRow>((ids) => db.select().from(tickets).where(inArray(tickets.id, ids))),
    connection: byId<ConnectionRow>((ids) =>
      db.select().from(connections).where(inArray(connections.id, ids)),
    ),
    linksByTicket: new DataLoader<string, TicketLinkRow[]>(async (ids) => {
      const rows = await db
        .select()
        .from(ticketLinks)
        .where(inArray(ticketLinks.ticketId, [...ids]));
      return ids.map((id) => rows.filter((r) => r.ticketId === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
