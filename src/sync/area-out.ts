/**
 * The outbound side of a connection's area map: when the hub's service area changes (a person,
 * or routing), the tool's ticket moves to the board or queue the map names for the new area,
 * where the connector can move it (`Connector.updatable.queue`). Inbound moves stay with
 * area-sync.ts; both compare with the link's `remoteArea`, so neither echoes the other.
 */
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Db } from '../db/client.ts';
import type { TicketLinkRow, TicketRow } from '../db/schema/index.ts';
import { type AreaMapEntry, toToolQueue } from '../domain/routing/area-map.ts';
import { areaOf, loadAreaEntries } from './area-sync.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { engagementOfRecord } from './scope.ts';

export interface QueueMove {
  queue: string;
  entries: AreaMapEntry[];
}

/** The queue the tool's ticket should move to, when the hub's area differs from what the tool showed. */
export async function plannedQueueMove(
  db: Db,
  rt: ConnectionRuntime,
  ticket: TicketRow,
  link: TicketLinkRow,
): Promise<QueueMove | null> {
  if (rt.connector.updatable?.queue !== true) return null;
  if (!ticket.serviceArea || ticket.serviceArea === link.remoteArea) return null;
  const entries = await loadAreaEntries(db, rt.id);
  if (!entries) return null;
  const queue = toToolQueue(entries, ticket.serviceArea);
  return queue ? { queue, entries } : null;
}

/**
 * The move still to make against the tool's current record: none when the ticket already sits
 * there (a lossy map reading the queue back as another area is no reason to write again), nor
 * when the queue is the tool's customer key and would file the ticket under another customer.
 */
export function queueToWrite(
  rt: ConnectionRuntime,
  move: QueueMove | null,
  current: TicketRecord | null,
  engagementId: string,
): string | undefined {
  if (!move || !current) return undefined;
  if ((current.queue ?? '').toLowerCase() === move.queue.toLowerCase()) return undefined;
  const queueIsScopeKey = current.scopeKey != null && current.scopeKey === current.queue;
  if (queueIsScopeKey && engagementOfRecord(rt.scope, { scopeKey: move.queue }) !== engagementId) {
    return undefined;
  }
  return move.queue;
}

/** What the link records after a move: the area and category the tool's record now maps to. */
export function areaAfterMove(move: QueueMove, record: TicketRecord) {
  const seen = areaOf(move.entries, record);
  return { remoteArea: seen.serviceArea, remoteCategory: seen.category };
}

/** The tool moved the ticket itself since we last read it: merge that (area-sync.ts) before writing. */
export function movedInTool(move: QueueMove, current: TicketRecord, remoteArea: string | null): boolean {
  return areaOf(move.entries, current).serviceArea !== remoteArea;
}
