import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import type { EngagementRow, TicketClockRow } from '../../src/db/schema/index.ts';
import { engagements, ticketClocks } from '../../src/db/schema/index.ts';
import { saveCalendar, savePolicy } from '../../src/domain/commitments/admin.ts';
import type { PolicyInput } from '../../src/domain/commitments/validate.ts';
import type { Actor } from '../../src/domain/ticket-store.ts';

export async function defaultEngagement(db: Db): Promise<EngagementRow> {
  const [row] = await db.select().from(engagements).where(eq(engagements.slug, 'default'));
  return row!;
}

export function actorOf(partyId: string, engagement: EngagementRow, name = 'tester'): Actor {
  return { partyId, engagementIds: [engagement.id], name, source: 'API' };
}

/** The README's example pair: the MSP's SLA (24x7 first response) and the internal OLA (office hours, on hand-off). */
export async function seedExamplePair(db: Db, engagement: EngagementRow) {
  await saveCalendar(db, engagement, {
    key: 'round-the-clock',
    name: 'Monitoring, 24x7',
    calendar: { timeZone: 'UTC', hours: '24x7' },
  });
  await saveCalendar(db, engagement, {
    key: 'berlin-office',
    name: 'Berlin office hours',
    calendar: {
      timeZone: 'Europe/Berlin',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
      ),
      holidays: ['2027-01-01'],
    },
  });
  const sla: PolicyInput = {
    key: 'msp-response',
    name: 'MSP first response',
    kind: 'SLA',
    metric: 'FIRST_RESPONSE',
    targets: [
      { priority: 'CRITICAL', minutes: 30 },
      { priority: 'HIGH', minutes: 60 },
      { priority: 'MEDIUM', minutes: 240 },
      { priority: 'LOW', minutes: 480 },
    ],
    calendar: 'round-the-clock',
    pauseStatuses: ['WAITING'],
    clockStart: 'ON_HANDOFF',
    warningPercents: [50, 75],
  };
  const ola: PolicyInput = {
    key: 'internal-resolution',
    name: 'Internal team resolution',
    kind: 'OLA',
    metric: 'RESOLUTION',
    targets: [
      { priority: 'CRITICAL', minutes: 240 },
      { priority: 'HIGH', minutes: 480 },
      { priority: 'MEDIUM', minutes: 960 },
      { priority: 'LOW', minutes: 1920 },
    ],
    calendar: 'berlin-office',
    pauseStatuses: ['WAITING'],
    clockStart: 'ON_HANDOFF',
    warningPercents: [75],
  };
  return { sla: await savePolicy(db, engagement, sla), ola: await savePolicy(db, engagement, ola) };
}

export async function clocksOf(db: Db, ticketId: string): Promise<TicketClockRow[]> {
  return db.select().from(ticketClocks).where(eq(ticketClocks.ticketId, ticketId));
}
