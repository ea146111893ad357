import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { renewClaims } from './outbox.ts';

/**
 * Keeps the leases of claimed rows fresh while this replica works through them (every third
 * of the lease), so a slow tool never lets another replica take over live work: only a dead
 * or frozen replica's claims expire. A claim found taken over is dropped and skipped here.
 */
export class ClaimKeeper {
  private readonly held = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly table: 'sync_outbox' | 'inbound_queue',
    rows: { id: number; attempts: number }[],
    private readonly leaseMs: number,
    private readonly log: Logger,
    /** False once the engine is stopping: a stopped engine renews nothing. */
    private readonly alive: () => boolean,
    /** The engine's clock (outbox leases are written with it). */
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const r of rows) this.held.set(r.id, r.attempts);
    this.timer = setInterval(
      () => {
        this.renewing = this.renewing.then(() => this.renew());
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
  }

  holds(id: number): boolean {
    return this.held.has(id);
  }

  /** Stops renewing a claim that is about to be completed or rescheduled. */
  async release(id: number): Promise<void> {
    this.held.delete(id);
    await this.renewing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.held.clear();
    await this.renewing;
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0 || !this.alive()) return;
    const asked = new Map(this.held);
    try {
      const kept = await renewClaims(this.db, this.table, asked, this.leaseMs, this.now());
      for (const id of asked.keys()) {
        if (kept.has(id) || !this.held.has(id)) continue;
        this.held.delete(id);
        this.log.warn(
          { table: this.table, id },
          'claim lapsed and was taken over; leaving it to its new owner',
        );
      }
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not renew claims');
    }
  }
}
