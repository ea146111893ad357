import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseBusinessCalendar } from './business-calendar.ts';
import {
  cancelClock,
  checkBreach,
  dueAt,
  meetClock,
  pauseClock,
  remainingMs,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
  warningsCrossed,
} from './sla-clock.ts';

const HOUR = 3_600_000;
const zone = 'Europe/Berlin';
const cal = parseBusinessCalendar({
  timeZone: zone,
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
  ),
  holidays: ['2026-12-25'],
});
const t = (iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const wall = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : null);

describe('an obligation clock', () => {
  it('falls due after its target in business time', () => {
    const clock = startClock(4 * HOUR, t('2026-12-04T15:00'));
    expect(wall(dueAt(cal, clock))).toBe('2026-12-07T11:00');
    expect(remainingMs(cal, clock, t('2026-12-05T12:00'))).toBe(2 * HOUR);
  });

  it('stops counting while paused and carries on from the time spent', () => {
    let clock = startClock(4 * HOUR, t('2026-12-01T09:00'));
    clock = pauseClock(cal, clock, t('2026-12-01T10:00')); // WAITING on the customer
    expect(clock.status).toBe('PAUSED');
    expect(dueAt(cal, clock)).toBeNull();
    expect(remainingMs(cal, clock, t('2026-12-03T12:00'))).toBe(3 * HOUR);
    clock = resumeClock(clock, t('2026-12-02T14:00'));
    expect(wall(dueAt(cal, clock))).toBe('2026-12-02T17:00');
  });

  it('resumes the same obligation over repeated hand-offs instead of starting afresh', () => {
    // Handed to the MSP, handed back, handed over again, twice: each hand-back pauses.
    let clock = startClock(8 * HOUR, t('2026-12-01T09:00'));
    const moves: Array<['back' | 'over', string]> = [
      ['back', '2026-12-01T11:00'],
      ['over', '2026-12-01T15:00'],
      ['back', '2026-12-01T16:00'],
      ['over', '2026-12-02T09:00'],
    ];
    for (const [move, at] of moves)
      clock = move === 'back' ? pauseClock(cal, clock, t(at)) : resumeClock(clock, t(at));
    // 2 h + 1 h spent: 5 h left from Wednesday 09:00.
    expect(clock.spentMs).toBe(3 * HOUR);
    expect(wall(dueAt(cal, clock))).toBe('2026-12-02T14:00');
  });

  it('keeps the time spent when a priority change re-targets it', () => {
    let clock = startClock(16 * HOUR, t('2026-12-01T09:00'));
    clock = retargetClock(cal, clock, 4 * HOUR, t('2026-12-01T11:00'));
    expect(clock.status).toBe('RUNNING');
    expect(wall(dueAt(cal, clock))).toBe('2026-12-01T13:00');
    // Raised again after more than the new target was used: breached at the change.
    const late = retargetClock(cal, clock, 1 * HOUR, t('2026-12-01T12:30'));
    expect(late.status).toBe('BREACHED');
    expect(wall(late.breachedAt)).toBe('2026-12-01T12:30');
  });

  it('breaches once, at its due time, however often the worker looks', () => {
    let clock = startClock(2 * HOUR, t('2026-12-24T16:00'));
    expect(checkBreach(cal, clock, t('2026-12-28T09:59'))).toBe(clock);
    clock = checkBreach(cal, clock, t('2026-12-28T12:00'));
    expect(clock.status).toBe('BREACHED');
    expect(wall(clock.breachedAt)).toBe('2026-12-28T10:00'); // the holiday and weekend did not count
    expect(checkBreach(cal, clock, t('2026-12-29T12:00'))).toBe(clock);
  });

  it('records a late response as met but keeps the breach', () => {
    const clock = meetClock(cal, startClock(HOUR, t('2026-12-01T09:00')), t('2026-12-01T11:00'));
    expect(clock.status).toBe('MET');
    expect(wall(clock.breachedAt)).toBe('2026-12-01T10:00');
    expect(wall(clock.metAt)).toBe('2026-12-01T11:00');
    expect(clock.spentMs).toBe(2 * HOUR);
  });

  it('ignores every change once met or cancelled', () => {
    const at = t('2026-12-01T10:00');
    const met = meetClock(cal, startClock(HOUR, t('2026-12-01T09:30')), at);
    const cancelled = cancelClock(cal, startClock(HOUR, t('2026-12-01T09:30')), at);
    for (const clock of [met, cancelled] as SlaClock[]) {
      expect(resumeClock(clock, at)).toBe(clock);
      expect(pauseClock(cal, clock, at)).toBe(clock);
      expect(retargetClock(cal, clock, 10, at)).toBe(clock);
      expect(checkBreach(cal, clock, t('2027-01-01T00:00'))).toBe(clock);
    }
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.spentMs).toBe(HOUR / 2);
  });

  it('reports each warning threshold in the one interval that crosses it', () => {
    const clock = startClock(4 * HOUR, t('2026-12-01T09:00'));
    const checks = ['2026-12-01T10:00', '2026-12-01T11:30', '2026-12-01T12:00', '2026-12-01T14:00'];
    let previous = t('2026-12-01T09:00');
    const seen: number[][] = [];
    for (const at of checks) {
      seen.push(warningsCrossed(cal, clock, previous, t(at), [50, 75, 90]));
      previous = t(at);
    }
    expect(seen).toEqual([[], [50], [75], [90]]);
  });
});
