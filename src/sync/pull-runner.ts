/**
 * Runs pulls: on each connection's interval, or now on request. At most one pull per
 * connection runs in this process, and the connection's lease in Postgres keeps other
 * replicas from starting a second one; a heartbeat keeps the lease alive through slow pages.
 */
import { and, eq, sql } from 'drizzle-orm';
import { isConnectorError } from '../connector-kit/errors.ts';
import type { Db } from '../db/client.ts';
import { connections } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { type PullResult, runPull } from './pull.ts';
import type { ConnectionRuntime } from './runtime.ts';

export interface PullRunnerOptions {
  db: Db;
  hooks: WriteHooks;
  log: Logger;
  /** This replica's name, written as the lease owner. */
  owner: string;
  leaseMs: number;
  runtime(id: string): ConnectionRuntime | undefined;
}

/**
 * When to pull again: after the poll interval, or sooner when the pull was cut short by a tool
 * that said when to come back (a 429's `Retry-After`, or a connector deferring to stay under a
 * request budget), so a backfill resumes when the budget allows instead of an interval later.
 */
export function nextPullDelay(pollIntervalMs: number, failure: unknown): number {
  const retryAfter = isConnectorError(failure) ? failure.retryAfterSeconds : undefined;
  return retryAfter && retryAfter > 0 ? Math.min(pollIntervalMs, retryAfter * 1000) : pollIntervalMs;
}

export class PullRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pulling = new Map<string, Promise<PullResult>>();
  private stopped = false;

  constructor(private readonly opts: PullRunnerOptions) {}

  start(): void {
    this.stopped = false;
  }

  /** Pulls `rt` after `delayMs`, then again every poll interval (sooner if the tool said when) until stopped. */
  schedule(rt: ConnectionRuntime, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      let failure: unknown = null;
      await this.pullNow(rt.id).catch((err: unknown) => {
        failure = err;
      });
      this.schedule(rt, nextPullDelay(rt.def.pollIntervalMs, failure));
    }, delayMs);
    this.timers.add(timer);
  }

  /** Runs a pull for one connection now (unless one is running here or on another replica). */
  async pullNow(id: string): Promise<PullResult> {
    const rt = this.opts.runtime(id);
    if (!rt) throw new Error(`unknown connection ${id}`);
    if (this.pulling.has(id)) return { ran: false, records: 0, pages: 0 };
    const { db, hooks, log, owner, leaseMs } = this.opts;
    const pull = runPull({ db, rt, hooks, log, owner, leaseMs });
    this.pulling.set(id, pull);
    // The pull renews its lease after each page; a slow page must not let it lapse either,
    // or another replica would start a second pull of the same connection.
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(
      () => {
        if (!this.stopped) renewing = renewing.then(() => this.renewLease(id));
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

  /** Cancels scheduled pulls and waits for running ones to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(this.pulling.values());
  }

  /** Extends this replica's pull lease on a connection, if it still holds it. */
  private async renewLease(id: string): Promise<void> {
    const { db, owner, leaseMs, log } = this.opts;
    try {
      await db
        .update(connections)
        .set({ pullLeaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
        .where(
          and(
            eq(connections.id, id),
            eq(connections.pullLeaseOwner, owner),
            sql`${connections.pullLeaseUntil} is not null`,
          ),
        );
    } catch (err) {
      log.warn(
        { connection: id, err: err instanceof Error ? err.message : String(err) },
        'could not renew the pull lease',
      );
    }
  }
}
