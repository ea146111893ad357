/**
 * Two engagements on one ConnectWise (several client companies on one board) plus two helpdesks,
 * one per customer (#10). The MSP's one PSA connection maps companies to engagements; a third
 * company is mapped to nobody. Its records are never stored, linked or written to, and are
 * counted in the connection's health; no delivery crosses from one customer to the other.
 *
 * The PSA connector here is ConnectWise with its server-side company filter switched off (as a
 * tool without one would behave), so the engine's own drop is what is tested: the connector's
 * filter is tested in connectors/connectwise/scope.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectWiseSimulator,
  createConnectWiseSimulator,
} from '../connectors/connectwise/simulator.ts';
import { createApiToken } from '../src/auth/tokens.ts';
import type { Connector } from '../src/connector-kit/contract.ts';
import type { VendorDriver } from '../src/connector-kit/driver.ts';
import { createHttpFactory } from '../src/connector-kit/http.ts';
import { CONNECTORS } from '../src/connectors.ts';
import { createLogger } from '../src/logger.ts';
import { parseConnections } from '../src/sync/connections-file.ts';
import { SyncEngine } from '../src/sync/engine.ts';
import { availableBackends } from './support/backends.ts';
import { loadDriver } from './support/drivers.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { createTicket } from './support/ops.ts';
import {
  type Customer,
  type CustomerSide,
  createCustomerEngagements,
  seedTwoCustomers,
} from './support/two-customers.ts';

const backend = (await availableBackends())[0]!;
const DESKS: Record<Customer, string> = { acme: 'request-tracker', globex: 'zendesk' };
const COMPANY: Record<Customer, string> = { acme: 'Contoso', globex: 'Fabrikam' };

/** ConnectWise reading every company whatever the scope: the engine must drop the strangers. */
const unfilteredCw = (cw: Connector<unknown>): Connector<unknown> => ({
  ...cw,
  pullTickets: (ctx, cursor) => cw.pullTickets({ ...ctx, scopeKeys: null }, cursor),
});

