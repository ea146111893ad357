import DataLoader from 'dataloader';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { perDatabase } from './db/per-database.ts';
import type {
  ConnectionRow,
  EngagementRow,
  PartyRow,
  PersonRow,
  TicketLinkRow,
  TicketRow,
} from './db/schema/index.ts';
import { connections, engagements, parties, people, ticketLinks, tickets } from './db/schema/index.ts';

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/**
 * `select * from <table> where id = any($ids)`, prepared once per database handle: loaders run
 * on every read, and building the statement (one bind parameter per id) cost more CPU than
 * running it. The statements are named, so Postgres keeps their plans too.
 */
const ids = sql.placeholder('ids');
const statements = perDatabase((db) => ({
  party: db.select().from(parties).where(sql`${parties.id} = any(${ids}::uuid[])`).prepare('loader_parties'),
  person: db.select().from(people).where(sql`${people.id} = any(${ids}::uuid[])`).prepare('loader_people'),
  ticket: db.select().from(tickets).where(sql`${tickets.id} = any(${ids}::uuid[])`).prepare('loader_tickets'),
}));

/** Per-request batching: a list of 50 tickets costs one query per related table, not 50. */
export function createLoaders(db: Db) {
  const s = statements(db);
  return {
    party: byId<PartyRow>((list) => s.party.execute({ ids: list })),
    person: byId<PersonRow>((list) => s.person.execute({ ids: list })),
    ticket: byId<TicketRow>((list) => s.ticket.execute({ ids: list })),
    engagement: byId<EngagementRow>((ids) =>
      db.select().from(engagements).where(inArray(engagements.id, ids)),
    ),
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
