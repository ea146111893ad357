/**
 * Commitments through GraphQL: validated admin mutations (nothing written on bad input), the
 * preview, Ticket.clocks and ballInCourt, and SLA events from the real clock worker reaching
 * exactly the subscribers allowed to see them (the other party never sees a confidential
 * ticket's, another engagement never sees any).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket as storeCreateTicket } from '../src/domain/ticket-store.ts';
import { availableBackends } from './support/backends.ts';
import { collect, type GqlResult, startTestHub, type TestHub } from './support/hub.ts';
import { type Customer, type CustomerSide, seedTwoCustomers } from './support/two-customers.ts';

const backends = await availableBackends();

const SAVE_CALENDAR = `mutation($input: SaveBusinessCalendarInput!) { saveBusinessCalendar(input: $input) { key timeZone roundTheClock weeklyHours { day start end } holidays } }`;
const CREATE_POLICY = `mutation($input: CommitmentPolicyInput!) { createCommitmentPolicy(input: $input) { id key kind metric obligatedParty { slug } targets { priority minutes } } }`;
const PREVIEW = `query($input: CommitmentPolicyInput!) { previewCommitmentPolicy(input: $input) { covered breached tickets { ticket { id } targetMinutes } } }`;
const LISTS = `query($e: String) { businessCalendars(engagement: $e) { key } commitmentPolicies(engagement: $e) { key } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id clocks { kind metric status targetMinutes obligatedParty { slug } dueAt breachedAt } ballInCourt { party { slug } reason since } } }`;
const EVENTS = `subscription { ticketEvents(filter: { types: [SLA_BREACHED, SLA_WARNING, SLA_MET] }) { type ticket { id } } }`;

const problems = (res: GqlResult) => (res.errors?.[0]?.extensions?.problems ?? []) as { field: string }[];

describe.each(backends)('commitments API on %s', (backend) => {
  let hub: TestHub;
  let customers: Record<Customer, CustomerSide>;
  beforeAll(async () => {
    hub = await startTestHub(backend, {}, { clockTimer: { intervalMs: 100 } });
    customers = await seedTwoCustomers(hub);
  });
  afterAll(async () => hub?.stop());

  const acmeAdmin = () => customers.acme.tokens.admin;
  const lists = async (token: string, e = 'acme') =>
    (await hub.gql<{ businessCalendars: unknown[]; commitmentPolicies: unknown[] }>(token, LISTS, { e }))
      .data!;

  it('refuses an invalid calendar naming every bad field, and writes nothing', async () => {
    const res = await hub.gql(acmeAdmin(), SAVE_CALENDAR, {
      input: {
        key: 'office',
        name: 'Office',
        timeZone: 'Mars/Olympus',
        weeklyHours: [{ day: 'MON', start: '17:00', end: '09:00' }],
        holidays: ['2027-02-30'],
      },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(problems(res).map((p) => p.field)).toEqual(
      expect.arrayContaining(['input.timeZone', 'input.hours.mon.0', 'input.holidays.0']),
    );
    expect((await lists(acmeAdmin())).businessCalendars).toEqual([]);
  });

  const policy = (over: Record<string, unknown> = {}) => ({
    key: 'msp-response',
    name: 'MSP first response',
    kind: 'SLA',
    metric: 'FIRST_RESPONSE',
    targets: [
      { priority: 'HIGH', minutes: 1 },
      { priority: 'MEDIUM', minutes: 240 },
    ],
    calendar: 'always',
    clockStart: 'ON_CREATE',
    warningPercents: [50],
    ...over,
  });

  it('refuses unknown calendars, areas and parties, and overlapping policies; writes nothing', async () => {
    const unknown = await hub.gql(acmeAdmin(), CREATE_POLICY, {
      input: policy({ calendar: 'nope', serviceAreas: ['no-such-area'], obligatedParty: 'nobody' }),
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(problems(unknown).map((p) => p.field)).toEqual(
      expect.arrayContaining(['input.calendar', 'input.serviceAreas.0', 'input.obligatedParty']),
    );
    expect(unknown.errors?.[0]?.message).toContain('no business calendar "nope"');

    const cal = await hub.gql(acmeAdmin(), SAVE_CALENDAR, {
      input: { key: 'always', name: 'Round the clock', timeZone: 'UTC', roundTheClock: true },
    });
    expect(cal.errors).toBeUndefined();
    const ok = await hub.gql<{ createCommitmentPolicy: { obligatedParty: { slug: string } } }>(
      acmeAdmin(),
      CREATE_POLICY,
      { input: policy() },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createCommitmentPolicy.obligatedParty.slug).toBe('msp');

    const overlap = await hub.gql(acmeAdmin(), CREATE_POLICY, {
      input: policy({ key: 'msp-response-high', priorities: ['HIGH'] }),
    });
    expect(overlap.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(overlap.errors?.[0]?.message).toContain('overlaps policy "msp-response"');
    const agent = await hub.gql(customers.acme.tokens.agent, CREATE_POLICY, {
      input: policy({ key: 'by-agent', kind: 'OLA' }),
    });
    expect(agent.errors?.[0]?.extensions?.code).toBeDefined();
    expect((await lists(acmeAdmin())).commitmentPolicies).toEqual([{ key: 'msp-response' }]);

    // The internal team's OLA: the same metric, another party, so no overlap.
    const ola = await hub.gql(acmeAdmin(), CREATE_POLICY, {
      input: policy({ key: 'acme-response', kind: 'OLA' }),
    });
    expect(ola.errors).toBeUndefined();
    // Another engagement sees none of it.
    expect(await lists(customers.globex.tokens.admin, 'globex')).toEqual({
      businessCalendars: [],
      commitmentPolicies: [],
    });
  });

  it('previews a policy against open tickets without writing it', async () => {
    const acme = customers.acme;
    const actor = {
      partyId: acme.partyId,
      engagementIds: [acme.engagementId],
      name: 'acme agent',
      source: 'API',
    };
    const { ticket } = await storeCreateTicket(hub.database.db, actor, {
      engagementId: acme.engagementId,
      title: 'an old one',
      priority: 'MEDIUM',
      ownerPartyId: acme.partyId,
      createdAt: new Date(Date.now() - 5 * 3600_000),
    });
    const res = await hub.gql<{
      previewCommitmentPolicy: {
        covered: number;
        breached: number;
        tickets: { ticket: { id: string }; targetMinutes: number }[];
      };
    }>(acmeAdmin(), PREVIEW, {
      input: policy({ key: 'preview-only', kind: 'OLA', metric: 'RESOLUTION' }),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.previewCommitmentPolicy).toEqual({
      covered: 1,
      breached: 1,
      tickets: [{ ticket: { id: encodeTicket(ticket.id) }, targetMinutes: 240 }],
    });
    const lapse = await hub.gql(acmeAdmin(), PREVIEW, { input: policy({ key: 'dup' }) });
    expect(lapse.errors?.[0]?.message).toContain('overlaps');
    expect((await lists(acmeAdmin())).commitmentPolicies).toHaveLength(2);
  });

  it('announces breaches once, to exactly the parties that may see the ticket', async () => {
    const db = hub.database.db;
    const acme = customers.acme;
    const actor = {
      partyId: acme.partyId,
      engagementIds: [acme.engagementId],
      name: 'acme agent',
      source: 'API',
    };
    const subs = {
      msp: collect<{ ticketEvents: { type: string; ticket: { id: string } } }>(
        hub,
        hub.ws(hub.tokens.mspAgent),
        EVENTS,
      ),
      acme: collect<{ ticketEvents: { type: string; ticket: { id: string } } }>(
        hub,
        hub.ws(acme.tokens.agent),
        EVENTS,
      ),
      globex: collect<{ ticketEvents: { type: string; ticket: { id: string } } }>(
        hub,
        hub.ws(customers.globex.tokens.agent),
        EVENTS,
      ),
    };
    await Promise.all(Object.values(subs).map((s) => s.ready));
    // One-minute targets, created 58 s ago: due within two seconds, past the 50% warning already.
    const createdAt = new Date(Date.now() - 58_000);
    const base = { engagementId: acme.engagementId, priority: 'HIGH' as const, createdAt };
    const shared = await storeCreateTicket(db, actor, {
      ...base,
      title: 'shared with the MSP',
      ownerPartyId: hub.partyIds.msp,
    });
    const secret = await storeCreateTicket(db, actor, {
      ...base,
      title: 'confidential',
      ownerPartyId: acme.partyId,
      confidential: true,
    });
    // Only this test's two tickets: clocks of tickets from earlier tests may come due meanwhile.
    const mine = new Set([shared.ticket.id, secret.ticket.id].map(encodeTicket));
    const breaches = (s: (typeof subs)['msp']) =>
      s.items.filter((i) => i.ticketEvents.type === 'SLA_BREACHED' && mine.has(i.ticketEvents.ticket.id));
    const deadline = Date.now() + 15_000;
    while ((breaches(subs.acme).length < 4 || breaches(subs.msp).length < 2) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(breaches(subs.acme)).toHaveLength(4);
    expect(breaches(subs.msp).map((i) => i.ticketEvents.ticket.id)).toEqual(
      [shared.ticket.id, shared.ticket.id].map(encodeTicket),
    );
    expect(subs.msp.items.some((i) => i.ticketEvents.ticket.id === encodeTicket(secret.ticket.id))).toBe(
      false,
    );
    expect(subs.globex.items).toEqual([]);
    // Exactly once across the whole database too: no clock ever has two breach events.
    const twice = await db.execute(
      sql`select clock_id from ticket_events where type = 'SLA_BREACHED' group by clock_id having count(*) > 1`,
    );
    expect((twice as unknown as { rows: unknown[] }).rows).toEqual([]);

    const seen = await hub.gql<{
      ticket: {
        clocks: { kind: string; status: string }[];
        ballInCourt: { party: { slug: string }; reason: string };
      } | null;
    }>(hub.tokens.mspAgent, TICKET, { id: encodeTicket(shared.ticket.id) });
    expect(seen.data!.ticket!.clocks.map((c) => [c.kind, c.status]).sort()).toEqual([
      ['OLA', 'BREACHED'],
      ['SLA', 'BREACHED'],
    ]);
    expect(seen.data!.ticket!.ballInCourt).toMatchObject({ party: { slug: 'msp' }, reason: 'OWNER' });
    for (const token of [hub.tokens.mspAgent, customers.globex.tokens.agent]) {
      const hidden = await hub.gql<{ ticket: unknown }>(token, TICKET, {
        id: encodeTicket(secret.ticket.id),
      });
      expect(hidden.data!.ticket).toBeNull();
    }
    const other = await hub.gql<{ ticket: unknown }>(customers.globex.tokens.agent, TICKET, {
      id: encodeTicket(shared.ticket.id),
    });
    expect(other.data!.ticket).toBeNull();
  });

  it('filters tickets by breached, at risk and court party', async () => {
    const acme = customers.acme;
    const actor = {
      partyId: acme.partyId,
      engagementIds: [acme.engagementId],
      name: 'acme agent',
      source: 'API',
    };
    const soon = await storeCreateTicket(hub.database.db, actor, {
      engagementId: acme.engagementId,
      title: 'due in four hours',
      priority: 'MEDIUM',
      ownerPartyId: hub.partyIds.msp,
    });
    const LIST = `query($filter: TicketFilter) { tickets(filter: $filter, first: 50) { edges { node { id } } } }`;
    const ids = async (token: string, filter: Record<string, unknown>) => {
      const res = await hub.gql<{ tickets: { edges: { node: { id: string } }[] } }>(token, LIST, { filter });
      expect(res.errors).toBeUndefined();
      return res.data!.tickets.edges.map((e) => e.node.id).sort();
    };
    const breachedForMsp = await ids(hub.tokens.mspAgent, { breached: true, engagement: ['acme'] });
    expect(breachedForMsp).toHaveLength(1);
    expect(await ids(hub.tokens.mspAgent, { atRiskWithinMinutes: 300, engagement: ['acme'] })).toContain(
      encodeTicket(soon.ticket.id),
    );
    expect(await ids(hub.tokens.mspAgent, { atRiskWithinMinutes: 60, engagement: ['acme'] })).not.toContain(
      encodeTicket(soon.ticket.id),
    );
    expect(await ids(acme.tokens.agent, { courtParty: 'msp' })).toContain(encodeTicket(soon.ticket.id));
    expect(await ids(acme.tokens.agent, { courtParty: 'acme-it', breached: false })).not.toContain(
      encodeTicket(soon.ticket.id),
    );
    const bad = await hub.gql(hub.tokens.mspAgent, LIST, { filter: { atRiskWithinMinutes: 0 } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

function encodeTicket(id: string): string {
  return Buffer.from(`Ticket:${id}`).toString('base64url');
}
