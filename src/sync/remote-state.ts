import type { Connector, Mappings } from '../connector-kit/contract.ts';
import type { TicketPatch, TicketRecord } from '../connector-kit/records.ts';
import type { RemoteState, TicketRow } from '../db/schema/index.ts';

/** Fields merged both ways (the requester is followed inbound only, in requester-sync.ts). */
export type MirroredField = Exclude<keyof RemoteState, 'requester'>;
export const MIRRORED_FIELDS: MirroredField[] = ['title', 'status', 'priority', 'assignee', 'description'];

/**
 * Whether the description is a merged field for this tool: only when the connector declares it
 * can update it (`Connector.updatable`). Otherwise it crosses on create only and is left out of
 * both states, so it is never compared, merged or sent.
 */
export function mirrorsDescription(connector: Pick<Connector, 'updatable'>): boolean {
  return connector.updatable?.description === true;
}

export function stateFromRecord(record: TicketRecord, description = false): RemoteState {
  const state: RemoteState = {
    title: record.title,
    status: record.status,
    priority: record.priority,
    assignee: record.assignee?.externalId ?? null,
    requester: record.requester?.externalId ?? null,
  };
  if (description) state.description = record.description ?? null;
  return state;
}

export function desiredState(
  ticket: TicketRow,
  assigneeExternalId: string | null,
  description = false,
): RemoteState {
  const state: RemoteState = {
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    assignee: assigneeExternalId,
  };
  if (description) state.description = ticket.description ?? null;
  return state;
}

/** Tools keep text their own way (CRLF, trailing blanks, an empty body for none). */
function sameText(a: string | null, b: string | null): boolean {
  const norm = (v: string | null) => (v ?? '').replace(/\r\n?/g, '\n').trim();
  return norm(a) === norm(b);
}

/**
 * Whether two values are the same *in this tool*. Maps can be lossy (IN_PROGRESS and OPEN may
 * both be RT's `open`): comparing through the tool's own values keeps the hub from rewriting a
 * field forever, and keeps a tool's echo of our write from counting as a change.
 */
export function sameInTool(
  field: MirroredField,
  a: string | null | undefined,
  b: string | null | undefined,
  maps: Mappings,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (field === 'description') return sameText(a, b);
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

/**
 * Fields whose values differ between two states, as seen by the tool. A field absent from `a`
 * is not mirrored for this tool and never differs; absent from `b` only (a link stored before
 * the field was mirrored), it differs, so the merge sets its baseline.
 */
export function differingFields(a: RemoteState, b: RemoteState | null, maps: Mappings): MirroredField[] {
  const fields = MIRRORED_FIELDS.filter((f) => a[f] !== undefined);
  if (!b) return fields;
  return fields.filter((f) => !sameInTool(f, a[f], b[f], maps));
}

export function toPatch(desired: RemoteState, fields: MirroredField[]): TicketPatch {
  const patch: TicketPatch = {};
  for (const f of fields) {
    if (f === 'title') patch.title = desired.title;
    if (f === 'status') patch.status = desired.status as TicketPatch['status'];
    if (f === 'priority') patch.priority = desired.priority as TicketPatch['priority'];
    if (f === 'assignee') patch.assigneeExternalId = desired.assignee;
    if (f === 'description') patch.description = desired.description ?? null;
  }
  return patch;
}