describe(`two customers on one ConnectWise plus two helpdesks (${backend})`, () => {
  let hub: TestHub;
  let engine: SyncEngine;
  let cw: ConnectWiseSimulator;
  const desks = {} as Record<Customer, VendorDriver>;
  let side: Record<Customer, CustomerSide>;
  const hubTickets = {} as Record<Customer, string[]>;

  const settle = async () => {
    for (let round = 0; round < 60; round++) {
      await cw.flushCallbacks();
      for (const d of Object.values(desks)) await d.flushWebhooks?.();
      await engine.drain();
      await hub.app.dispatcher.idle();
      const left = await hub.database.db.execute(
        "select (select count(*) from sync_outbox where state = 'pending') + (select count(*) from inbound_queue) as n",
      );
      if (Number((left as unknown as { rows: { n: string }[] }).rows[0]?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('sync did not settle');
  };
  const pullAll = async () => {
    await settle();
    for (const id of ['msp-cw', 'acme-desk', 'globex-desk']) await engine.pullNow(id);
    await settle();
  };

  beforeAll(async () => {
    cw = await createConnectWiseSimulator();
    for (const c of ['acme', 'globex'] as const) {
      const factory = await loadDriver(DESKS[c]);
      if (typeof factory === 'string') throw new Error(factory);
      desks[c] = await factory();
    }
    // Already in ConnectWise before the hub connects: one ticket per company, Northwind's unmapped.
    cw.seedTicket({ summary: 'contoso printer jam', company: 'Contoso' });
    cw.seedTicket({ summary: 'fabrikam vpn down', company: 'Fabrikam' });
    cw.seedTicket({ summary: 'northwind core switch', company: 'Northwind' });

    const env: Record<string, string> = {};
    const { privateKey, ...cwSettings } = cw.connectorConfig({ pageSize: 50 });
    env.CW_KEY = privateKey;
    const desk = (c: Customer) => {
      const settings: Record<string, unknown> = { ...desks[c].settings };
      for (const [field, value] of Object.entries(desks[c].secrets)) {
        env[`${c}_${field}`.toUpperCase()] = value;
        settings[field] = { env: `${c}_${field}`.toUpperCase() };
      }
      return {
        id: `${c}-desk`,
        connector: desks[c].connector,
        party: `${c}-it`,
        engagement: c,
        sharing: { all: true },
        settings,
        pollIntervalSeconds: 3600,
      };
    };
    const log = createLogger(process.env.HUB_TEST_LOG ?? 'silent');
    const http = createHttpFactory({ baseDelayMs: 5, maxDelayMs: 50, log });
    hub = await startTestHub(
      backend,
      {},
      {
        sync: async (database) => {
          await createCustomerEngagements(database.db);
          const definitions = parseConnections(
            {
              connections: [
                {
                  id: 'msp-cw',
                  connector: 'connectwise',
                  party: 'msp',
                  engagements: { [COMPANY.acme]: 'acme', [COMPANY.globex]: 'globex' },
                  settings: { ...cwSettings, privateKey: { env: 'CW_KEY' } },
                  pollIntervalSeconds: 3600,
                },
                desk('acme'),
                desk('globex'),
              ],
            },
            {
              ...CONNECTORS,
              connectwise: unfilteredCw(CONNECTORS.connectwise as Connector<unknown>),
            } as never,
            env,
          );
          engine = new SyncEngine({
            database,
            definitions,
            log,
            autoPoll: false,
            deliveryLeaseMs: 1500,
            http,
          });
          await engine.init();
          return engine;
        },
      },
    );
    side = await seedTwoCustomers(hub);
    const origin = new URL(hub.url).origin;
    cw.addCallback(`${origin}/webhooks/msp-cw`);
    for (const c of ['acme', 'globex'] as const)
      await desks[c].connectWebhook?.(`${origin}/webhooks/${c}-desk`);
    await pullAll();

    // Each customer hands a ticket to the MSP and keeps one; both are mirrored to its own desk.
    for (const c of ['acme', 'globex'] as const) {
      hubTickets[c] = [
        (await createTicket(hub, side[c].tokens.agent, { title: `${c}: handed to msp`, ownerParty: 'msp' }))
          .id,
        (await createTicket(hub, side[c].tokens.agent, { title: `${c}: kept in house` })).id,
      ];
    }
    await pullAll();
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await cw?.close();
    for (const d of Object.values(desks)) await d.close();
  });

  const rawId = (gid: string) => Buffer.from(gid, 'base64url').toString().split(':')[1]!;

  it('stores what ConnectWise holds for each mapped company under its engagement, and Northwind nowhere', async () => {
    const rows = (await hub.database.db.execute(
      `select t.title, e.slug from tickets t join engagements e on e.id = t.engagement_id order by t.title`,
    )) as unknown as { rows: { title: string; slug: string }[] };
    const byTitle = Object.fromEntries(rows.rows.map((r) => [r.title, r.slug]));
    expect(byTitle['contoso printer jam']).toBe('acme');
    expect(byTitle['fabrikam vpn down']).toBe('globex');
    expect(Object.keys(byTitle).some((t) => t.includes('northwind'))).toBe(false);
    const northwind = cw
      .listTickets()
      .find((t) => (t as { summary?: string }).summary === 'northwind core switch') as {
      id: number;
    };
    const links = (await hub.database.db.execute(
      `select count(*)::int as n from ticket_links where connection_id = 'msp-cw' and external_id = '${northwind.id}'`,
    )) as unknown as { rows: { n: number }[] };
    expect(links.rows[0]!.n).toBe(0);
  });

  it("counts the dropped records in the connection's health, naming the company to the MSP only", async () => {
    const q =
      '{ syncConnections { id engagements { slug } health { outOfScopeRecords outOfScopeLastKey } } }';
    const msp = await hub.gql<{
      syncConnections: {
        id: string;
        engagements: { slug: string }[];
        health: { outOfScopeRecords: number; outOfScopeLastKey: string | null };
      }[];
    }>(side.acme.mspOnly, q);
    // The MSP's limited agent token is not an admin: ask with an MSP admin.
    expect(msp.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = (
      await createApiToken(hub.database.db, { partyId: hub.partyIds.msp, role: 'ADMIN', name: 'msp admin' })
    ).token;
    const seen = await hub.gql<{
      syncConnections: {
        id: string;
        engagements: { slug: string }[];
        health: { outOfScopeRecords: number; outOfScopeLastKey: string | null };
      }[];
    }>(admin, q);
    const cwHealth = seen.data!.syncConnections.find((c) => c.id === 'msp-cw')!;
    expect(cwHealth.health.outOfScopeRecords).toBeGreaterThanOrEqual(1);
    expect(cwHealth.health.outOfScopeLastKey).toBe('Northwind');
    expect(cwHealth.engagements.map((e) => e.slug).sort()).toEqual(['acme', 'globex']);

    // A customer's admin sees its own desk and the PSA (its side only), never the other's desk.
    const acme = await hub.gql<{
      syncConnections: {
        id: string;
        engagements: { slug: string }[];
        health: { outOfScopeLastKey: string | null };
      }[];
    }>(side.acme.tokens.admin, q);
    expect(acme.data!.syncConnections.map((c) => c.id).sort()).toEqual(['acme-desk', 'msp-cw']);
    const psa = acme.data!.syncConnections.find((c) => c.id === 'msp-cw')!;
    expect(psa.engagements.map((e) => e.slug)).toEqual(['acme']);
    expect(psa.health).toEqual({ outOfScopeRecords: null, outOfScopeLastKey: null });
  });

  it('files each hand-off in ConnectWise under its own company, and no delivery crosses', async () => {
    for (const c of ['acme', 'globex'] as const) {
      const [handed, kept] = hubTickets[c]!;
      const inCw = cw
        .listTickets()
        .filter((t) => (t as { externalXRef?: string }).externalXRef === rawId(handed!)) as {
        company?: { identifier?: string };
      }[];
      expect(inCw).toHaveLength(1);
      expect(inCw[0]!.company?.identifier).toBe(COMPANY[c]);
      // Its own desk has both of its tickets; the other customer's desk has neither.
      const other = c === 'acme' ? 'globex' : 'acme';
      for (const id of [handed!, kept!]) {
        expect(await desks[c].findByCorrelation(rawId(id))).toHaveLength(1);
        expect(await desks[other].findByCorrelation(rawId(id))).toHaveLength(0);
      }
      // The kept ticket never reached the PSA at all.
      expect(
        cw.listTickets().some((t) => (t as { externalXRef?: string }).externalXRef === rawId(kept!)),
      ).toBe(false);
    }
  });

  it('a webhook about an unmapped company is dropped and counted, like a pull', async () => {
    const before = (await hub.database.db.execute(
      "select out_of_scope_count as n from connections where id = 'msp-cw'",
    )) as unknown as { rows: { n: number }[] };
    cw.seedTicket({ summary: 'northwind firewall', company: 'Northwind' });
    await settle();
    const after = (await hub.database.db.execute(
      "select out_of_scope_count as n from connections where id = 'msp-cw'",
    )) as unknown as { rows: { n: number }[] };
    expect(Number(after.rows[0]!.n)).toBe(Number(before.rows[0]!.n) + 1);
    const stored = (await hub.database.db.execute(
      "select count(*)::int as n from tickets where title like 'northwind%'",
    )) as unknown as { rows: { n: number }[] };
    expect(stored.rows[0]!.n).toBe(0);
  });

  it("every customer token lists only its own engagement's tickets, mirrored ones included", async () => {
    for (const c of ['acme', 'globex'] as const) {
      for (const token of [...Object.values(side[c].tokens), side[c].mspOnly]) {
        const list = await hub.gql<{
          tickets: { edges: { node: { title: string; key: string; engagement: { slug: string } } }[] };
        }>(token, '{ tickets(first: 100) { edges { node { title key engagement { slug } } } } }');
        const nodes = list.data!.tickets.edges.map((e) => e.node);
        expect(nodes.length).toBeGreaterThan(0);
        expect(nodes.every((n) => n.engagement.slug === c && n.key.startsWith(`${c.toUpperCase()}-`))).toBe(
          true,
        );
      }
    }
  });
});
