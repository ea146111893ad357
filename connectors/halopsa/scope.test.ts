/**
 * Customers on one HaloPSA: an MSP's clients. A connection scoped to one client is filtered by
 * Halo (`client_id`); one scoped to several reads every client and marks each record with its own
 * (Halo's `client_id` takes one id), and creates go under the client the hub names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { HaloConfig } from './config.ts';
import { halopsa } from './index.ts';
import { createHaloSimulator, type HaloSimulator } from './simulator.ts';

let sim: HaloSimulator;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<HaloConfig> =>
  createConnectorContext(halopsa, { connectionId: 'halo-msp', config: sim.connectorConfig(), scopeKeys });

const pullAll = (ctx: ConnectorContext<HaloConfig>) => pullAllRecords(halopsa, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'Firewall rule request', ...overrides });

const ticketListQueries = () =>
  sim
    .requestLog()
    .filter((r) => r.method === 'GET' && r.path === '/Tickets')
    .map((r) => r.query);

beforeAll(async () => {
  sim = await createHaloSimulator();
  sim.createTicket({ summary: 'contoso laptop', client_id: 12, category_1: 'Hardware>Laptop' });
  sim.createTicket({ summary: 'fabrikam vpn', client_id: 13, team: 'Network' });
  sim.createTicket({ summary: 'northwind backup', client_id: 14 });
});
afterAll(() => sim.close());

describe('HaloPSA connection scope (clients)', () => {
  it('one client: filtered by Halo with client_id, records carry client and category', async () => {
    sim.resetCounters();
    const records = await pullAll(contextFor(['12']));
    expect(ticketListQueries().every((q) => q['client_id'] === '12')).toBe(true);
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['contoso laptop', '12', 'Hardware>Laptop'],
    ]);
  });

  it('several clients: every client is read and each record names its own', async () => {
    sim.resetCounters();
    const records = await pullAll(contextFor(['12', '13']));
    expect(ticketListQueries().some((q) => 'client_id' in q)).toBe(false);
    expect(records.map((r) => [r.title, r.scopeKey])).toEqual([
      ['contoso laptop', '12'],
      ['fabrikam vpn', '13'],
      ['northwind backup', '14'],
    ]);
  });

  it('an empty scope reads nothing; a scope key that is not a client id is a named error', async () => {
    expect(await pullAll(contextFor([]))).toEqual([]);
    await expect(pullAll(contextFor(['Contoso']))).rejects.toThrow(/"Contoso" is not a HaloPSA client id/);
  });

  it("creates under draft.scopeKey's client in draft.queue's team", async () => {
    const created = await halopsa.createTicket(
      contextFor(['12', '13']),
      draft({ scopeKey: '13', queue: 'Network' }),
    );
    expect([created.scopeKey, created.queue]).toEqual(['13', 'Network']);
  });

  it('refuses a client outside the scope before any request', async () => {
    sim.resetCounters();
    await expect(halopsa.createTicket(contextFor(['12']), draft({ scopeKey: '14' }))).rejects.toThrow(
      /customer "14".*scoped to "12"/,
    );
    // customerId 12 is the default, and outside a scope of 13 and 14.
    await expect(halopsa.createTicket(contextFor(['13', '14']), draft())).rejects.toThrow(/customer "12"/);
    expect(sim.requestLog()).toHaveLength(0);
  });
});
