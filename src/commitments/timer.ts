import type { Db } from '../db/client.ts';
import { fireDueClocks } from '../domain/commitments/fire.ts';
import type { Logger } from '../logger.ts';

export interface ClockTimerOptions {
  /** How often to look for due clocks; the bound on how late a warning or breach is announced. */
  intervalMs?: number;
  /** Clocks per transaction. */
  batch?: number;
  /** The wall clock (tests pass a controllable one). */
  now?: () => Date;
}

export interface ClockTimer {
  start(): void;
  stop(): Promise<void>;
  /** Runs one pass now (tests; also what each tick does). */
  runOnce(): Promise<number>;
}

/**
 * The clock worker: every replica runs one; they share the due clocks through row claims (see
 * fire.ts), so adding replicas neither duplicates nor loses a warning or a breach, and a restart
 * simply picks up whatever came due meanwhile.
 */
export function createClockTimer(db: Db, log: Logger, opts: ClockTimerOptions = {}): ClockTimer {
  const intervalMs = opts.intervalMs ?? 250;
  const batch = opts.batch ?? 200;
  const now = opts.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  /** Claims batch after batch until less than a full one is due (or the worker is stopping). */
  async function pass(untilStopped: boolean): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await fireDueClocks(db, now(), batch);
      total += n;
      if (n < batch || (untilStopped && stopped)) return total;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass(true)
        .catch((err: unknown) =>
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'clock timer pass failed'),
        )
        .finally(schedule);
    }, intervalMs);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    runOnce: () => pass(false),
  };
}
