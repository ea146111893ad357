import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engagements, parties, ticketEvents } from '../src/db/schema/index.ts';
import { DEFAULT_ENGAGEMENT } from '../src/domain/engagements.ts';
import { createTicket as createInStore } from '../src/domain/ticket-store.ts';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { mutate } from './support/ops.ts';

const backends = await availableBackends();

const TICKET = `id key serviceArea ownerParty { slug } shared version
  routing { reason unrouted rule { id serviceArea responsibleParty { slug } } }`;
interface Routed {
  id: string;
  key: string;
  serviceArea: string | null;
  ownerParty: { slug: string };
  version: number;
  shared: boolean;
  routing: { reason: string | null; unrouted: boolean; rule: { id: string; serviceArea: string } | null };
}

const today = new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(backends)('routing by the responsibility matrix on %s', (backend) => {
  let hub: TestHub;
  let admin: string;
  let agent: string;
  const rules: Record<string, string> = {};

  const create = async (input: Record<string, unknown>) =>
    (
      await mutate<{ createTicket: { ticket: Routed } }>(
        hub,
        agent,
        `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { ${TICKET} } } }`,
        { input },
      )
    ).createTicket.ticket;
  const addRule = async (name: string, input: Record<string, unknown>) => {
    const data = await mutate<{ createRoutingRule: { rule: { id: string } } }>(
      hub,
      admin,
      'mutation($input: RoutingRuleInput!) { createRoutingRule(input: $input) { rule { id } gaps { serviceArea } } }',
      { input },
    );
    rules[name] = Buffer.from(data.createRoutingRule.rule.id, 'base64url')
      .toString()
      .replace('RoutingRule:', '');
  };

  beforeAll(async () => {
    hub = await startTestHub(backend);
    admin = hub.tokens.internalAdmin;
    agent = hub.tokens.internalAgent;
    for (const [key, name] of [
      ['helpdesk-t1', 'Helpdesk tier 1'],
      ['monitoring', 'Monitoring'],
      ['network', 'Network'],
      ['backup', 'Backup'],
    ]) {
      await mutate(
        hub,
        admin,
        'mutation($input: CreateServiceAreaInput!) { createServiceArea(input: $input) { key } }',
        {
          input: { key, name },
        },
      );
    }
    // The phased hand-over: tier 1 stays internal until today, and moves to the MSP from today.
    await addRule('hdBefore', {
      serviceArea: 'helpdesk-t1',
      responsibleParty: 'internal',
      effectiveTo: today,
    });
    await addRule('hdAfter', {
      serviceArea: 'helpdesk-t1',
      responsibleParty: 'msp',
      accountableParty: 'internal',
      informedParties: ['internal'],
      effectiveFrom: today,
    });
    await addRule('monitoring', { serviceArea: 'monitoring', responsibleParty: 'msp' });
    await addRule('network', { serviceArea: 'network', responsibleParty: 'internal' });
    await addRule('networkCritical', {
      serviceArea: 'network',
      responsibleParty: 'msp',
      priorities: ['CRITICAL'],
      precedence: 10,
    });
  });
  afterAll(async () => hub?.stop());

  it('lands a new ticket in each area with the party the matrix names', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ serviceArea: 'monitoring' }, 'msp', 'monitoring'],
      [{ serviceArea: 'network' }, 'internal', 'network'],
      [{ serviceArea: 'network', priority: 'CRITICAL' }, 'msp', 'networkCritical'],
      [{ serviceArea: 'helpdesk-t1' }, 'msp', 'hdAfter'],
    ];
    for (const [input, owner, rule] of cases) {
      const t = await create({ title: `in ${input.serviceArea}`, ...input });
      expect(t.ownerParty.slug, JSON.stringify(input)).toBe(owner);
      expect(t.routing).toMatchObject({ reason: 'ROUTING_RULE', unrouted: false });
      expect(Buffer.from(t.routing.rule!.id, 'base64url').toString()).toBe(`RoutingRule:${rules[rule]}`);
      expect(t.shared).toBe(owner !== 'internal');
    }
  });

  it('records the hand-off as a REASSIGNED event with the reason and the rule', async () => {
    const t = await create({ title: 'disk alert', serviceArea: 'monitoring' });
    const res = await hub.gql<{ ticket: { history: { edges: { node: Record<string, unknown> }[] } } }>(
      admin,
      'query($id: ID!) { ticket(id: $id) { history(first: 10) { edges { node { type routingReason routingRuleId actorName changes { field to } } } } } }',
      { id: t.id },
    );
    const events = res.data!.ticket.history.edges.map((e) => e.node);
    const reassigned = events.find((e) => e.type === 'REASSIGNED')!;
    expect(reassigned).toMatchObject({ routingReason: 'ROUTING_RULE', actorName: 'routing' });
    expect(Buffer.from(String(reassigned.routingRuleId), 'base64url').toString()).toBe(
      `RoutingRule:${rules.monitoring}`,
    );
    // The routing marks ride on the hand-off they explain, not in an update of their own.
    const fields = (e: Record<string, unknown>) => (e.changes as { field: string }[]).map((c) => c.field);
    expect(fields(reassigned)).toEqual(
      expect.arrayContaining(['ownerPartyId', 'routingRuleId', 'routingReason']),
    );
    for (const e of events.filter((x) => x.type === 'UPDATED'))
      expect(fields(e)).not.toContain('routingRuleId');
  });

  it('applies a phase change on its date: before it the old rule, from it the new one', async () => {
    const { db } = hub.database;
    const [engagement] = await db
      .select()
      .from(engagements)
      .where(eq(engagements.slug, DEFAULT_ENGAGEMENT.slug));
    const actor = {
      partyId: hub.partyIds.internal,
      engagementIds: [engagement!.id],
      name: 'tool',
      source: 'API',
    };
    const open = async (createdAt: Date) =>
      (
        await createInStore(db, actor, {
          engagementId: engagement!.id,
          title: 'password reset',
          ownerPartyId: hub.partyIds.internal,
          serviceArea: 'helpdesk-t1',
          createdAt,
        })
      ).ticket;
    const yesterday = await open(new Date(Date.now() - 86_400_000));
    const now = await open(new Date());
    expect(yesterday.ownerPartyId).toBe(hub.partyIds.internal);
    expect(yesterday.routingRuleId).toBe(rules.hdBefore);
    expect(now.ownerPartyId).toBe(hub.partyIds.msp);
    expect(now.routingRuleId).toBe(rules.hdAfter);

    const preview = async (at: string) =>
      (
        await hub.gql<{ routingPreview: { responsibleParty: { slug: string }; explanation: string } }>(
          agent,
          'query($input: RoutingPreviewInput!) { routingPreview(input: $input) { responsibleParty { slug } explanation } }',
          { input: { serviceArea: 'helpdesk-t1', at } },
        )
      ).data!.routingPreview;
    expect((await preview(`${dayOffset(-1)}T12:00:00Z`)).responsibleParty.slug).toBe('internal');
    const after = await preview(`${dayOffset(30)}T12:00:00Z`);
    expect(after.responsibleParty.slug).toBe('msp');
    expect(after.explanation).toContain(rules.hdAfter);
  });

  it('re-routes when the area changes, unless a person handed the ticket off', async () => {
    const t = await create({ title: 'switch port', serviceArea: 'network' });
    expect(t.ownerParty.slug).toBe('internal');
    const moved = (
      await mutate<{ updateTicket: { ticket: Routed } }>(
        hub,
        agent,
        `mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { ticket { ${TICKET} } } }`,
        { input: { id: t.id, expectedVersion: t.version, serviceArea: 'monitoring' } },
      )
    ).updateTicket.ticket;
    expect(moved.ownerParty.slug).toBe('msp');
    expect(moved.routing.reason).toBe('ROUTING_RULE');

    // The MSP hands it back by hand: that sticks, even when the area moves again.
    const back = (
      await mutate<{ assignTicket: { ticket: Routed } }>(
        hub,
        hub.tokens.mspAgent,
        `mutation($input: AssignTicketInput!) { assignTicket(input: $input) { ticket { ${TICKET} } } }`,
        { input: { id: t.id, ownerParty: 'internal', reason: 'ESCALATION' } },
      )
    ).assignTicket.ticket;
    expect(back.ownerParty.slug).toBe('internal');
    expect(back.routing).toMatchObject({ reason: 'ESCALATION', rule: null });
    const again = (
      await mutate<{ updateTicket: { ticket: Routed } }>(
        hub,
        agent,
        `mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { ticket { ${TICKET} } } }`,
        { input: { id: t.id, expectedVersion: back.version, serviceArea: 'monitoring' } },
      )
    ).updateTicket.ticket;
    expect(again.serviceArea).toBe('monitoring');
    expect(again.ownerParty.slug).toBe('internal');
    expect(again.routing.reason).toBe('ESCALATION');
  });

  it('keeps an owner chosen at creation (a manual hand-off)', async () => {
    const t = await create({ title: 'vpn', serviceArea: 'network', ownerParty: 'msp' });
    expect(t.ownerParty.slug).toBe('msp');
    expect(t.routing).toMatchObject({ reason: 'MANUAL', unrouted: false });
  });

  it('flags a ticket no rule covers as UNROUTED, and both admins see the count', async () => {
    const t = await create({ title: 'tape library', serviceArea: 'backup' });
    expect(t.ownerParty.slug).toBe('internal');
    expect(t.routing).toMatchObject({ reason: null, unrouted: true, rule: null });
    const list = await hub.gql<{ tickets: { edges: { node: { key: string } }[] } }>(
      agent,
      '{ tickets(filter: { unrouted: true }) { edges { node { key } } } }',
    );
    expect(list.data!.tickets.edges.map((e) => e.node.key)).toEqual([t.key]);
    const matrixQuery = `{ responsibilityMatrix { today unrouted { party { slug } count } gaps { serviceArea tickets }
      areas { serviceArea { key } now { responsibleParty { slug } } nextChangeOn next { responsibleParty { slug } } } } }`;
    for (const token of [admin, hub.tokens.mspAgent]) {
      const m = await hub.gql<{ responsibilityMatrix: Record<string, unknown> }>(token, matrixQuery);
      expect(m.errors).toBeUndefined();
      expect(m.data!.responsibilityMatrix).toMatchObject({
        unrouted: [{ party: { slug: 'internal' }, count: 1 }],
        gaps: [{ serviceArea: 'backup', tickets: 'every ticket' }],
      });
    }
    // Covering the area and moving the ticket routes it.
    await addRule('backup', { serviceArea: 'backup', responsibleParty: 'msp' });
    const reroute = await hub.gql<{ rerouteTicket: { ticket: Routed } }>(
      agent,
      `mutation($id: ID!) { rerouteTicket(id: $id) { ticket { ${TICKET} } } }`,
      { id: t.id },
    );
    expect(reroute.data?.rerouteTicket.ticket).toMatchObject({
      ownerParty: { slug: 'msp' },
      routing: { unrouted: false },
    });
  });

  it('shows the matrix with the next phase change', async () => {
    await addRule('monitoringLater', {
      serviceArea: 'monitoring',
      responsibleParty: 'internal',
      effectiveFrom: dayOffset(60),
      precedence: 50,
    });
    const m = await hub.gql<{
      responsibilityMatrix: {
        areas: {
          serviceArea: { key: string };
          nextChangeOn: string | null;
          next: { responsibleParty: { slug: string } }[];
        }[];
      };
    }>(
      admin,
      '{ responsibilityMatrix { areas { serviceArea { key } nextChangeOn next { responsibleParty { slug } } } } }',
    );
    const monitoring = m.data!.responsibilityMatrix.areas.find((a) => a.serviceArea.key === 'monitoring')!;
    expect(monitoring.nextChangeOn).toBe(dayOffset(60));
    expect(monitoring.next.map((r) => r.responsibleParty.slug)).toEqual(['internal', 'msp']);
  });

  describe('bad input: clear errors, nothing written', () => {
    const ruleCount = async () =>
      (
        (await hub.database.db.execute(sql`select count(*)::int as n from routing_rules`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]!.n;
    const refused = async (input: Record<string, unknown>, field: string, message: RegExp) => {
      const before = await ruleCount();
      const res = await hub.gql(
        admin,
        'mutation($input: RoutingRuleInput!) { createRoutingRule(input: $input) { rule { id } } }',
        { input },
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0]?.message).toMatch(message);
      expect(await ruleCount()).toBe(before);
    };

    it('refuses overlapping rules', () =>
      refused(
        { serviceArea: 'network', responsibleParty: 'msp', effectiveFrom: dayOffset(10) },
        'input.precedence',
        /overlaps rule/,
      ));

    it('refuses an unknown area', () =>
      refused(
        { serviceArea: 'payroll', responsibleParty: 'msp' },
        'input.serviceArea',
        /unknown service area "payroll"/,
      ));

    it('refuses a rule naming a party outside the engagement', async () => {
      await hub.database.db
        .insert(parties)
        .values({ slug: 'globex-it', name: 'Globex IT', kind: 'INTERNAL' });
      await refused(
        { serviceArea: 'backup', category: 'Tape', responsibleParty: 'globex-it' },
        'input.responsibleParty',
        /outside engagement/,
      );
    });

    it('refuses a map to an unknown board or area', async () => {
      await hub.database.db.execute(
        sql`insert into connections (id, party_id, connector, name, settings, engagement_id)
            values ('msp-cw', ${hub.partyIds.msp}, 'connectwise', 'CW', ${JSON.stringify({ board: 'Help Desk' })}::jsonb,
              (select id from engagements where slug = 'default'))`,
      );
      const setMap = (queues: { toolValue: string; serviceArea: string }[]) =>
        hub.gql(
          hub.tokens.internalAdmin,
          'mutation($input: SetConnectionAreaMapInput!) { setConnectionAreaMap(input: $input) { connectionId } }',
          { input: { connectionId: 'msp-cw', queues } },
        );
      const mspAdmin = await import('../src/auth/tokens.ts').then((m) =>
        m.createApiToken(hub.database.db, { partyId: hub.partyIds.msp, role: 'ADMIN', name: 'msp admin' }),
      );
      const asMsp = (queues: { toolValue: string; serviceArea: string }[]) =>
        hub.gql(
          mspAdmin.token,
          'mutation($input: SetConnectionAreaMapInput!) { setConnectionAreaMap(input: $input) { connectionId queues { toolValue serviceArea } } }',
          { input: { connectionId: 'msp-cw', queues } },
        );
      expect(
        (await setMap([{ toolValue: 'Help Desk', serviceArea: 'helpdesk-t1' }])).errors?.[0]?.extensions
          ?.code,
      ).toBe('NOT_FOUND');
      const board = await asMsp([{ toolValue: 'Nowhere', serviceArea: 'network' }]);
      expect(board.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.queues[0].toolValue',
      });
      expect(board.errors?.[0]?.message).toMatch(/unknown board or queue "Nowhere"/);
      const area = await asMsp([{ toolValue: 'Help Desk', serviceArea: 'payroll' }]);
      expect(area.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.queues[0].serviceArea',
      });
      const stored = await hub.database.db.execute(sql`select count(*)::int as n from connection_area_maps`);
      expect((stored as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
      const ok = await asMsp([{ toolValue: 'Help Desk', serviceArea: 'helpdesk-t1' }]);
      expect(ok.errors).toBeUndefined();
    });

    it('refuses a ticket in an area the catalogue does not have', async () => {
      const res = await hub.gql(
        agent,
        'mutation { createTicket(input: { title: "x", serviceArea: "payroll" }) { ticket { id } } }',
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.serviceArea',
      });
    });

    it('does not let a REASSIGNED event be forged as ROUTING_RULE', async () => {
      const t = await create({ title: 'forge', serviceArea: 'network' });
      const res = await hub.gql(
        agent,
        'mutation($id: ID!) { assignTicket(input: { id: $id, ownerParty: "msp", reason: ROUTING_RULE }) { ticket { id } } }',
        {
          id: t.id,
        },
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
      const events = await hub.database.db
        .select()
        .from(ticketEvents)
        .where(eq(ticketEvents.routingReason, 'ROUTING_RULE'));
      expect(events.every((e) => e.actorName === 'routing')).toBe(true);
    });
  });
});
