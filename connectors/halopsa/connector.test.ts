/**
 * HaloPSA specifics the conformance suite does not cover: the queries a pull sends, the token's
 * life cycle (cache, refresh before expiry, one retry on 401, tenant), create/update bodies,
 * error mapping and `check()` reasons.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createConnectorContext,
  type Page,
  type TicketDraft,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { HaloConfig } from './config.ts';
import { halopsa } from './index.ts';
import { createHaloSimulator, type HaloSimulator } from './simulator.ts';

let sim: HaloSimulator;
beforeAll(async () => {
  sim = await createHaloSimulator({ clock: new Date('2024-06-03T08:00:00Z') });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetCounters());

/** A fresh connection id and secret-free clock per test keeps token and agent caches apart. */
const ctxFor = (overrides: Partial<HaloConfig> = {}, now?: () => Date) =>
  createConnectorContext(halopsa, {
    connectionId: randomUUID(),
    config: sim.connectorConfig({ clientSecret: sim.credentials.clientSecret, ...overrides }),
    now,
  });

async function pull(ctx: ReturnType<typeof ctxFor>, cursor: string | null) {
  const pages: Page<TicketRecord>[] = [];
  for await (const page of halopsa.pullTickets(ctx, cursor)) pages.push(page);
  return pages;
}

const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  hubTicketId: randomUUID(),
  title: 'VPN drops every hour',
  description: 'Since Monday.',
  status: 'NEW',
  priority: 'HIGH',
  assigneeExternalId: '3',
  requesterEmail: 'dana@contoso.example',
  ...overrides,
});

describe('pullTickets', () => {
  it('pages with page 1 of a keyset query: last_update order, startdate and excludethese, scoped to the client', async () => {
    sim.setClock(new Date('2024-06-03T09:00:00Z'));
    sim.seedTickets(3, { summary: 'keyset' });
    sim.createTicket({ summary: 'other client', client_id: 13 });
    const pages = await pull(ctxFor({ pageSize: 2 }), '2024-06-03T09:00:00.000Z');
    const lists = sim.requestLog().filter((r) => r.path === '/Tickets' && r.method === 'GET');
    expect(lists[0]?.query).toMatchObject({
      pageinate: 'true',
      page_size: '2',
      page_no: '1',
      order: 'last_update',
      orderdesc: 'false',
      order2: 'id',
      datesearch: 'last_update',
      startdate: '2024-06-03T08:58:00.000',
      client_id: '12',
    });
    expect(lists[0]?.query['excludethese']).toBeUndefined();
    expect(lists[1]?.query).toMatchObject({ page_no: '1', startdate: '2024-06-03T09:00:00.000' });
    expect(lists[1]?.query['excludethese']?.split(',')).toHaveLength(2);
    const titles = pages.flatMap((p) => p.records.map((r) => r.title));
    expect(titles).toEqual(['keyset 1', 'keyset 2', 'keyset 3']);
    expect(pages.every((p) => p.cursor === '2024-06-03T09:00:00.000Z')).toBe(true);
  });

  it('answers an unreadable cursor with a full pull, and an empty pull with a cursor', async () => {
    const warnings: string[] = [];
    const ctx = createConnectorContext(halopsa, {
      connectionId: randomUUID(),
      config: sim.connectorConfig({ customerId: 999 }),
      log: { debug() {}, info() {}, warn: (_o, msg) => warnings.push(msg ?? '') },
    });
    const pages = await pull(ctx, 'not-a-cursor');
    expect(warnings).toEqual(['unreadable HaloPSA cursor; starting a full pull']);
    expect(pages).toEqual([
      { records: [], cursor: '1970-01-01T00:00:00.000Z', progress: { fetched: 0, total: 0 } },
    ]);
  });
});

describe('tokens', () => {
  it('requests one token for many calls and sends it as a Bearer header', async () => {
    const ctx = ctxFor();
    const id = String(sim.createTicket({ summary: 'token reuse' }).id);
    await halopsa.getTicket(ctx, id);
    await halopsa.getTicket(ctx, id);
    await halopsa.listComments(ctx, id);
    expect(sim.tokenRequestCount()).toBe(1);
  });

  it('refreshes a token that is about to expire, before using it', async () => {
    let now = Date.now();
    const ctx = ctxFor({}, () => new Date(now));
    const id = String(sim.createTicket({ summary: 'token expiry' }).id);
    await halopsa.getTicket(ctx, id);
    now += 3_600_000 - 30_000;
    await halopsa.getTicket(ctx, id);
    expect(sim.tokenRequestCount()).toBe(2);
    expect(sim.requestLog().filter((r) => r.path === `/Tickets/${id}`)).toHaveLength(2);
  });

  it('gets a new token once when the API answers 401, then succeeds', async () => {
    const ctx = ctxFor();
    const id = String(sim.createTicket({ summary: 'revoked' }).id);
    await halopsa.getTicket(ctx, id);
    sim.revokeTokens();
    expect((await halopsa.getTicket(ctx, id))?.title).toBe('revoked');
    expect(sim.tokenRequestCount()).toBe(2);
  });

  it('sends ?tenant= on the token request for Halo-hosted tenants', async () => {
    const hosted = await createHaloSimulator({ credentials: { tenant: 'acme' } });
    try {
      const config = hosted.connectorConfig();
      const ok = createConnectorContext(halopsa, { connectionId: randomUUID(), config });
      expect(await halopsa.check(ok)).toMatchObject({ ok: true });
      expect(hosted.requestLog()[0]).toMatchObject({ path: '/auth/token', query: { tenant: 'acme' } });
      const wrong = createConnectorContext(halopsa, {
        connectionId: randomUUID(),
        config: { ...config, tenant: 'other' },
      });
      expect(await halopsa.check(wrong)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('tenant'),
      });
    } finally {
      await hosted.close();
    }
  });
});

