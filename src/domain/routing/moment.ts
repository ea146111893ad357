import { z } from 'zod';
import type { RoutingMoment } from './rules.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** When an engagement's business hours are: weekdays 1 (Monday) to 7 (Sunday), local times, a time zone. */
export const BusinessHoursSchema = z
  .object({
    timeZone: z
      .string()
      .refine((tz) => isTimeZone(tz), 'not an IANA time zone; write e.g. "Europe/Berlin" or "UTC"')
      .describe('IANA time zone the hours and rule dates are read in, e.g. "Europe/Berlin".'),
    days: z.array(z.number().int().min(1).max(7)).min(1, 'name at least one day (1 = Monday … 7 = Sunday)'),
    start: z.string().regex(TIME, 'write HH:MM, e.g. 08:00'),
    end: z.string().regex(TIME, 'write HH:MM, e.g. 18:00'),
  })
  .strict()
  .refine((h) => h.start < h.end, { message: 'end must be after start', path: ['end'] });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** Without a setting: Monday to Friday, 08:00 to 18:00 UTC. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  timeZone: 'UTC',
  days: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '18:00',
};

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The local calendar day and business-hours verdict of an instant: what routing decides on. */
export function toRoutingMoment(at: Date, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): RoutingMoment {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: hours.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  const weekday = WEEKDAYS[parts.weekday ?? ''] ?? 0;
  return { day, inBusinessHours: hours.days.includes(weekday) && hours.start <= time && time < hours.end };
}
