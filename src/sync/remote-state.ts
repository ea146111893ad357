import type { Mappings } from '../connector-kit/contract.ts';
import type { TicketPatch, TicketRecord } from '../connector-kit/records.ts';
import type { RemoteState, TicketRow } from '../db/schema/index.ts';

export type MirroredField = keyof RemoteState;
export const MIRRORED_FIELDS: MirroredField[] = ['title', 'status', 'priority', 'assignee'];

export function stateFromRecord(record: TicketRecord): RemoteState {
  return {
    title: record.title,
    status: record.status,
    priority: record.priority,
    assignee: record.assignee?.externalId ?? null,
  };
}

export function desiredState(ticket: TicketRow, assigneeExternalId: string | null): RemoteState {
  return {
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    assignee: assigneeExternalId,
  };
}

/**
 * Whether two values are the same *in this tool*. Maps can be lossy (IN_PROGRESS and OPEN may
 * both be RT's `open`): comparing through the tool's own values keeps the hub from rewriting a
 * field forever, and keeps a tool's echo of our write from counting as a change.
 */
export function sameInTool(
  field: MirroredField,
  a: string | null,
  b: string | null,
  maps: Mappings,
): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (field === 'status') {
    const from = maps.status.fromCanonical as Record<string, string>;
    return from[a] !== undefined && from[a] === from[b];
  }
  if (field === 'priority') {
    const from = maps.priority.fromCanonical as Record<string, string>;
    return from[a] !== undefined && from[a] === from[b];
  }
  return false;
}

/** Fields whose values differ between two states, as seen by the tool. */
export function differingFields(a: RemoteState, b: RemoteState | null, maps: Mappings): MirroredField[] {
  if (!b) return [...MIRRORED_FIELDS];
  return MIRRORED_FIELDS.filter((f) => !sameInTool(f, a[f], b[f], maps));
}

export function toPatch(desired: RemoteState, fields: MirroredField[]): TicketPatch {
  const patch: TicketPatch = {};
  for (const f of fields) {
    if (f === 'title') patch.title = desired.title;
    if (f === 'status') patch.status = desired.status as TicketPatch['status'];
    if (f === 'priority') patch.priority = desired.priority as TicketPatch['priority'];
    if (f === 'assignee') patch.assigneeExternalId = desired.assignee;
  }
  return patch;
}