describe('writes', () => {
  it('creates with one POST of an array carrying the correlation key, client and assignee', async () => {
    const d = draft();
    const record = await halopsa.createTicket(ctxFor(), d);
    const ticket = sim.store.requireTicket(Number(record.externalId));
    expect(ticket).toMatchObject({
      third_party_id_string: d.hubTicketId,
      client_id: 12,
      agent_id: 3,
      status_id: 1,
      priority_id: 2,
      reportedby: 'dana@contoso.example',
    });
    expect(record).toMatchObject({ correlationId: d.hubTicketId, assignee: { email: 'bob@msp.example' } });
    expect(sim.writeCounts()).toEqual({ 'POST /Tickets': 1 });
  });

  it('updates by POSTing an element with id, and clears the assignee with agent_id 0', async () => {
    const ctx = ctxFor();
    const { externalId } = await halopsa.createTicket(ctx, draft());
    const record = await halopsa.updateTicket(ctx, externalId, {
      assigneeExternalId: null,
      status: 'CLOSED',
    });
    expect(sim.store.requireTicket(Number(externalId))).toMatchObject({ agent_id: 0, status_id: 9 });
    expect(record).toMatchObject({ assignee: null, status: 'CLOSED' });
  });

  it('maps Halo 400 validation errors to bad_request and a non-numeric map entry before any call', async () => {
    const ctx = ctxFor();
    const { externalId } = await halopsa.createTicket(ctx, draft());
    await expect(halopsa.updateTicket(ctx, externalId, { assigneeExternalId: '4242' })).rejects.toMatchObject(
      {
        kind: 'bad_request',
        status: 400,
      },
    );
    const overridden = createConnectorContext(halopsa, {
      connectionId: randomUUID(),
      config: sim.connectorConfig(),
      mapOverrides: { status: { fromCanonical: { CLOSED: 'Closed' } } },
    });
    await expect(halopsa.updateTicket(overridden, externalId, { status: 'CLOSED' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
  });

  it('lists notes oldest first, skipping actions without text, and filters by since', async () => {
    const ctx = ctxFor();
    const { externalId } = await halopsa.createTicket(ctx, draft());
    sim.setClock(new Date('2024-06-03T10:00:00Z'));
    sim.addNote(Number(externalId), 'first', { internal: false });
    sim.addNote(Number(externalId), '', { internal: true });
    sim.setClock(new Date('2024-06-03T11:00:00Z'));
    sim.addNote(Number(externalId), 'second', { internal: true });
    const all = await halopsa.listComments(ctx, externalId);
    expect(all.map((c) => [c.body, c.visibility])).toEqual([
      ['first', 'PUBLIC'],
      ['second', 'INTERNAL'],
    ]);
    const later = await halopsa.listComments(ctx, externalId, new Date('2024-06-03T10:30:00Z'));
    expect(later.map((c) => c.body)).toEqual(['second']);
  });
});

describe('check', () => {
  it('names the client credentials when the token endpoint refuses them, without the secret', async () => {
    const result = await halopsa.check(ctxFor({ clientSecret: 'definitely-wrong-secret' }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('clientSecret') });
    expect(JSON.stringify(result)).not.toContain('definitely-wrong-secret');
  });

  it('reports mapped status ids the instance does not have', async () => {
    const ctx = createConnectorContext(halopsa, {
      connectionId: randomUUID(),
      config: sim.connectorConfig(),
      mapOverrides: { status: { fromCanonical: { RESOLVED: '42' } } },
    });
    expect(await halopsa.check(ctx)).toEqual({
      ok: false,
      reason: 'status ids not found in GET /api/Status: RESOLVED -> 42; override the status map',
    });
  });

  it('says baseUrl is wrong on a 404', async () => {
    const result = await halopsa.check(ctxFor({ authServerUrl: `${sim.baseUrl}/nope` }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('baseUrl') });
  });
});
