import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { HttpFactory, WebhookRequest } from '../connector-kit/contract.ts';
import type { Database } from '../db/client.ts';
import { connections, type InboundQueueRow } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { seedAreaMaps } from './area-sync.ts';
import { ClaimKeeper } from './claim-keeper.ts';
import { setUpConnections } from './connection-setup.ts';
import type { ConnectionDefinition } from './connections-file.ts';
import { claimHints, failHint, INBOUND_CHANNEL, processHint } from './inbound.ts';
import { replayParked } from './outbox.ts';
import { DEFAULT_RETRY_POLICY, type DeliveryRetryPolicy } from './outbox-retry.ts';
import { groupBy, runDeliveryRound } from './outbox-worker.ts';
import { createOutboxPlanner, OUTBOX_CHANNEL } from './planner.ts';
import { Presence } from './presence.ts';
import { type PullResult, releasePullLeases } from './pull.ts';
import { PullRunner } from './pull-runner.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { Wakeup } from './wakeup.ts';
import type { WebhookGuard } from './webhook-guard.ts';
import {
  type RegisteredWebhook,
  receiveWebhook,
  registerWebhooks,
  unregisterWebhooks,
  type WebhookAnswer,
} from './webhook-intake.ts';

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
  /** How long and how often failed deliveries are retried before they are parked. */
  retryPolicy?: Partial<DeliveryRetryPolicy>;
  /** The outbox's clock (retry times, leases); tests pass a controllable one. */
  now?: () => Date;
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
  /** Webhook registrations this replica's start created: removed again if the start fails. */
  private readonly registered: RegisteredWebhook[] = [];
  private readonly pulls: PullRunner;
  private unlisten: (() => Promise<void>)[] = [];
  private stopped = true;
  private presence: Presence | null = null;
  private readonly now: () => Date;
  private readonly retryPolicy: DeliveryRetryPolicy;

  constructor(private readonly opts: SyncEngineOptions) {
    this.replicaId = opts.replicaId ?? `hub-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.now = opts.now ?? (() => new Date());
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retryPolicy };
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

  /**
   * Starts listening, the loops and the pulls, and registers webhooks. A start that fails
   * half-way undoes what it did (see `abortStart`) before the error goes up.
   */
  async start(): Promise<void> {
    if (this.runtimes.length === 0) return;
    this.stopped = false;
    try {
      await this.ensurePresence();
      this.pulls.start();
      const { database } = this.opts;
      this.unlisten.push(await database.listen(OUTBOX_CHANNEL, () => this.outboxWake.wake()));
      this.unlisten.push(await database.listen(INBOUND_CHANNEL, () => this.inboundWake.wake()));
      this.loops.push(this.loop(() => this.deliverBatch(), this.outboxWake, 1000));
      this.loops.push(this.loop(() => this.inboundBatch(), this.inboundWake, 1000));
      if (this.opts.autoPoll !== false) for (const rt of this.runtimes) this.pulls.schedule(rt, 0);
      if (this.opts.publicUrl) {
        const created = await registerWebhooks(this.runtimes, this.opts.publicUrl, this.opts.log);
        this.registered.push(...created);
      }
    } catch (err) {
      await this.abortStart();
      throw err;
    }
  }

  /**
   * Undoes a start that failed (here or in the app around it, e.g. the port was taken): stops
   * loops and pulls (releasing pull leases), removes the webhook registrations this start
   * created (ones that were already there belong to running replicas and stay), and lets go of
   * the presence lock.
   */
  async abortStart(): Promise<void> {
    await this.stop();
    await unregisterWebhooks(this.registered.splice(0), this.opts.log);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.outboxWake.wake();
    this.inboundWake.wake();
    await Promise.allSettled([...this.loops.splice(0), this.pulls.stop()]);
    for (const u of this.unlisten.splice(0)) await u();
    await releasePullLeases(this.opts.database.db, this.replicaId);
    const presence = this.presence;
    this.presence = null;
    await presence?.stop();
  }

  /** Takes this replica's presence lock (claims by a replica without one are taken over). */
  private async ensurePresence(): Promise<void> {
    if (this.presence) return;
    const presence = new Presence(this.opts.database, this.replicaId, this.opts.log);
    await presence.start();
    this.presence = presence;
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
    await this.ensurePresence();
    return runDeliveryRound({
      db: this.opts.database.db,
      log: this.opts.log,
      hooks: this.hooks,
      owner: this.replicaId,
      connectionIds: await this.activeIds(),
      batchSize: this.opts.batchSize ?? 20,
      leaseMs: this.opts.deliveryLeaseMs ?? 60_000,
      policy: this.retryPolicy,
      now: this.now,
      runtime: (id) => this.runtime(id),
      alive: () => !this.stopped,
    });
  }

  /**
   * Claims and applies one batch of webhook hints. Hints for different tickets run side by
   * side (each merge locks its own link and ticket rows), those for one ticket in arrival
   * order: a burst of changes then waits on the slowest vendor read, not on the sum of them.
   */
  async inboundBatch(): Promise<boolean> {
    const { db } = this.opts.database;
    const leaseMs = this.opts.deliveryLeaseMs ?? 60_000;
    await this.ensurePresence();
    const hints = await claimHints(
      db,
      await this.activeIds(),
      this.opts.batchSize ?? 20,
      leaseMs,
      this.replicaId,
    );
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
  /** `guard` coalesces hints per ticket (the HTTP layer owns it, with the rate limit). */
  receiveWebhook(id: string, req: WebhookRequest, guard?: WebhookGuard): Promise<WebhookAnswer> {
    return receiveWebhook(this.opts.database.db, id, this.runtime(id), req, guard);
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
