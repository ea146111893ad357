/**
 * Small helpers for connector tests that call a connector directly (not through the
 * conformance suite): read every page of a pull, and build a create draft. Test-only, like
 * the conformance suite; production code never imports it.
 */
import { randomUUID } from 'node:crypto';
import type { Connector, ConnectorContext } from './contract.ts';
import type { TicketDraft, TicketRecord } from './records.ts';

/** Every record of a pull from `cursor` (null: a full backfill), pages concatenated. */
export async function pullAllRecords<C>(
  connector: Connector<C>,
  ctx: ConnectorContext<C>,
  cursor: string | null = null,
): Promise<TicketRecord[]> {
  const out: TicketRecord[] = [];
  for await (const page of connector.pullTickets(ctx, cursor)) out.push(...page.records);
  return out;
}

/** A create draft with a fresh hub id and plain defaults; `overrides` wins. */
export function testDraft(overrides: Partial<TicketDraft> & Pick<TicketDraft, 'title'>): TicketDraft {
  return {
    hubTicketId: randomUUID(),
    description: null,
    status: 'NEW',
    priority: 'MEDIUM',
    assigneeExternalId: null,
    requesterEmail: null,
    ...overrides,
  };
}
