import { eq, sql } from 'drizzle-orm';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Db } from '../db/client.ts';
import { connections } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';

/**
 * Which engagements a connection serves and how a record finds its own. `byKey` null: the
 * connection serves one engagement and every record it reads belongs there (a helpdesk, or a
 * PSA whose tool holds one customer). Otherwise the record's `scopeKey` (a company id, a queue,
 * an organisation) names the engagement, and a record whose key is not in the map is outside
 * every scope: never stored, never linked, never written to.
 */
export interface ConnectionScope {
  engagementIds: readonly string[];
  byKey: ReadonlyMap<string, string> | null;
}

/** The engagement a record belongs to through this connection, or null when it is out of scope. */
export function engagementOfRecord(
  scope: ConnectionScope,
  record: Pick<TicketRecord, 'scopeKey'>,
): string | null {
  if (scope.byKey === null) return scope.engagementIds[0] ?? null;
  if (record.scopeKey == null) return null;
  return scope.byKey.get(record.scopeKey) ?? null;
}

/** The customer key to create a ticket of this engagement under, or null for an unscoped connection. */
export function scopeKeyFor(scope: ConnectionScope, engagementId: string): string | null {
  if (scope.byKey === null) return null;
  for (const [key, id] of scope.byKey) if (id === engagementId) return key;
  return null;
}

/** The keys handed to the connector (`ConnectorContext.scopeKeys`), or null when unscoped. */
export function scopeKeysOf(scope: ConnectionScope): string[] | null {
  return scope.byKey === null ? null : [...scope.byKey.keys()];
}

/**
 * Splits records into those in scope (with their engagement) and those outside every scope;
 * the latter are counted on the connection (its health in `syncConnections`) and dropped.
 */
export async function sortByScope<R extends Pick<TicketRecord, 'scopeKey' | 'externalId'>>(
  db: Db,
  connectionId: string,
  scope: ConnectionScope,
  records: R[],
  log: Logger,
): Promise<{ inScope: { record: R; engagementId: string }[]; dropped: number }> {
  const inScope: { record: R; engagementId: string }[] = [];
  const outside: R[] = [];
  for (const record of records) {
    const engagementId = engagementOfRecord(scope, record);
    if (engagementId) inScope.push({ record, engagementId });
    else outside.push(record);
  }
  if (outside.length > 0) {
    const lastKey = outside.at(-1)?.scopeKey ?? null;
    await countOutOfScope(db, connectionId, outside.length, lastKey);
    log.info(
      { connection: connectionId, dropped: outside.length, scopeKey: lastKey },
      'records outside every engagement scope dropped',
    );
  }
  return { inScope, dropped: outside.length };
}

/** Counts dropped records on the connection: what `syncConnections` shows as its scope health. */
export async function countOutOfScope(
  db: Db,
  connectionId: string,
  count: number,
  lastKey: string | null,
): Promise<void> {
  await db
    .update(connections)
    .set({
      outOfScopeCount: sql`${connections.outOfScopeCount} + ${count}`,
      outOfScopeAt: new Date(),
      outOfScopeLastKey: lastKey,
    })
    .where(eq(connections.id, connectionId));
}
