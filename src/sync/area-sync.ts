/**
 * The engine's side of a connection's area map: what area a tool's record puts a ticket in
 * (on every pull, so a board move in the tool moves the ticket's area in the hub), and which
 * board or queue a new tool ticket is filed in.
 */
import { eq } from 'drizzle-orm';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import type { TicketLinkRow } from '../db/schema/index.ts';
import { connectionAreaMaps, ticketLinks } from '../db/schema/index.ts';
import type { TicketChangeSet } from '../domain/changes.ts';
import { type AreaMapEntry, toAreaMapEntries, toServiceArea } from '../domain/routing/area-map.ts';
import { changeTicket, type WriteHooks } from '../domain/ticket-store.ts';
import { actorFor } from './apply.ts';
import type { ConnectionRuntime } from './runtime.ts';

/** The connection's map entries, or null when it has none (then the tool's queue name is the area, as before). */
export async function loadAreaEntries(db: DbOrTx, connectionId: string): Promise<AreaMapEntry[] | null> {
  const [row] = await db
    .select()
    .from(connectionAreaMaps)
    .where(eq(connectionAreaMaps.connectionId, connectionId));
  return row ? toAreaMapEntries(row.areaMap) : null;
}

/** The area and category a record gives its ticket. */
export function areaOf(
  entries: AreaMapEntry[] | null,
  record: TicketRecord,
): { serviceArea: string | null; category: string | null } {
  return {
    serviceArea: entries ? toServiceArea(entries, record) : (record.queue ?? null),
    category: record.category ?? null,
  };
}

/**
 * Moves the hub ticket's area (and category) when the tool's record moved since we last read it:
 * compared with what the link saw, so the hub's own edits are not reverted by an unchanged board.
 * The change goes through the write path, which re-routes the ticket by the matrix.
 */
export async function syncAreaIn(
  tx: Tx,
  rt: ConnectionRuntime,
  link: TicketLinkRow,
  record: TicketRecord,
  hooks: WriteHooks,
): Promise<void> {
  const entries = await loadAreaEntries(tx, rt.id);
  // Without a map the hub keeps its own area after creation, as it always did.
  if (!entries) return;
  const seen = areaOf(entries, record);
  const next: TicketChangeSet = {};
  if (seen.serviceArea !== link.remoteArea && seen.serviceArea !== null) next.serviceArea = seen.serviceArea;
  if (seen.category !== link.remoteCategory && seen.category !== null) next.category = seen.category;
  if (seen.serviceArea === link.remoteArea && seen.category === link.remoteCategory) return;
  if (Object.keys(next).length) {
    await changeTicket(
      tx,
      actorFor(rt),
      link.ticketId,
      { compute: () => next, sourceTime: record.updatedAt },
      hooks,
    );
  }
  await tx
    .update(ticketLinks)
    .set({ remoteArea: seen.serviceArea, remoteCategory: seen.category })
    .where(eq(ticketLinks.id, link.id));
}

/** Stores the area maps the connections file declares (the file wins over an earlier mutation). */
export async function seedAreaMaps(db: DbOrTx, runtimes: readonly ConnectionRuntime[]): Promise<void> {
  for (const rt of runtimes) {
    if (!rt.def.areaMap) continue;
    await db
      .insert(connectionAreaMaps)
      .values({ connectionId: rt.id, areaMap: rt.def.areaMap })
      .onConflictDoUpdate({
        target: connectionAreaMaps.connectionId,
        set: { areaMap: rt.def.areaMap, updatedAt: new Date() },
      });
  }
}
