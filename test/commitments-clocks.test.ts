/**
 * Obligations driven by the one ticket write path, with a controllable clock: every write and
 * every timer pass is given its instant, so the rules are checked without waiting.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngagementRow } from '../src/db/schema/index.ts';
import { courtIntervals, ticketEvents } from '../src/db/schema/index.ts';
import { fireDueClocks } from '../src/domain/commitments/fire.ts';
import { addComment, changeTicket, createTicket } from '../src/domain/ticket-store.ts';
import { availableBackends } from './support/backends.ts';
import { actorOf, clocksOf, defaultEngagement, seedExamplePair } from './support/commitments.ts';
import { startTestHub, type TestHub } from './support/hub.ts';

const backends = await availableBackends();
const MIN = 60_000;
/** Monday 4 January 2027, 10:00 in Berlin (09:00 UTC). */
const T0 = new Date('2027-01-04T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

describe.each(backends)('commitment clocks on %s', (backend) => {
  let hub: TestHub;
  let engagement: EngagementRow;
  let policies: Awaited<ReturnType<typeof seedExamplePair>>;
  beforeAll(async () => {
    hub = await startTestHub(backend, {}, { clockTimer: false });
    engagement = await defaultEngagement(hub.database.db);
    policies = await seedExamplePair(hub.database.db, engagement);
  });
  afterAll(async () => hub?.stop());

  const internal = () => actorOf(hub.partyIds.internal, engagement, 'internal agent');
  const msp = () => actorOf(hub.partyIds.msp, engagement, 'msp agent');
  const db = () => hub.database.db;
  const eventsOf = async (ticketId: string) =>
    (
      await db()
        .select()
        .from(ticketEvents)
        .where(eq(ticketEvents.ticketId, ticketId))
        .orderBy(asc(ticketEvents.id))
    ).map((e) => e.type);

  async function newTicket(owner: 'internal' | 'msp', minutes = 0, priority: 'HIGH' | 'MEDIUM' = 'HIGH') {
    const { ticket } = await createTicket(db(), internal(), {
      engagementId: engagement.id,
      title: `clock test ${Math.random()}`,
      priority,
      ownerPartyId: hub.partyIds[owner],
      createdAt: at(minutes),
    });
    return ticket;
  }
  const handTo = (id: string, owner: 'internal' | 'msp', minutes: number) =>
    changeTicket(db(), internal(), id, {
      compute: () => ({ ownerPartyId: hub.partyIds[owner], shared: true }),
      now: at(minutes),
    });

  it('starts the SLA on hand-over, pauses on hand-back and resumes the same obligation', async () => {
    const t = await newTicket('internal');
    const ola = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.ola.id)!;
    expect(ola.status).toBe('RUNNING');
    expect((await clocksOf(db(), t.id)).some((c) => c.policyId === policies.sla.id)).toBe(false);

    await handTo(t.id, 'msp', 10);
    let sla = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(sla).toMatchObject({ status: 'RUNNING', targetMs: 60 * MIN, spentMs: 0 });
    expect(sla.dueAt).toEqual(at(70));

    await handTo(t.id, 'internal', 30);
    sla = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(sla).toMatchObject({ status: 'PAUSED', spentMs: 20 * MIN, dueAt: null, nextFireAt: null });

    await handTo(t.id, 'msp', 100);
    const again = await clocksOf(db(), t.id);
    expect(again.filter((c) => c.policyId === policies.sla.id)).toHaveLength(1);
    sla = again.find((c) => c.policyId === policies.sla.id)!;
    // 40 minutes left of the same obligation: no fresh hour.
    expect(sla).toMatchObject({ status: 'RUNNING', spentMs: 20 * MIN });
    expect(sla.dueAt).toEqual(at(140));
  });

  it('re-targets on a priority change, keeping the time spent', async () => {
    const t = await newTicket('msp', 0, 'MEDIUM');
    const before = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(before.dueAt).toEqual(at(240));
    await changeTicket(db(), msp(), t.id, { compute: () => ({ priority: 'HIGH' }), now: at(45) });
    const after = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(after).toMatchObject({ status: 'RUNNING', targetMs: 60 * MIN, spentMs: 45 * MIN });
    expect(after.dueAt).toEqual(at(60));
    await changeTicket(db(), msp(), t.id, { compute: () => ({ priority: 'CRITICAL' }), now: at(50) });
    const breached = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(breached.status).toBe('BREACHED');
    expect(breached.breachedAt).toEqual(at(50));
    expect((await eventsOf(t.id)).filter((e) => e === 'SLA_BREACHED')).toHaveLength(1);
  });

  it('counts only a public comment by the obligated party as a first response', async () => {
    const t = await newTicket('msp');
    await addComment(db(), msp(), t.id, { body: 'looking', visibility: 'INTERNAL', createdAt: at(5) });
    await addComment(db(), internal(), t.id, { body: 'any news?', visibility: 'PUBLIC', createdAt: at(6) });
    let sla = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(sla.status).toBe('RUNNING');
    await addComment(db(), msp(), t.id, { body: 'on it', visibility: 'PUBLIC', createdAt: at(7) });
    sla = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(sla).toMatchObject({ status: 'MET', spentMs: 7 * MIN, nextFireAt: null });
    expect(sla.metAt).toEqual(at(7));
    expect((await eventsOf(t.id)).filter((e) => e === 'SLA_MET')).toHaveLength(1);
  });

  it('pauses in a pausing status and counts the OLA in office hours only', async () => {
    const t = await newTicket('internal', 0, 'HIGH');
    // Monday 10:00 Berlin + 8 office hours = Tuesday 10:00 Berlin.
    let ola = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.ola.id)!;
    expect(ola.dueAt).toEqual(new Date('2027-01-05T09:00:00Z'));
    await changeTicket(db(), internal(), t.id, { compute: () => ({ status: 'WAITING' }), now: at(60) });
    ola = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.ola.id)!;
    expect(ola).toMatchObject({ status: 'PAUSED', spentMs: 60 * MIN });
    await changeTicket(db(), internal(), t.id, {
      compute: () => ({ status: 'IN_PROGRESS' }),
      now: at(24 * 60),
    });
    ola = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.ola.id)!;
    // Resumed Tuesday 10:00 with 7 hours left: due Tuesday 17:00 Berlin.
    expect(ola.dueAt).toEqual(new Date('2027-01-05T16:00:00Z'));
    await changeTicket(db(), internal(), t.id, { compute: () => ({ status: 'RESOLVED' }), now: at(25 * 60) });
    ola = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.ola.id)!;
    expect(ola.status).toBe('MET');
  });

  it('warns at each threshold and breaches once, however often the timer runs', async () => {
    const t = await newTicket('msp');
    for (const minute of [10, 29, 30, 31, 45, 46, 59]) await fireDueClocks(db(), at(minute));
    expect((await eventsOf(t.id)).filter((e) => e.startsWith('SLA_'))).toEqual([
      'SLA_WARNING',
      'SLA_WARNING',
    ]);
    for (const minute of [60, 60, 61, 500]) await fireDueClocks(db(), at(minute));
    const types = (await eventsOf(t.id)).filter((e) => e.startsWith('SLA_'));
    expect(types).toEqual(['SLA_WARNING', 'SLA_WARNING', 'SLA_BREACHED']);
    const sla = (await clocksOf(db(), t.id)).find((c) => c.policyId === policies.sla.id)!;
    expect(sla).toMatchObject({ status: 'BREACHED', nextFireAt: null, warnedPercents: [50, 75] });
    expect(sla.breachedAt).toEqual(at(60));
  });

  it('keeps the ball in court as intervals: owner, WAITING, and a public answer', async () => {
    const t = await newTicket('msp');
    await changeTicket(db(), msp(), t.id, { compute: () => ({ status: 'WAITING' }), now: at(5) });
    await addComment(db(), internal(), t.id, {
      body: 'here are the logs',
      visibility: 'PUBLIC',
      createdAt: at(20),
    });
    // Moving on from WAITING after the answer changes nothing: the ball is already back.
    await changeTicket(db(), msp(), t.id, { compute: () => ({ status: 'IN_PROGRESS' }), now: at(25) });
    await handTo(t.id, 'internal', 30);
    await changeTicket(db(), internal(), t.id, { compute: () => ({ status: 'RESOLVED' }), now: at(40) });
    const intervals = await db()
      .select()
      .from(courtIntervals)
      .where(eq(courtIntervals.ticketId, t.id))
      .orderBy(asc(courtIntervals.id));
    const who = (id: string) => (id === hub.partyIds.msp ? 'msp' : 'internal');
    expect(intervals.map((i) => [who(i.partyId), i.reason, i.startedAt, i.endedAt])).toEqual([
      ['msp', 'OWNER', at(0), at(5)],
      ['internal', 'WAITING', at(5), at(20)],
      ['msp', 'OWNER', at(20), at(30)],
      ['internal', 'OWNER', at(30), at(40)],
    ]);
    expect((await eventsOf(t.id)).filter((e) => e === 'COURT_CHANGED')).toHaveLength(3);
  });
});
