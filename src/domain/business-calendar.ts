/**
 * Business time: the working hours an SLA or OLA clock counts in.
 *
 * A calendar is a time zone, weekly working hours and holidays, or round the clock (`24x7`, as an
 * MSP's monitoring runs). All arithmetic happens on wall-clock times in the calendar's zone and is
 * converted to instants by luxon, so a daylight-saving change neither adds nor loses working time:
 * 09:00-17:00 is eight hours on the day the clocks go forward too, while a round-the-clock day
 * really is 23 or 25 hours long.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const WorkingSpanSchema = z.object({
  start: z.string().regex(TIME, 'a time of day as HH:MM, e.g. 09:00'),
  end: z.string().regex(TIME, 'a time of day as HH:MM, e.g. 17:30 (24:00 for midnight)'),
});

/** What an admin writes; `parseBusinessCalendar` checks it as a whole. */
export const BusinessCalendarSchema = z
  .object({
    /** An IANA zone, e.g. `Europe/Berlin`. */
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      message: 'an IANA time zone such as Europe/Berlin or America/New_York',
    }),
    /** `24x7`, or the working spans of each weekday (a day left out is not worked). */
    hours: z.union([z.literal('24x7'), z.partialRecord(z.enum(WEEKDAYS), z.array(WorkingSpanSchema))]),
    /** Dates (YYYY-MM-DD, in the calendar's zone) on which nobody works. */
    holidays: z.array(z.string().regex(ISO_DATE, 'a date as YYYY-MM-DD')).default([]),
  })
  .superRefine((cal, ctx) => {
    for (const [i, day] of cal.holidays.entries()) {
      if (!DateTime.fromISO(day).isValid)
        ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${day} is not a date` });
    }
    if (cal.hours === '24x7') {
      if (cal.holidays.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['holidays'],
          message: 'a 24x7 calendar has no holidays: leave them out',
        });
      return;
    }
    let worked = 0;
    for (const day of WEEKDAYS) {
      const spans = (cal.hours[day] ?? []).map((s) => ({ ...s, from: minutes(s.start), to: minutes(s.end) }));
      spans.sort((a, b) => a.from - b.from);
      for (const [i, span] of spans.entries()) {
        if (span.to <= span.from) {
          ctx.addIssue({
            code: 'custom',
            path: ['hours', day, i],
            message: `${span.start}-${span.end} ends before it starts`,
          });
          continue;
        }
        worked += span.to - span.from;
        const next = spans[i + 1];
        if (next && next.from < span.to)
          ctx.addIssue({
            code: 'custom',
            path: ['hours', day],
            message: `${span.start}-${span.end} overlaps ${next.start}-${next.end}`,
          });
      }
    }
    if (worked === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['hours'],
        message: 'no working time in the week: name at least one span, or use 24x7',
      });
  });

export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>;

/** Parses a calendar, reporting every problem at once (zod's issues carry the paths). */
export function parseBusinessCalendar(input: unknown): BusinessCalendar {
  return BusinessCalendarSchema.parse(input);
}

/** A calendar with nothing but working time, in UTC: for obligations that run round the clock. */
export const ROUND_THE_CLOCK: BusinessCalendar = { timeZone: 'UTC', hours: '24x7', holidays: [] };

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** How far `addBusinessMs` and `businessMsBetween` look before giving up (a calendar of holidays). */
const MAX_DAYS = 3_700;

/** The working spans of one local day, as [start, end) instants in ms. */
function spansOn(cal: BusinessCalendar, day: DateTime): Array<[number, number]> {
  if (cal.hours === '24x7') return [[day.toMillis(), day.plus({ days: 1 }).toMillis()]];
  if (cal.holidays.includes(day.toISODate() ?? '')) return [];
  const spans = cal.hours[WEEKDAYS[day.weekday - 1]!] ?? [];
  return spans
    .map(({ start, end }): [number, number] => [at(day, start), at(day, end)])
    .sort((a, b) => a[0] - b[0]);
}

function at(day: DateTime, hhmm: string): number {
  const m = minutes(hhmm);
  if (m === 24 * 60) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(m / 60), minute: m % 60 }).toMillis();
}

function* daysFrom(cal: BusinessCalendar, from: Date): Generator<DateTime> {
  let day = DateTime.fromJSDate(from, { zone: cal.timeZone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    yield day;
    day = day.plus({ days: 1 });
  }
  throw new Error(`no working time within ${MAX_DAYS} days of ${from.toISOString()} in this calendar`);
}

/** Business milliseconds in [from, to); 0 when `to` is not after `from`. */
export function businessMsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (cal.hours === '24x7') return b - a;
  let total = 0;
  for (const day of daysFrom(cal, from)) {
    if (day.toMillis() >= b) break;
    for (const [s, e] of spansOn(cal, day)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
  }
  return total;
}

/**
 * The instant at which `ms` business milliseconds have passed since `from`: a due time. Starting
 * outside working hours, the count begins with the next working span.
 */
export function addBusinessMs(cal: BusinessCalendar, from: Date, ms: number): Date {
  if (ms < 0) throw new RangeError('business time to add must not be negative');
  const a = from.getTime();
  if (cal.hours === '24x7') return new Date(a + ms);
  let left = ms;
  for (const day of daysFrom(cal, from)) {
    for (const [s, e] of spansOn(cal, day)) {
      const start = Math.max(s, a);
      if (e <= start) continue;
      if (left <= e - start) return new Date(start + left);
      left -= e - start;
    }
  }
  /* c8 ignore next: daysFrom throws first */
  throw new Error('unreachable');
}
