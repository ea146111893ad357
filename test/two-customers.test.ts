import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../src/db/schema/index.ts';
import type { SyncEngine } from '../src/sync/engine.ts';
import { availableBackends } from './support/backends.ts';
import { type CustomersHub, startCustomersHub } from './support/customers-hub.ts';

const backends = await availableBackends();

/**
 * The demo's set-up under test: two customers on one ConnectWise (several client companies on its
 * boards), each with its own helpdesk and its own matrix. Tickets are routed by area; a board move
 * in ConnectWise re-routes; neither customer's team sees the other's.
 */
describe.each(backends)('two customers on one ConnectWise, routed by area, on %s', (backend) => {
  let hub: CustomersHub;
  let engine!: SyncEngine;
  let cw: CustomersHub['cw'];
  const tokens: Record<string, string> = {};
  const cwIds: Record<string, number> = {};

  const hubTicket = async (cwId: number) => {
    const rows = await hub.database.db.execute(
      `select t.*, p.slug as owner from tickets t join ticket_links l on l.ticket_id = t.id join parties p on p.id = t.owner_party_id
       where l.connection_id = 'msp-connectwise' and l.external_id = '${cwId}'`,
    );
    return (rows as unknown as { rows: Record<string, unknown>[] }).rows[0];
  };

  beforeAll(async () => {
    hub = await startCustomersHub(backend);
    engine = hub.engine;
    cw = hub.cw;
    for (const slug of ['contoso-it', 'fabrikam-it', 'msp']) tokens[slug] = await hub.token(slug, 'ADMIN');
    const seed = (key: string, company: string, board: string, type?: string) => {
      cwIds[key] = (
        cw.seedTicket({ summary: key, company, board, ...(type ? { type } : {}) }) as { id: number }
      ).id;
    };
    seed('contoso-desk', 'Contoso', 'Help Desk', 'Incident');
    seed('contoso-net', 'Contoso', 'Network Operations');
    seed('contoso-problem', 'Contoso', 'Help Desk', 'Problem');
    seed('fabrikam-desk', 'Fabrikam', 'Help Desk', 'Incident');
    seed('fabrikam-net', 'Fabrikam', 'Network Operations');
    seed('northwind-desk', 'Northwind', 'Help Desk');
    await engine.pullNow('msp-connectwise');
    await engine.drain();
  });
  afterAll(async () => hub?.stop());

  it("routes each pulled ticket to the party its customer's matrix names for its area", async () => {
    const expectations: [string, string, string, string][] = [
      ['contoso-desk', 'contoso', 'helpdesk-t1', 'contoso-it'],
      ['contoso-net', 'contoso', 'network', 'msp'],
      ['contoso-problem', 'contoso', 'monitoring', 'msp'],
      ['fabrikam-desk', 'fabrikam', 'helpdesk-t1', 'msp'],
      ['fabrikam-net', 'fabrikam', 'network', 'fabrikam-it'],
    ];
    for (const [key, _engagement, area, owner] of expectations) {
      const t = await hubTicket(cwIds[key]!);
      expect(t, key).toMatchObject({
        service_area: area,
        owner,
        routing_reason: 'ROUTING_RULE',
        unrouted: false,
      });
    }
    expect(await hubTicket(cwIds['northwind-desk']!)).toBeUndefined();
  });

  it('re-routes when a ticket moves board in ConnectWise', async () => {
    cw.updateTicket(cwIds['contoso-desk']!, { board: 'Network Operations' });
    await engine.pullNow('msp-connectwise');
    await engine.drain();
    const t = await hubTicket(cwIds['contoso-desk']!);
    expect(t).toMatchObject({ service_area: 'network', owner: 'msp', routing_reason: 'ROUTING_RULE' });
    const events = await hub.database.db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, String(t!.id)));
    const last = events.filter((e) => e.type === 'REASSIGNED').at(-1)!;
    expect(last).toMatchObject({ routingReason: 'ROUTING_RULE', actorName: 'routing' });
  });

  it("delivers each customer's tickets to its own helpdesk only", async () => {
    await engine.drain();
    const rows = await hub.database.db.execute(
      `select e.slug as engagement, l.connection_id as connection, count(*)::int as n
       from ticket_links l join tickets t on t.id = l.ticket_id join engagements e on e.id = t.engagement_id
       where l.connection_id <> 'msp-connectwise' group by 1, 2 order by 1, 2`,
    );
    const links = (rows as unknown as { rows: { engagement: string; connection: string; n: number }[] }).rows;
    // The tickets routed to a customer's own team reach that team's tool, and no other.
    expect(links.map((l) => [l.engagement, l.connection])).toEqual([
      ['contoso', 'contoso-rt'],
      ['fabrikam', 'fabrikam-zendesk'],
    ]);
  });

  it('shows each customer only its own matrix, areas, previews and tickets', async () => {
    const q = (token: string, query: string) => hub.gql<Record<string, unknown>>(token, query);
    for (const [own, other] of [
      ['contoso', 'fabrikam'],
      ['fabrikam', 'contoso'],
    ] as const) {
      const token = tokens[`${own}-it`]!;
      const mine = await q(
        token,
        '{ responsibilityMatrix { engagementSlug areas { serviceArea { key } } } }',
      );
      expect(mine.data?.responsibilityMatrix).toMatchObject({ engagementSlug: own });
      for (const query of [
        `{ responsibilityMatrix(engagement: "${other}") { today } }`,
        `{ serviceAreas(engagement: "${other}") { key } }`,
        `{ routingPreview(input: { engagement: "${other}", serviceArea: "network" }) { explanation } }`,
      ]) {
        const res = await q(token, query);
        expect(res.errors?.[0]?.extensions?.code, query).toBe('NOT_FOUND');
        expect(JSON.stringify(res.errors)).not.toContain(
          other === 'contoso' ? 'Contoso Ltd' : 'Fabrikam Inc',
        );
      }
      const list = await hub.gql<{ tickets: { edges: { node: { key: string; title: string } }[] } }>(
        token,
        '{ tickets(first: 50) { edges { node { key title } } } }',
      );
      const prefix = own === 'contoso' ? 'CON-' : 'FAB-';
      for (const { node } of list.data!.tickets.edges) {
        expect(node.key.startsWith(prefix), node.key).toBe(true);
        expect(node.title.startsWith(own)).toBe(true);
      }
    }
    // The MSP switches between both.
    const msp = await q(
      tokens.msp!,
      '{ a: responsibilityMatrix(engagement: "contoso") { engagementSlug } b: responsibilityMatrix(engagement: "fabrikam") { engagementSlug } }',
    );
    expect(msp.data).toEqual({ a: { engagementSlug: 'contoso' }, b: { engagementSlug: 'fabrikam' } });
    const all = await hub.database.db.select().from(tickets);
    expect(all.length).toBeGreaterThan(0);
  });
});
