import type { Connector, ConnectorContext } from '../connector-kit/contract.ts';
import type { ConnectionDefinition, SharingRules } from './connections-file.ts';
import type { ConnectionScope } from './scope.ts';

/** A configured connection, ready to use: the definition, its party's id, its scope and a context. */
export interface ConnectionRuntime {
  id: string;
  partyId: string;
  /** The engagements it serves (what it may read, create and be delivered): `scope.engagementIds`. */
  engagementIds: readonly string[];
  scope: ConnectionScope;
  def: ConnectionDefinition;
  connector: Connector<unknown>;
  ctx: ConnectorContext<unknown>;
}

/** Whether a ticket matches a connection's sharing rules (beyond hand-offs, which always cross). */
export function matchesSharing(
  rules: SharingRules,
  ticket: { priority: string; serviceArea: string | null },
): boolean {
  if (rules.all) return true;
  if (rules.priorities?.includes(ticket.priority as never)) return true;
  if (ticket.serviceArea && rules.serviceAreas?.includes(ticket.serviceArea)) return true;
  return false;
}
