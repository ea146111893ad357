/**
 * One obligation's clock (an MSP's SLA or the internal team's OLA on one ticket), as pure
 * transitions over business time. The timer worker and the reports call these; nothing here reads
 * the wall clock or the database, so every rule is table-tested with explicit instants.
 *
 * The clock keeps the business time already spent and, while running, the instant it last
 * resumed. That is what lets a ticket bounce between the parties without manufacturing a fresh
 * deadline (a hand-back pauses the obligation, the next hand-over resumes the same one), and lets
 * a priority change re-target without forgetting the time already used.
 */
import { addBusinessMs, type BusinessCalendar, businessMsBetween } from './business-calendar.ts';

export const CLOCK_STATUSES = ['RUNNING', 'PAUSED', 'MET', 'BREACHED', 'CANCELLED'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];

export interface SlaClock {
  status: ClockStatus;
  /** The business time allowed, from the policy's target for the ticket's priority. */
  targetMs: number;
  /** Business time used up to `runningSince` (running) or in total (any other status). */
  spentMs: number;
  /** When the clock last started or resumed; null unless RUNNING. */
  runningSince: Date | null;
  /** When the target was missed: set once, kept when the obligation is met late. */
  breachedAt: Date | null;
  /** When the obligation was met (a visible response, or resolution). */
  metAt: Date | null;
}

export function startClock(targetMs: number, at: Date): SlaClock {
  if (!(targetMs > 0)) throw new RangeError('a clock needs a positive target');
  return { status: 'RUNNING', targetMs, spentMs: 0, runningSince: at, breachedAt: null, metAt: null };
}

function spentAt(cal: BusinessCalendar, clock: SlaClock, at: Date): number {
  return clock.runningSince ? clock.spentMs + businessMsBetween(cal, clock.runningSince, at) : clock.spentMs;
}

const isFinal = (c: SlaClock) => c.status === 'MET' || c.status === 'CANCELLED';

/** The instant the target is reached if nothing pauses the clock; null unless it is running. */
export function dueAt(cal: BusinessCalendar, clock: SlaClock): Date | null {
  if (!clock.runningSince) return null;
  return addBusinessMs(cal, clock.runningSince, Math.max(0, clock.targetMs - clock.spentMs));
}

/** Business time left at `at` (negative once past due); frozen while paused. */
export function remainingMs(cal: BusinessCalendar, clock: SlaClock, at: Date): number {
  return clock.targetMs - spentAt(cal, clock, at);
}

/** A waiting status or the other party's court: the time stops counting, nothing is forgotten. */
export function pauseClock(cal: BusinessCalendar, clock: SlaClock, at: Date): SlaClock {
  if (clock.status !== 'RUNNING' && clock.status !== 'BREACHED') return clock;
  if (!clock.runningSince) return clock;
  return {
    ...clock,
    status: clock.breachedAt ? 'BREACHED' : 'PAUSED',
    spentMs: spentAt(cal, clock, at),
    runningSince: null,
  };
}

/** The same obligation carries on from the time already spent. */
export function resumeClock(clock: SlaClock, at: Date): SlaClock {
  if (isFinal(clock) || clock.runningSince) return clock;
  return { ...clock, status: clock.breachedAt ? 'BREACHED' : 'RUNNING', runningSince: at };
}

/**
 * A priority change: the new target applies to the time already spent. A clock that has already
 * used more than the new target is breached at the moment of the change.
 */
export function retargetClock(cal: BusinessCalendar, clock: SlaClock, targetMs: number, at: Date): SlaClock {
  if (!(targetMs > 0)) throw new RangeError('a clock needs a positive target');
  if (isFinal(clock)) return clock;
  const spent = spentAt(cal, clock, at);
  const next: SlaClock = { ...clock, targetMs, spentMs: spent, runningSince: clock.runningSince ? at : null };
  if (!next.breachedAt && spent >= targetMs) return { ...next, status: 'BREACHED', breachedAt: at };
  return next;
}

/**
 * What the timer worker calls when a clock comes due: BREACHED once, at its due time. Calling it
 * again, or before the due time, changes nothing, which is what keeps a breach from firing twice.
 */
export function checkBreach(cal: BusinessCalendar, clock: SlaClock, now: Date): SlaClock {
  if (clock.breachedAt || clock.status !== 'RUNNING') return clock;
  const due = dueAt(cal, clock);
  if (!due || due > now) return clock;
  return { ...clock, status: 'BREACHED', breachedAt: due };
}

/** The obligation is fulfilled; a breached one stays on record as breached (met late). */
export function meetClock(cal: BusinessCalendar, clock: SlaClock, at: Date): SlaClock {
  if (isFinal(clock)) return clock;
  const checked = checkBreach(cal, clock, at);
  return { ...checked, status: 'MET', spentMs: spentAt(cal, checked, at), runningSince: null, metAt: at };
}

/** The obligation no longer applies (the policy stopped covering the ticket, or it was withdrawn). */
export function cancelClock(cal: BusinessCalendar, clock: SlaClock, at: Date): SlaClock {
  if (isFinal(clock)) return clock;
  return { ...clock, status: 'CANCELLED', spentMs: spentAt(cal, clock, at), runningSince: null };
}

/**
 * The warning thresholds (percent of the target) crossed between two instants, e.g. [75] when a
 * clock passes three quarters of its target. A threshold is reported in the one interval that
 * crosses it, so a worker that checks each interval once warns exactly once.
 */
export function warningsCrossed(
  cal: BusinessCalendar,
  clock: SlaClock,
  from: Date,
  to: Date,
  percents: readonly number[],
): number[] {
  const before = spentAt(cal, clock, from);
  const after = spentAt(cal, clock, to);
  return percents.filter((p) => {
    const mark = (clock.targetMs * p) / 100;
    return before < mark && after >= mark;
  });
}
