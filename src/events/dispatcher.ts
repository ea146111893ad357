import { asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ticketEvents, tickets } from '../db/schema/index.ts';
import { EVENTS_CHANNEL } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import type { PubSub } from '../pubsub.ts';

const REMEMBERED_IDS = 20_000;
const CATCH_UP_BATCH = 1000;
/**
 * Ids are taken at insert and become visible at commit, so an event can commit after one with
 * a higher id. Catch-up therefore re-reads this many ids below the last one published; the
 * published-id memory (much larger) drops the ones already sent.
 */
const CATCH_UP_WINDOW = 1000;

/**
 * Turns committed events into pub/sub messages. Postgres delivers NOTIFY only on commit
 * and in commit order, so a payload of ids is a safe wake-up; the events themselves are
 * read from the table. After a lost listener reconnects it re-reads from a window below the
 * last id it published (a late commit can carry a lower id), and a bounded memory of
 * published ids keeps every event delivered once.
 */
export class EventDispatcher {
  private readonly queue: number[] = [];
  private readonly published = new Set<number>();
  private lastId = 0;
  private catchUpDue = false;
  private draining: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: Database,
    private readonly pubsub: PubSub,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const [row] = await this.database.db
      .select({ max: sql<number>`coalesce(max(${ticketEvents.id}), 0)::bigint` })
      .from(ticketEvents);
    this.lastId = Number(row?.max ?? 0);
    // What committed before this start is not news: mark the catch-up window as published.
    const recent = await this.database.db
      .select({ id: ticketEvents.id })
      .from(ticketEvents)
      .where(gt(ticketEvents.id, this.lastId - CATCH_UP_WINDOW));
    for (const r of recent) this.remember(r.id);
    this.unlisten = await this.database.listen(
      EVENTS_CHANNEL,
      (payload) => this.enqueue(payload),
      () => {
        this.catchUpDue = true;
        this.kick();
      },
    );
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    await this.draining;
  }

  /** Resolves once everything received so far has been published (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(payload: string): void {
    for (const part of payload.split(',')) {
      const id = Number(part);
      if (Number.isSafeInteger(id) && id > 0) this.queue.push(id);
    }
    this.kick();
  }

  /** Catch-up runs in the same drain as notifications, so publishing never interleaves. */
  private kick(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 || this.catchUpDue) {
      if (this.catchUpDue) {
        this.catchUpDue = false;
        try {
          await this.catchUp();
        } catch (err) {
          this.log.error({ err }, 'event catch-up failed');
        }
        continue;
      }
      const ids = this.queue.splice(0, this.queue.length);
      try {
        await this.publishWhere(inArray(ticketEvents.id, ids));
      } catch (err) {
        // The ids are still in the table: the next catch-up finds them.
        this.log.error({ err }, 'failed to load events for dispatch');
      }
    }
  }

  private async catchUp(): Promise<void> {
    this.log.info({ afterId: this.lastId }, 'event listener reconnected; catching up');
    let from = Math.max(0, this.lastId - CATCH_UP_WINDOW);
    for (;;) {
      const last = await this.publishWhere(gt(ticketEvents.id, from), CATCH_UP_BATCH);
      if (last === null) return;
      from = last;
    }
  }

  /** Publishes the matching events not published yet; with a limit, returns the last id read while a full batch came back. */
  private async publishWhere(where: ReturnType<typeof gt>, limit?: number): Promise<number | null> {
    const query = this.database.db
      .select({ event: ticketEvents, ticket: tickets })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(where)
      .orderBy(asc(ticketEvents.id));
    const rows = limit ? await query.limit(limit) : await query;
    for (const row of rows) {
      if (this.published.has(row.event.id)) continue;
      this.remember(row.event.id);
      this.pubsub.publish('ticketEvent', row);
    }
    return limit && rows.length === limit ? (rows[rows.length - 1]?.event.id ?? null) : null;
  }

  private remember(id: number): void {
    this.published.add(id);
    if (id > this.lastId) this.lastId = id;
    if (this.published.size > REMEMBERED_IDS) {
      const oldest = this.published.values().next().value;
      if (oldest !== undefined) this.published.delete(oldest);
    }
  }
}
