/**
 * One round of outbound delivery: claim due rows, deliver each connection's rows in order, and
 * record the outcome (done, retry later, or parked with the reason).
 */
import type { Db } from '../db/client.ts';
import type { SyncOutboxRow } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { ClaimKeeper } from './claim-keeper.ts';
import { deliver } from './deliver.ts';
import { claimDeliveries, completeDelivery } from './outbox.ts';
import { type DeliveryRetryPolicy, failDelivery, toDeliveryFailure } from './outbox-retry.ts';
import type { ConnectionRuntime } from './runtime.ts';

export interface DeliveryRound {
  db: Db;
  log: Logger;
  hooks: WriteHooks;
  owner: string;
  connectionIds: string[];
  batchSize: number;
  leaseMs: number;
  policy: DeliveryRetryPolicy;
  now: () => Date;
  runtime(id: string): ConnectionRuntime | undefined;
  alive(): boolean;
}

/** Claims and delivers one batch; true when there was work (so the loop goes again at once). */
export async function runDeliveryRound(round: DeliveryRound): Promise<boolean> {
  const { db, connectionIds, batchSize, leaseMs, owner, now } = round;
  const rows = await claimDeliveries(db, connectionIds, batchSize, leaseMs, owner, now());
  if (rows.length === 0) return false;
  const keeper = new ClaimKeeper(db, 'sync_outbox', rows, leaseMs, round.log, round.alive, now);
  try {
    await Promise.all(
      [...groupBy(rows, (row) => row.connectionId).entries()].map(([id, group]) =>
        deliverGroup(round, id, group, keeper),
      ),
    );
  } finally {
    await keeper.stop();
  }
  return true;
}

async function deliverGroup(
  round: DeliveryRound,
  id: string,
  group: SyncOutboxRow[],
  keeper: ClaimKeeper,
): Promise<void> {
  const { db, hooks, now } = round;
  const rt = round.runtime(id);
  if (!rt) return;
  for (const row of group) {
    if (!keeper.holds(row.id)) continue;
    try {
      await deliver(db, rt, row, hooks);
      await keeper.release(row.id);
      await completeDelivery(db, row, now());
    } catch (err) {
      await keeper.release(row.id);
      const failure = toDeliveryFailure(err);
      const result = await failDelivery(db, row, failure, now(), round.policy);
      round.log.warn(
        {
          connection: id,
          ticket: row.ticketId,
          kind: row.kind,
          attempt: row.attempts,
          outcome: result.outcome,
          ...(result.outcome === 'retry' ? { nextAttemptAt: result.nextAttemptAt.toISOString() } : {}),
          err: failure.message,
        },
        'delivery failed',
      );
    }
  }
}

/** Items by key, each group in the order the items came. */
export function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
