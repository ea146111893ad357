import type { ExecutionResult } from 'graphql';
import { fanoutStats } from './fanout-stats.ts';

type Source = AsyncIterator<ExecutionResult> & Partial<AsyncIterable<ExecutionResult>>;
type Started = AsyncIterable<ExecutionResult> | ExecutionResult;

/**
 * Shares one subscription execution among every subscriber that would see the same result:
 * same party, role and engagements (everything visibility and auth depend on), same document, operation
 * name and variables. The first subscriber of a group starts the real subscription; each
 * event's selection is then resolved once for the group and the result handed to all members.
 * The group ends its source when its last member leaves; a failed start (validation, bad
 * filter) is answered to those waiting and never cached.
 *
 * `hold` keeps the pub/sub's live-subscription count equal to the number of subscribers, not
 * groups, so readiness checks and metrics keep their meaning.
 */
export class SubscriptionGroups {
  private readonly groups = new Map<string, Group>();

  join(key: string, start: () => Promise<Started> | Started, hold: () => () => void): Promise<Started> {
    let group = this.groups.get(key);
    if (!group) {
      group = new Group(start, () => {
        if (this.groups.get(key) === group) this.groups.delete(key);
      });
      this.groups.set(key, group);
    }
    return group.add(hold);
  }

  get size(): number {
    return this.groups.size;
  }
}

class Group {
  private readonly members = new Set<Member>();
  private source: Source | null = null;
  private readonly started: Promise<Started>;
  private closed = false;

  constructor(
    start: () => Promise<Started> | Started,
    private readonly forget: () => void,
  ) {
    fanoutStats.groups++;
    this.started = Promise.resolve()
      .then(start)
      .then(
        (result) => {
          if (!isAsyncIterable(result)) {
            this.close();
            return result;
          }
          this.source = result[Symbol.asyncIterator]() as Source;
          void this.pump();
          return result;
        },
        (err: unknown) => {
          this.close();
          throw err;
        },
      );
  }

  async add(hold: () => () => void): Promise<Started> {
    const result = await this.started;
    if (!isAsyncIterable(result)) return result;
    // The source finished between start and join: behave like a completed subscription.
    if (this.closed) return emptyIterable();
    // The source's own pub/sub subscription counts the first member; each further one holds one.
    if (this.members.size > 0) this.holds.push(hold());
    const member: Member = new Member(() => this.leave(member));
    this.members.add(member);
    return member;
  }

  private readonly holds: (() => void)[] = [];

  private leave(member: Member): void {
    if (!this.members.delete(member)) return;
    if (this.members.size > 0) {
      this.holds.pop()?.();
      return;
    }
    this.close();
    void this.source?.return?.();
  }

  private async pump(): Promise<void> {
    const source = this.source!;
    try {
      for (;;) {
        const { value, done } = await source.next();
        if (done) break;
        fanoutStats.executions++;
        fanoutStats.deliveries += this.members.size;
        for (const m of this.members) m.push(value);
      }
      for (const m of [...this.members]) m.end();
    } catch (err) {
      for (const m of [...this.members]) m.fail(err);
    } finally {
      this.close();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fanoutStats.groups--;
    this.forget();
  }
}

/** One subscriber's view of its group: a queue it drains at its own pace. */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  private failWaiting: ((err: unknown) => void) | null = null;
  private finished = false;
  private error: unknown = null;

  constructor(private readonly onLeave: () => void) {}

  push(value: ExecutionResult): void {
    if (this.finished) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value, done: false });
    } else this.queue.push(value);
  }

  end(): void {
    this.finished = true;
    this.onLeave();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  fail(err: unknown): void {
    this.error = err ?? new Error('subscription source failed');
    this.end();
    if (this.failWaiting) this.failWaiting(this.error);
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.error) return Promise.reject(this.error);
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.queue.length = 0;
    this.end();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof Object(value)[Symbol.asyncIterator] === 'function';
}

function emptyIterable(): AsyncIterable<ExecutionResult> {
  return {
    [Symbol.asyncIterator]: () => ({ next: async () => ({ value: undefined, done: true as const }) }),
  };
}
