/**
 * Customers on one ConnectWise: an MSP's board holds tickets of several client companies. A scoped
 * connection asks CW only for its companies (server-side), files tickets under the customer the
 * hub names, on the board the area map names, and reports board, type and company on every record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  ConnectorError,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { ConnectWiseConfig } from './config.ts';
import { connectwise } from './index.ts';
import { type ConnectWiseSimulator, createConnectWiseSimulator } from './simulator.ts';

let sim: ConnectWiseSimulator;
const contextFor = (scopeKeys: readonly string[] | null, overrides: Partial<ConnectWiseConfig> = {}) =>
  createConnectorContext(connectwise, {
    connectionId: 'cw-msp',
    config: sim.connectorConfig(overrides),
    scopeKeys,
  });

const pullAll = (ctx: ConnectorContext<ConnectWiseConfig>) => pullAllRecords(connectwise, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'VPN drops every hour', ...overrides });

beforeAll(async () => {
  sim = await createConnectWiseSimulator({ clock: new Date('2024-06-01T08:00:00Z') });
  sim.seedTicket({ summary: 'contoso printer', company: 'Contoso', type: 'Incident' });
  sim.seedTicket({ summary: 'fabrikam laptop', company: 'Fabrikam', type: 'Service Request' });
  sim.seedTicket({ summary: 'northwind switch', company: 'Northwind', board: 'Network Operations' });
});
afterAll(() => sim.close());

describe('ConnectWise connection scope', () => {
  it('asks CW for the scoped companies only, next to the board, on every page', async () => {
    sim.resetCounters();
    const records = await pullAll(contextFor(['Contoso', 'Northwind'], { pageSize: 1 }));
    const lists = sim.requestLog().filter((r) => r.path === '/service/tickets');
    expect(lists[0]?.query['conditions']).toBe(
      'board/name="Help Desk" and company/identifier in ("Contoso", "Northwind")',
    );
    expect(lists.slice(1).every((r) => r.query['conditions']?.endsWith('in ("Contoso", "Northwind")'))).toBe(
      true,
    );
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['contoso printer', 'Contoso', 'Incident'],
    ]);
  });

  it('an unscoped connection reads every company and marks each record with its own', async () => {
    const records = await pullAll(contextFor(null, { boards: ['Network Operations'] }));
    expect(records.map((r) => [r.scopeKey, r.queue])).toEqual([
      ['Contoso', 'Help Desk'],
      ['Fabrikam', 'Help Desk'],
      ['Northwind', 'Network Operations'],
    ]);
  });

  it('a connection scoped to no company asks CW for nothing', async () => {
    sim.resetCounters();
    expect(await pullAll(contextFor([]))).toEqual([]);
    expect(sim.requestLog().filter((r) => r.path === '/service/tickets')).toHaveLength(0);
  });

  it('a board move shows in the next pull as a new queue, and a type as the category', async () => {
    const ctx = contextFor(['Fabrikam'], { boards: ['Network Operations'] });
    const [ticket] = await pullAll(ctx);
    sim.updateTicket(Number(ticket?.externalId), { board: 'Network Operations', type: 'Outage' });
    const moved = await connectwise.getTicket(ctx, ticket?.externalId ?? '');
    expect([moved?.queue, moved?.category, moved?.scopeKey]).toEqual([
      'Network Operations',
      'Outage',
      'Fabrikam',
    ]);
  });

  it('creates under draft.scopeKey on the board draft.queue names', async () => {
    const ctx = contextFor(['Contoso', 'Fabrikam'], { boards: ['Network Operations'] });
    const created = await connectwise.createTicket(
      ctx,
      draft({ scopeKey: 'Fabrikam', queue: 'network operations' }),
    );
    expect([created.scopeKey, created.queue]).toEqual(['Fabrikam', 'Network Operations']);
    const inCw = sim.getTicket(Number(created.externalId)) as { company: { identifier: string } };
    expect(inCw.company.identifier).toBe('Fabrikam');
  });

  it('a single-company connection files under that company when the hub names none', async () => {
    const created = await connectwise.createTicket(contextFor(['Fabrikam']), draft());
    expect(created.scopeKey).toBe('Fabrikam');
  });

  it('check() names scope companies CW does not know, and boards it cannot find', async () => {
    expect(await connectwise.check(contextFor(['Contoso', 'fabrikam']))).toMatchObject({ ok: true });
    const unknown = await connectwise.check(contextFor(['Contoso', 'Initech']));
    expect(unknown).toMatchObject({ ok: false, reason: expect.stringContaining('identifier "Initech"') });
    const board = await connectwise.check(contextFor(null, { boards: ['Projects'] }));
    expect(board).toMatchObject({ ok: false, reason: expect.stringContaining('board "Projects" not found') });
  });

  it('refuses, before any request, a company outside the scope or a board the connection does not read', async () => {
    sim.resetCounters();
    const outside = connectwise.createTicket(contextFor(['Contoso']), draft({ scopeKey: 'Northwind' }));
    await expect(outside).rejects.toThrow(/customer "Northwind".*scoped to "Contoso"/);
    await expect(outside).rejects.toBeInstanceOf(ConnectorError);
    const board = connectwise.createTicket(contextFor(['Contoso']), draft({ queue: 'Projects' }));
    await expect(board).rejects.toThrow(/board "Projects" is not one this connection reads/);
    // The default company must itself be in the scope when the hub names none.
    const fallback = connectwise.createTicket(contextFor(['Fabrikam', 'Northwind']), draft());
    await expect(fallback).rejects.toThrow(/customer "Contoso"/);
    expect(sim.requestLog()).toHaveLength(0);
  });
});
