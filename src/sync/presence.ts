/**
 * Replica presence: each engine holds a session-level advisory lock named after its replica id
 * for as long as it runs. Claims (outbox rows, webhook hints, pull leases) record their owner;
 * a claim whose owner no longer holds its lock belongs to a dead replica and is taken over at
 * once, instead of after the lease runs out. A live owner's claim is never taken over, however
 * slow its vendor call: the lock, not the clock, says whether it is still working.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, SessionLock } from '../db/client.ts';
import type { Logger } from '../logger.ts';

/** The advisory lock class of replica presence locks (the key is `hashtext(replicaId)`). */
export const PRESENCE_LOCK_CLASS = 727_002;

/**
 * SQL that is true when the replica named by `owner` (a column or value) holds no presence lock
 * in this database, i.e. it stopped or died. A null owner counts as gone.
 */
export function ownerGone(owner: SQL | string): SQL {
  const name = typeof owner === 'string' ? sql`${owner}` : owner;
  return sql`(${name} is null or not exists (
    select 1 from pg_locks l
    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
      and l.classid::bigint = ${PRESENCE_LOCK_CLASS}
      and l.objid::bigint = (hashtext(${name})::bigint & 4294967295)
      and l.database = (select oid from pg_database where datname = current_database())))`;
}

/** Holds this replica's presence lock, re-taking it if the session holding it was lost. */
export class Presence {
  private lock: SessionLock | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly replicaId: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.lock = await this.database.holdLock(PRESENCE_LOCK_CLASS, this.replicaId);
    this.timer = setInterval(() => void this.check(), 1000);
    this.timer.unref();
  }

  /** Whether this replica's claims are currently protected by its lock. */
  get held(): boolean {
    return this.lock?.held ?? false;
  }

  private async check(): Promise<void> {
    if (!this.lock || this.lock.held) return;
    try {
      this.lock = await this.database.holdLock(PRESENCE_LOCK_CLASS, this.replicaId);
      this.log.info({ replica: this.replicaId }, 'presence lock taken again');
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'presence lock not retaken');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }
}
