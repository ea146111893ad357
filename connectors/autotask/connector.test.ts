/**
 * Autotask specifics the conformance suite does not cover: time windows over id-ordered queries,
 * zone moves, threshold pacing, the thread limit, workflow notes, validation 500s, `check()`
 * reasons, UDF correlation, requesters and impersonation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectorContext,
  type MappingOverrides,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import type { AutotaskConfig } from './config.ts';
import { autotask } from './index.ts';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';

let sim: AutotaskSimulator;
const ctxFor = (
  s: AutotaskSimulator,
  overrides: Partial<AutotaskConfig> = {},
  mapOverrides?: MappingOverrides,
) =>
  createConnectorContext(autotask, {
    connectionId: randomUUID(),
    config: s.connectorConfig(overrides),
    mapOverrides,
  });
const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  hubTicketId: randomUUID(),
  title: 'Laptop will not boot',
  description: 'Since the update.',
  status: 'NEW',
  priority: 'HIGH',
  assigneeExternalId: null,
  requesterEmail: null,
  ...overrides,
});
async function pullAll(ctx: ReturnType<typeof ctxFor>, cursor: string | null = null) {
  const pages = [];
  for await (const page of autotask.pullTickets(ctx, cursor)) pages.push(page);
  return pages;
}

beforeAll(async () => {
  sim = await createAutotaskSimulator({ clock: new Date('2024-06-01T08:00:00.000Z') });
});
afterAll(() => sim.close());

describe('pullTickets over id-ordered queries', () => {
  it('splits the range into counted windows and returns everything oldest first', async () => {
    const s = await createAutotaskSimulator({ clock: new Date('2024-03-01T00:00:00.000Z') });
    try {
      const ids = s.seedTickets(6, 'windowed');
      s.advanceClock(86_400_000);
      s.seedTickets(3, 'later');
      s.advanceClock(86_400_000);
      // The oldest ids become the newest changes: id order is no longer time order.
      for (const id of ids.slice(0, 3)) s.rename(id, `renamed ${id}`);
      s.createTicket({ title: 'other company', companyID: 175 });
      s.resetCounters();
      const pages = await pullAll(ctxFor(s, { pageSize: 2, windowMaxRecords: 3 }));
      const records = pages.flatMap((p) => p.records);
      expect(records).toHaveLength(9);
      const times = records.map((r) => r.updatedAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(records.slice(-3).map((r) => r.title)).toEqual(ids.slice(0, 3).map((id) => `renamed ${id}`));
      expect(s.requestLog().some((r) => r.path === '/Tickets/query/count')).toBe(true);
      const cursors = pages.map((p) => JSON.parse(p.cursor ?? '{}').ts as string);
      expect(cursors).toEqual([...cursors].sort());
    } finally {
      await s.close();
    }
  });

  it('streams a one-millisecond window larger than windowMaxRecords page by page', async () => {
    const s = await createAutotaskSimulator({ clock: new Date('2024-03-01T00:00:00.000Z') });
    try {
      s.seedTickets(7, 'same instant');
      const pages = await pullAll(ctxFor(s, { pageSize: 2, windowMaxRecords: 2 }));
      expect(pages.flatMap((p) => p.records)).toHaveLength(7);
      expect(pages.every((p) => p.cursor === JSON.stringify({ v: 1, ts: '2024-03-01T00:00:00.000Z' }))).toBe(
        true,
      );
    } finally {
      await s.close();
    }
  });

  it('starts an incremental pull overlapSeconds before the cursor, inclusively', async () => {
    sim.resetCounters();
    await pullAll(
      ctxFor(sim, { overlapSeconds: 90 }),
      JSON.stringify({ v: 1, ts: '2024-06-01T08:00:00.000Z' }),
    );
    const first = sim.requestLog().find((r) => r.path === '/Tickets/query');
    expect(first?.body).toEqual({
      MaxRecords: 500,
      filter: [
        { op: 'eq', field: 'companyID', value: 174 },
        { op: 'gte', field: 'lastActivityDate', value: '2024-06-01T07:58:30.000Z' },
      ],
    });
  });
});

describe('zones, pacing and the thread limit', () => {
  it('looks the zone up again after a 401 and retries there', async () => {
    const ctx = ctxFor(sim);
    const id = String(sim.createTicket({ title: 'zone test' }));
    expect((await autotask.getTicket(ctx, id))?.title).toBe('zone test');
    sim.moveZone('webservices17');
    try {
      expect((await autotask.getTicket(ctx, id))?.title).toBe('zone test');
    } finally {
      sim.moveZone('webservices5');
    }
  });

  it('reads ThresholdInformation and stops before the cap instead of meeting 429s', async () => {
    const s = await createAutotaskSimulator({ threshold: 40, hourMs: 600_000 });
    try {
      const id = String(s.createTicket({ title: 'paced' }));
      const ctx = ctxFor(s, {
        thresholdCheckEvery: 1,
        pacingStartPercent: 50,
        thresholdReserve: 0,
        maxPacingWaitSeconds: 1,
      });
      let failure: unknown;
      for (let i = 0; i < 40 && !failure; i++)
        await autotask.getTicket(ctx, id).catch((err: unknown) => (failure = err));
      expect(failure).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: expect.any(Number) });
      expect(s.limitRejections().threshold).toBe(0);
      expect(s.requestLog().some((r) => r.path === '/ThresholdInformation')).toBe(true);
      expect(s.thresholdUsed()).toBeLessThan(40);
    } finally {
      await s.close();
    }
  });

  it('keeps to 3 concurrent requests, so the thread limit never answers 429', async () => {
    const s = await createAutotaskSimulator({ latencyMs: 40 });
    try {
      const id = String(s.createTicket({ title: 'busy' }));
      const ctx = ctxFor(s);
      const results = await Promise.all(Array.from({ length: 8 }, () => autotask.getTicket(ctx, id)));
      expect(results.every((r) => r?.externalId === id)).toBe(true);
      expect(s.limitRejections().thread).toBe(0);
    } finally {
      await s.close();
    }
  });
});

describe('writes and comments', () => {
  it('turns a validation 500 into bad_request and does not retry it', async () => {
    sim.resetCounters();
    const err = await autotask.createTicket(ctxFor(sim, { queueId: 1 }), draft()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_request', status: 500 });
    expect(sim.writeCount('POST /Tickets')).toBe(1);
  });

  it('correlates through a UDF when configured, sets the requester and attributes to the impersonated resource', async () => {
    const ctx = ctxFor(sim, { correlationUdf: 'Hub Ticket Id', impersonationResourceId: 29682887 });
    const d = draft({ requesterEmail: 'CAROL@fabrikam.example', assigneeExternalId: '29682886' });
    const created = await autotask.createTicket(ctx, d);
    expect(created.correlationId).toBe(d.hubTicketId);
    expect((await autotask.createTicket(ctx, d)).externalId).toBe(created.externalId);
    const raw = sim.getTicket(Number(created.externalId));
    expect(raw).toMatchObject({
      externalID: null,
      contactID: 30683001,
      creatorResourceID: 29682887,
      assignedResourceRoleID: 29683461,
    });
    expect(created.assignee?.email).toBe('dana.tech@contoso-msp.example');
  });

  it('leaves workflow-rule notes out and honours since', async () => {
    const ctx = ctxFor(sim);
    const id = sim.createTicket({ title: 'notes' });
    sim.addWorkflowNote(id, 'Escalation rule fired');
    sim.addNote(id, 'early', 2);
    sim.advanceClock(60_000);
    const since = sim.now();
    sim.addNote(id, 'late', 1);
    expect((await autotask.listComments(ctx, String(id))).map((c) => c.body)).toEqual(['early', 'late']);
    expect((await autotask.listComments(ctx, String(id), since)).map((c) => c.body)).toEqual(['late']);
  });
});

describe('check', () => {
  it('names what to fix and never the secret', async () => {
    const reason = async (overrides: Partial<AutotaskConfig>, maps?: MappingOverrides) => {
      const result = await autotask.check(ctxFor(sim, overrides, maps));
      expect(JSON.stringify(result)).not.toContain(sim.credentials.secret);
      return result.ok ? 'ok' : result.reason;
    };
    expect(await reason({})).toBe('ok');
    expect(await reason({ username: 'ghost@example.com' })).toMatch(/username/);
    expect(await reason({ secret: 'bad-secret' })).toMatch(/secret and integrationCode/);
    expect(await reason({ queueId: 5 })).toMatch(/queueId/);
    expect(await reason({}, { status: { fromCanonical: { OPEN: 'Assigned' } } })).toMatch(/"Assigned"/);
  });
});
