import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createConnectorContext } from '../connector-kit/context.ts';
import type { HttpFactory, WebhookRequest } from '../connector-kit/contract.ts';
import { isConnectorError } from '../connector-kit/errors.ts';
import type { Database } from '../db/client.ts';
import { connections, parties } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { ClaimKeeper } from './claim-keeper.ts';
import type { ConnectionDefinition } from './connections-file.ts';
import { deliver } from './deliver.ts';
import { claimHints, enqueueHints, failHint, INBOUND_CHANNEL, processHint } from './inbound.ts';
import { claimDeliveries, completeDelivery, failDelivery, replayParked } from './outbox.ts';
import { seedIdentities } from './people.ts';
import { createOutboxPlanner, OUTBOX_CHANNEL } from './planner.ts';
import { runPull } from './pull.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { Wakeup } from './wakeup.ts';

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

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
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
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pulling = new Map<string, Promise<unknown>>();
  private unlisten: (() => Promise<void>)[] = [];
  private stopped = true;

  constructor(private readonly opts: SyncEngineOptions) {
    this.replicaId = opts.replicaId ?? `hub-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.hooks = createOutboxPlanner(() => this.runtimes);
  }

  get connections(): readonly ConnectionRuntime[] {
    return this.runtimes;
  }

  runtime(id: string): ConnectionRuntime | undefined {
    return this.runtimes.find((r) => r.id === id);
  }

  /** Records every configured connection in the database (checking its party exists). */
  async init(): Promise<void> {
    const { db } = this.opts.database;
    const rows = await db.select().from(parties);
    const problems: string[] = [];
    const runtimes: ConnectionRuntime[] = [];
    for (const def of this.opts.definitions) {
      const party = rows.find((p) => p.slug === def.partySlug);
      if (!party) {
        problems.push(
          `connection ${def.id}: no party "${def.partySlug}" (known: ${rows.map((p) => p.slug).join(', ')})`,
        );
        continue;
      }
      const log = this.opts.log.child({ connection: def.id });
      const ctx = createConnectorContext(def.connector, {
        connectionId: def.id,
        config: def.config,
        mapOverrides: def.mapOverrides,
        log,
        ...(this.opts.http ? { http: this.opts.http } : {}),
      });
      runtimes.push({ id: def.id, partyId: party.id, def, connector: def.connector, ctx });
    }
    if (problems.length) throw new Error(`Cannot start the sync engine:\n  - ${problems.join('\n  - ')}`);
    for (const rt of runtimes) {
      await db
        .insert(connections)
        .values({
          id: rt.id,
          partyId: rt.partyId,
          connector: rt.connector.id,
          name: rt.def.name,
          settings: rt.def.publicSettings,
        })
        .onConflictDoUpdate({
          target: connections.id,
          set: {
            partyId: rt.partyId,
            connector: rt.connector.id,
            name: rt.def.name,
            settings: rt.def.publicSettings,
            updatedAt: new Date(),
          },
        });
      await seedIdentities(db, rt);
    }
    this.runtimes = runtimes;
  }

  async start(): Promise<void> {
    if (this.runtimes.length === 0) return;
    this.stopped = false;
    const { database } = this.opts;
    this.unlisten.push(await database.listen(OUTBOX_CHANNEL, () => this.outboxWake.wake()));
    this.unlisten.push(await database.listen(INBOUND_CHANNEL, () => this.inboundWake.wake()));
    this.loops.push(this.loop(() => this.deliverBatch(), this.outboxWake, 1000));
    this.loops.push(this.loop(() => this.inboundBatch(), this.inboundWake, 1000));
    if (this.opts.autoPoll !== false) for (const rt of this.runtimes) this.schedulePull(rt, 0);
    if (this.opts.publicUrl) await this.registerWebhooks(this.opts.publicUrl);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.outboxWake.wake();
    this.inboundWake.wake();
    await Promise.allSettled([...this.loops, ...this.pulling.values()]);
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
    const byConnection = new Map<string, typeof rows>();
    for (const row of rows)
      byConnection.set(row.connectionId, [...(byConnection.get(row.connectionId) ?? []), row]);
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

  async inboundBatch(): Promise<boolean> {
    const { db } = this.opts.database;
    const leaseMs = this.opts.deliveryLeaseMs ?? 60_000;
    const hints = await claimHints(db, await this.activeIds(), this.opts.batchSize ?? 20, leaseMs);
    if (hints.length === 0) return false;
    const keeper = new ClaimKeeper(db, 'inbound_queue', hints, leaseMs, this.opts.log, () => !this.stopped);
    try {
      for (const hint of hints) {
        const rt = this.runtime(hint.connectionId);
        if (!rt || !keeper.holds(hint.id)) continue;
        try {
          await processHint(db, rt, hint, this.hooks);
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
    } finally {
      await keeper.stop();
    }
    return true;
  }

  private schedulePull(rt: ConnectionRuntime, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      await this.pullNow(rt.id).catch(() => {});
      this.schedulePull(rt, rt.def.pollIntervalMs);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Runs a pull for one connection now (unless one is running here or on another replica). */
  async pullNow(id: string): Promise<{ ran: boolean; records: number; pages: number }> {
    const rt = this.runtime(id);
    if (!rt) throw new Error(`unknown connection ${id}`);
    const running = this.pulling.get(id);
    if (running) return { ran: false, records: 0, pages: 0 };
    const leaseMs = this.opts.pullLeaseMs ?? 60_000;
    const pull = runPull({
      db: this.opts.database.db,
      rt,
      hooks: this.hooks,
      log: this.opts.log,
      owner: this.replicaId,
      leaseMs,
    });
    this.pulling.set(id, pull);
    // The pull renews its lease after each page; a slow page must not let it lapse either,
    // or another replica would start a second pull of the same connection.
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(
      () => {
        if (!this.stopped) renewing = renewing.then(() => this.renewPullLease(id, leaseMs));
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      return await pull;
    } finally {
      clearInterval(heartbeat);
      await renewing;
      this.pulling.delete(id);
    }
  }

  /** Extends this replica's pull lease on a connection, if it still holds it. */
  private async renewPullLease(id: string, leaseMs: number): Promise<void> {
    try {
      await this.opts.database.db
        .update(connections)
        .set({ pullLeaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
        .where(
          and(
            eq(connections.id, id),
            eq(connections.pullLeaseOwner, this.replicaId),
            sql`${connections.pullLeaseUntil} is not null`,
          ),
        );
    } catch (err) {
      this.opts.log.warn(
        { connection: id, err: err instanceof Error ? err.message : String(err) },
        'could not renew the pull lease',
      );
    }
  }

  /** Verifies, parses and enqueues a webhook. Answers fast: the record is fetched later. */
  async receiveWebhook(id: string, req: WebhookRequest): Promise<WebhookAnswer> {
    const rt = this.runtime(id);
    if (!rt) return { status: 404, body: { error: `No connection "${id}" is configured on this hub.` } };
    const webhook = rt.connector.webhook;
    if (!webhook) {
      return {
        status: 400,
        body: {
          error: `${rt.connector.displayName} connections are polled; this endpoint takes no webhooks.`,
        },
      };
    }
    const verdict = await webhook.verify(rt.ctx, req);
    if (verdict !== 'valid') {
      const reason = {
        missing_headers: 'the signature headers are missing',
        invalid: 'the signature does not match the body',
        stale: 'the signed timestamp is outside the replay window',
      }[verdict];
      return { status: 401, body: { error: `Webhook rejected: ${reason}.`, reason: verdict } };
    }
    let hints: ReturnType<typeof webhook.parse>;
    try {
      hints = webhook.parse(rt.ctx, req);
    } catch (err) {
      return {
        status: 400,
        body: {
          error: `Webhook body could not be read: ${err instanceof Error ? err.message : String(err)}`,
        },
      };
    }
    await enqueueHints(this.opts.database.db, id, hints);
    return { status: 202, body: { accepted: hints.length } };
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

  private async registerWebhooks(publicUrl: string): Promise<void> {
    for (const rt of this.runtimes) {
      const register = rt.connector.webhook?.register;
      if (!register) continue;
      const url = `${publicUrl.replace(/\/+$/, '')}/webhooks/${rt.id}`;
      try {
        await register(rt.ctx, url);
        this.opts.log.info({ connection: rt.id, url }, 'webhook registered');
      } catch (err) {
        this.opts.log.warn(
          { connection: rt.id, err: err instanceof Error ? err.message : String(err) },
          'webhook registration failed; relying on polling',
        );
      }
    }
  }
}
