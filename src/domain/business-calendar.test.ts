import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  addBusinessMs,
  type BusinessCalendar,
  businessMsBetween,
  parseBusinessCalendar,
} from './business-calendar.ts';

const HOUR = 3_600_000;
const officeHours = (timeZone: string, holidays: string[] = []): BusinessCalendar =>
  parseBusinessCalendar({
    timeZone,
    hours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
    ),
    holidays,
  });
const berlin = officeHours('Europe/Berlin', ['2026-12-25']);
const newYork = officeHours('America/New_York');
const roundTheClock = (timeZone: string) => parseBusinessCalendar({ timeZone, hours: '24x7' });
const allDay = parseBusinessCalendar({
  timeZone: 'Europe/Berlin',
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
  ),
});

/** A wall-clock time in a zone, as an instant. */
const local = (zone: string, iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const wall = (zone: string, d: Date) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('addBusinessMs: when a target of business time falls due', () => {
  const cases: Array<[string, BusinessCalendar, string, string, number, string]> = [
    ['within one working day', berlin, 'Europe/Berlin', '2026-12-01T10:00', 3 * HOUR, '2026-12-01T13:00'],
    ['over the evening', berlin, 'Europe/Berlin', '2026-12-01T16:00', 2 * HOUR, '2026-12-02T10:00'],
    ['over a weekend', berlin, 'Europe/Berlin', '2026-12-04T16:00', 2 * HOUR, '2026-12-07T10:00'],
    ['starting on a Saturday', berlin, 'Europe/Berlin', '2026-12-05T11:00', 1 * HOUR, '2026-12-07T10:00'],
    ['starting before opening', berlin, 'Europe/Berlin', '2026-12-01T06:30', 1 * HOUR, '2026-12-01T10:00'],
    ['over a holiday', berlin, 'Europe/Berlin', '2026-12-24T16:00', 2 * HOUR, '2026-12-28T10:00'],
    ['a full week of hours', berlin, 'Europe/Berlin', '2026-12-07T09:00', 40 * HOUR, '2026-12-11T17:00'],
    // Clocks go forward on 2027-03-28 and back on 2027-10-31 in Berlin; 2027-03-14 and -11-07 in New York.
    [
      'office hours keep 8 h on a spring-forward week',
      berlin,
      'Europe/Berlin',
      '2027-03-26T16:00',
      2 * HOUR,
      '2027-03-29T10:00',
    ],
    [
      'office hours keep 8 h on a fall-back week',
      newYork,
      'America/New_York',
      '2027-11-05T16:00',
      2 * HOUR,
      '2027-11-08T10:00',
    ],
    [
      '24x7 across spring forward: the day has 23 hours',
      roundTheClock('Europe/Berlin'),
      'Europe/Berlin',
      '2027-03-27T12:00',
      24 * HOUR,
      '2027-03-28T13:00',
    ],
    [
      '24x7 across fall back: the day has 25 hours',
      roundTheClock('Europe/Berlin'),
      'Europe/Berlin',
      '2027-10-30T12:00',
      24 * HOUR,
      '2027-10-31T11:00',
    ],
    [
      '00:00-24:00 every day behaves like 24x7 across DST',
      allDay,
      'Europe/Berlin',
      '2027-03-27T12:00',
      24 * HOUR,
      '2027-03-28T13:00',
    ],
    [
      'zero business time outside hours waits for opening',
      berlin,
      'Europe/Berlin',
      '2026-12-05T11:00',
      0,
      '2026-12-07T09:00',
    ],
  ];
  it.each(cases)('%s', (_name, cal, zone, from, ms, due) => {
    expect(wall(zone, addBusinessMs(cal, local(zone, from), ms))).toBe(due);
  });
});

describe('businessMsBetween: business time used', () => {
  const cases: Array<[string, BusinessCalendar, string, string, string, number]> = [
    ['a working morning', berlin, 'Europe/Berlin', '2026-12-01T08:00', '2026-12-01T12:30', 3.5 * HOUR],
    ['a weekend counts nothing', berlin, 'Europe/Berlin', '2026-12-05T00:00', '2026-12-07T00:00', 0],
    ['a holiday counts nothing', berlin, 'Europe/Berlin', '2026-12-25T00:00', '2026-12-26T00:00', 0],
    [
      'Friday afternoon to Monday morning',
      berlin,
      'Europe/Berlin',
      '2026-12-04T15:00',
      '2026-12-07T10:00',
      3 * HOUR,
    ],
    [
      '24x7 over the spring-forward night',
      roundTheClock('Europe/Berlin'),
      'Europe/Berlin',
      '2027-03-28T00:00',
      '2027-03-29T00:00',
      23 * HOUR,
    ],
    ['an inverted interval is empty', berlin, 'Europe/Berlin', '2026-12-02T12:00', '2026-12-01T12:00', 0],
  ];
  it.each(cases)('%s', (_name, cal, zone, from, to, ms) => {
    expect(businessMsBetween(cal, local(zone, from), local(zone, to))).toBe(ms);
  });

  it('is the inverse of addBusinessMs', () => {
    const from = local('Europe/Berlin', '2026-12-03T14:17');
    for (const ms of [1, HOUR, 7.5 * HOUR, 26 * HOUR, 90 * HOUR]) {
      expect(businessMsBetween(berlin, from, addBusinessMs(berlin, from, ms))).toBe(ms);
    }
  });
});

describe('parseBusinessCalendar: bad calendars are refused with every problem named', () => {
  it('reports each problem with its path, all at once', () => {
    let error: unknown;
    try {
      parseBusinessCalendar({
        timeZone: 'Mars/Olympus',
        hours: {
          mon: [{ start: '17:00', end: '09:00' }],
          tue: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '17:00' },
          ],
          wed: [{ start: '25:00', end: '26:00' }],
        },
        holidays: ['2026-02-30', 'tomorrow'],
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ZodError);
    const issues = (error as ZodError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeZone: an IANA time zone/),
        expect.stringMatching(/^hours\.wed\.0\.start: a time of day/),
        expect.stringMatching(/^holidays\.1: a date as YYYY-MM-DD/),
      ]),
    );
  });

  it('names overlaps, inverted spans, impossible holidays and an empty week', () => {
    const messages = (input: unknown) => {
      try {
        parseBusinessCalendar(input);
        return [];
      } catch (err) {
        return (err as ZodError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      }
    };
    expect(
      messages({
        timeZone: 'Europe/Berlin',
        hours: {
          mon: [{ start: '17:00', end: '09:00' }],
          tue: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '17:00' },
          ],
        },
        holidays: ['2026-02-30'],
      }),
    ).toEqual([
      'holidays.0: 2026-02-30 is not a date',
      'hours.mon.0: 17:00-09:00 ends before it starts',
      'hours.tue: 09:00-13:00 overlaps 12:00-17:00',
    ]);
    expect(messages({ timeZone: 'UTC', hours: {} })).toEqual([
      'hours: no working time in the week: name at least one span, or use 24x7',
    ]);
    expect(messages({ timeZone: 'UTC', hours: '24x7', holidays: ['2026-12-25'] })).toEqual([
      'holidays: a 24x7 calendar has no holidays: leave them out',
    ]);
  });
});
