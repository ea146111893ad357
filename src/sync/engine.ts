import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { HttpFactory, WebhookRequest } from '../connector-kit/contract.ts';
import { isConnectorError } from '../connector-kit/errors.ts';
import type { Database } from '../db/client.ts';
import { connections, type InboundQueueRow } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { seedAreaMaps } from './area-sync.ts';
import { ClaimKeeper } from './claim-keeper.ts';
import { setUpConnections } from './connection-setup.ts';
import type { ConnectionDefinition } from './connections-file.ts';
import { deliver } from './deliver.ts';
import { claimHints, failHint, INBOUND_CHANNEL, processHint } from './inbound.ts';
import { claimDeliveries, completeDelivery, failDelivery, replayParked } from './outbox.ts';
import { createOutboxPlanner, OUTBOX_CHANNEL } from './planner.ts';
import type { PullResult } from './pull.ts';
import { PullRunner } from './pull-runner.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { Wakeup } from './wakeup.ts';
import { receiveWebhook, registerWebhooks, type WebhookAnswer } from './webhook-intake.ts';

export type { WebhookAnswer } from './webhook-intake.ts';

/** Webhook hints for different tickets applied at once by one replica. */
const INBOUND_CONCURRENCY = 4;

export interface SyncEngineOptions {
  database: Database;
  definitions: ConnectionDefinition[];
  log: Logger;
  /** Names this replica in leases and logs. */
  replicaId?: string;
  pullLeaseMs?: number;
  deliveryLeaseMs?: number;
  batchSize?: number;
  /** Poll each connection on its interval (off in tests that drive pulls themselves). */
  autoPoll?: boolean;
  /** Overrides the connectors' HTTP factory (tests use short retry waits). */
  http?: HttpFactory;
  /** Where tools should send webhooks, e.g. https://hub.example.com (registration is skipped when unset). */
  publicUrl?: string;
}

/**
 * The sync engine: inbound (webhook hints and reconciling pulls), the outbox planner the
 * write path calls, and outbound delivery. Every piece of work is claimed through Postgres,
 * so any number of replicas can run one engine each against the same database.
 */
export class SyncEngine {
  readonly hooks: WriteHooks;
  readonly replicaId: string;
  private runtimes: ConnectionRuntime[] = [];
  private readonly outboxWake = new Wakeup();
  private readonly inboundWake = new Wakeup();
  private readonly loops: Promise<void>[] = [];
  private readonly pulls: PullRunner;
  private unlisten: (() => Promise<void>)[] = [];
  private stopped = true;

