/**
 * Between the persisted clock row and the pure `SlaClock`: what the row stores besides the clock
 * (its due time and the next instant the timer must look at it).
 */
import type { TicketClockRow } from '../../db/schema/index.ts';
import { addBusinessMs, type BusinessCalendar } from '../business-calendar.ts';
import { dueAt, remainingMs, type SlaClock } from '../sla-clock.ts';

export function toSlaClock(row: Pick<TicketClockRow, keyof SlaClock>): SlaClock {
  return {
    status: row.status,
    targetMs: Number(row.targetMs),
    spentMs: Number(row.spentMs),
    runningSince: row.runningSince,
    breachedAt: row.breachedAt,
    metAt: row.metAt,
  };
}

/** Warning thresholds newly reached at `at`, not yet announced, in ascending order. */
export function dueWarnings(
  cal: BusinessCalendar,
  clock: SlaClock,
  at: Date,
  percents: readonly number[],
  warned: readonly number[],
): number[] {
  if (clock.status === 'MET' || clock.status === 'CANCELLED') return [];
  const spent = clock.targetMs - remainingMs(cal, clock, at);
  return [...percents]
    .sort((a, b) => a - b)
    .filter((p) => !warned.includes(p) && spent >= (clock.targetMs * p) / 100);
}

/**
 * The next instant the timer has work on this clock: the first unannounced warning threshold or,
 * until it is breached, the due time. Null while the clock is not counting: a paused or finished
 * clock costs the timer nothing.
 */
export function nextFireAt(
  cal: BusinessCalendar,
  clock: SlaClock,
  percents: readonly number[],
  warned: readonly number[],
): Date | null {
  if (!clock.runningSince) return null;
  const since = clock.runningSince;
  const candidates: Date[] = [];
  for (const p of [...percents].sort((a, b) => a - b)) {
    if (warned.includes(p)) continue;
    const left = (clock.targetMs * p) / 100 - clock.spentMs;
    candidates.push(left <= 0 ? since : addBusinessMs(cal, since, Math.ceil(left)));
    break;
  }
  if (!clock.breachedAt) {
    const due = dueAt(cal, clock);
    if (due) candidates.push(due);
  }
  if (candidates.length === 0) return null;
  return new Date(Math.min(...candidates.map((d) => d.getTime())));
}

/** The columns a clock change writes. */
export function clockColumns(
  cal: BusinessCalendar,
  clock: SlaClock,
  percents: readonly number[],
  warned: readonly number[],
) {
  return {
    status: clock.status,
    targetMs: clock.targetMs,
    spentMs: clock.spentMs,
    runningSince: clock.runningSince,
    breachedAt: clock.breachedAt,
    metAt: clock.metAt,
    // A breached clock keeps the instant it fell due, so "ordered by due time" puts it first.
    dueAt: clock.breachedAt ?? dueAt(cal, clock),
    nextFireAt: nextFireAt(cal, clock, percents, warned),
    warnedPercents: [...warned],
  };
}