  constructor(private readonly opts: SyncEngineOptions) {
    this.replicaId = opts.replicaId ?? `hub-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.hooks = createOutboxPlanner(() => this.runtimes);
    this.pulls = new PullRunner({
      db: opts.database.db,
      hooks: this.hooks,
      log: opts.log,
      owner: this.replicaId,
      leaseMs: opts.pullLeaseMs ?? 60_000,
      runtime: (id) => this.runtime(id),
    });
  }

  get connections(): readonly ConnectionRuntime[] {
    return this.runtimes;
  }

  runtime(id: string): ConnectionRuntime | undefined {
    return this.runtimes.find((r) => r.id === id);
  }

  /** Records every configured connection in the database (checking its party exists). */
  async init(): Promise<void> {
    const { database, definitions, log, http } = this.opts;
    this.runtimes = await setUpConnections(database.db, definitions, log, http);
    await seedAreaMaps(database.db, this.runtimes);
  }

  async start(): Promise<void> {
    if (this.runtimes.length === 0) return;
    this.stopped = false;
    this.pulls.start();
    const { database } = this.opts;
    this.unlisten.push(await database.listen(OUTBOX_CHANNEL, () => this.outboxWake.wake()));
    this.unlisten.push(await database.listen(INBOUND_CHANNEL, () => this.inboundWake.wake()));
    this.loops.push(this.loop(() => this.deliverBatch(), this.outboxWake, 1000));
    this.loops.push(this.loop(() => this.inboundBatch(), this.inboundWake, 1000));
    if (this.opts.autoPoll !== false) for (const rt of this.runtimes) this.pulls.schedule(rt, 0);
    if (this.opts.publicUrl) await registerWebhooks(this.runtimes, this.opts.publicUrl, this.opts.log);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.outboxWake.wake();
    this.inboundWake.wake();
    await Promise.allSettled([...this.loops, this.pulls.stop()]);
    for (const u of this.unlisten.splice(0)) await u();
  }

  private async loop(work: () => Promise<boolean>, wake: Wakeup, idleMs: number): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        busy = await work();
      } catch (err) {
        this.opts.log.error({ err }, 'sync loop failed; retrying');
      }
      if (!busy && !this.stopped) await wake.wait(idleMs);
    }
  }

  private async activeIds(): Promise<string[]> {
    if (this.runtimes.length === 0) return [];
    const rows = await this.opts.database.db
      .select({ id: connections.id })
      .from(connections)
      .where(
        and(
          inArray(
            connections.id,
            this.runtimes.map((r) => r.id),
          ),
          eq(connections.paused, false),
        ),
      );
    return rows.map((r) => r.id);
  }

  /** Claims and delivers one batch; true when there was work (so the loop goes again at once). */
  async deliverBatch(): Promise<boolean> {
    const { db } = this.opts.database;
    const leaseMs = this.opts.deliveryLeaseMs ?? 60_000;
    const rows = await claimDeliveries(db, await this.activeIds(), this.opts.batchSize ?? 20, leaseMs);
    if (rows.length === 0) return false;
    const keeper = new ClaimKeeper(db, 'sync_outbox', rows, leaseMs, this.opts.log, () => !this.stopped);
    const byConnection = groupBy(rows, (row) => row.connectionId);
    try {
      await Promise.all(
        [...byConnection.entries()].map(([id, group]) => this.deliverGroup(id, group, keeper)),
      );
    } finally {
      await keeper.stop();
    }
    return true;
  }

  private async deliverGroup(
    id: string,
    group: Awaited<ReturnType<typeof claimDeliveries>>,
    keeper: ClaimKeeper,
  ): Promise<void> {
    const { db } = this.opts.database;
    const rt = this.runtime(id);
    if (!rt) return;
    for (const row of group) {
      if (!keeper.holds(row.id)) continue;
      try {
        await deliver(db, rt, row, this.hooks);
        await keeper.release(row.id);
        await completeDelivery(db, row);
      } catch (err) {
        await keeper.release(row.id);
        const retryAfterMs =
          isConnectorError(err) && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : undefined;
        const message = err instanceof Error ? err.message : String(err);
        const outcome = await failDelivery(db, row, message, retryAfterMs);
        this.opts.log.warn(
          {
            connection: id,
            ticket: row.ticketId,
            kind: row.kind,
            attempt: row.attempts,
            outcome,
            err: message,
          },
          'delivery failed',
        );
      }
    }
  }

  /**
   * Claims and applies one batch of webhook hints. Hints for different tickets run side by
   * side (each merge locks its own link and ticket rows), those for one ticket in arrival
   * order: a burst of changes then waits on the slowest vendor read, not on the sum of them.
   */
  async inboundBatch(): Promise<boolean> {
    const { db } = this.opts.database;
    const leaseMs = this.opts.deliveryLeaseMs ?? 60_000;
    const hints = await claimHints(db, await this.activeIds(), this.opts.batchSize ?? 20, leaseMs);
    if (hints.length === 0) return false;
    const keeper = new ClaimKeeper(db, 'inbound_queue', hints, leaseMs, this.opts.log, () => !this.stopped);
    const queue = [...groupBy(hints, (hint) => `${hint.connectionId}\u0000${hint.externalId}`).values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const hint of group) await this.applyHint(hint, keeper);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(INBOUND_CONCURRENCY, queue.length) }, worker));
    } finally {
      await keeper.stop();
    }
    return true;
  }

  private async applyHint(hint: InboundQueueRow, keeper: ClaimKeeper): Promise<void> {
    const { db } = this.opts.database;
    const rt = this.runtime(hint.connectionId);
    if (!rt || !keeper.holds(hint.id)) return;
    try {
      await processHint(db, rt, hint, this.hooks, this.opts.log);
      await keeper.release(hint.id);
    } catch (err) {
      await keeper.release(hint.id);
      const message = err instanceof Error ? err.message : String(err);
      this.opts.log.warn(
        { connection: rt.id, externalId: hint.externalId, err: message },
        'webhook change could not be applied',
      );
      await failHint(db, hint, message);
    }
  }

  /** Runs a pull for one connection now (unless one is running here or on another replica). */
  pullNow(id: string): Promise<PullResult> {
    return this.pulls.pullNow(id);
  }

  /** Verifies, parses and enqueues a webhook. Answers fast: the record is fetched later. */
  receiveWebhook(id: string, req: WebhookRequest): Promise<WebhookAnswer> {
    return receiveWebhook(this.opts.database.db, id, this.runtime(id), req);
  }

  async setPaused(id: string, paused: boolean): Promise<void> {
    await this.opts.database.db
      .update(connections)
      .set({ paused, updatedAt: new Date() })
      .where(eq(connections.id, id));
    if (!paused) {
      this.outboxWake.wake();
      this.inboundWake.wake();
    }
  }

  /** Forgets the cursor: the next pull is a full backfill (idempotent thanks to the merge). */
  async resync(id: string): Promise<void> {
    await this.opts.database.db
      .update(connections)
      .set({ cursor: null, backfillDone: false, backfillFetched: 0, backfillTotal: null })
      .where(eq(connections.id, id));
    void this.pullNow(id).catch(() => {});
  }

  async replay(id: string): Promise<number> {
    const n = await replayParked(this.opts.database.db, id);
    await this.opts.database.db.update(connections).set({ lastError: null }).where(eq(connections.id, id));
    this.outboxWake.wake();
    return n;
  }

  /** Processes queued work until none is left (tests and the demo use it to settle). */
  async drain(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const a = await this.inboundBatch();
      const b = await this.deliverBatch();
      if (!a && !b) return;
    }
  }
}

/** Items by key, each group in the order the items came. */
function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
