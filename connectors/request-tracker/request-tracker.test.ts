/**
 * The shared conformance suite against the simulator always, and against a real RT when
 * `RT_URL` is set (scripts/start-rt.sh prints it; `RT_TOKEN` makes the connector use a token,
 * e.g. hub-sync's from /var/lib/rt-hub/hub-sync.token). Then what the suite does not cover:
 * time zones, RT's silent refusals, scrips, deleted tickets, comment bodies and write counts.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import {
  type ConnectorContext,
  createConnectorContext,
  isConnectorError,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { type RtConfig, rtConfigSchema } from './config.ts';
import { createRealRtHarness, createRtSimulatorHarness } from './harness.ts';
import { requestTracker } from './index.ts';
import { type RtSimulator, type RtSimulatorOptions, startRtSimulator } from './simulator.ts';

runConformanceSuite('request-tracker (simulator)', requestTracker, createRtSimulatorHarness);

const RT_URL = process.env.RT_URL;
if (RT_URL) {
  // A real RT answers in ~0.1 s per request (more on a busy CI box); the mid-pull checks make ~50.
  vi.setConfig({ testTimeout: 120_000 });
  const token = process.env.RT_TOKEN;
  runConformanceSuite('request-tracker (real RT)', requestTracker, () =>
    createRealRtHarness({ url: RT_URL, ...(token ? { token } : {}) }),
  );
} else {
  describe.skip('request-tracker (real RT) conformance', () => {
    console.info('[conformance] request-tracker (real RT): RT_URL is not set: run scripts/start-rt.sh');
    it('RT_URL is not set: run scripts/start-rt.sh', () => {});
  });
}

let sim: RtSimulator;
async function startSim(options: RtSimulatorOptions = {}) {
  sim = await startRtSimulator(options);
}
afterEach(async () => {
  await sim?.close();
});

function contextFor(overrides: Partial<RtConfig> = {}, warnings: string[] = []): ConnectorContext<RtConfig> {
  const config = rtConfigSchema.parse({ baseUrl: sim.url, token: sim.token, pageSize: 2, ...overrides });
  return createConnectorContext(requestTracker, {
    connectionId: 'rt-test',
    config,
    log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
  });
}

const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  hubTicketId: randomUUID(),
  title: 'Printer on fire',
  description: 'Smoke everywhere.',
  status: 'NEW',
  priority: 'MEDIUM',
  assigneeExternalId: null,
  requesterEmail: null,
  ...overrides,
});

async function pullAll(ctx: ConnectorContext<RtConfig>, cursor: string | null) {
  const ids: string[] = [];
  let last: string | null = null;
  for await (const page of requestTracker.pullTickets(ctx, cursor)) {
    ids.push(...page.records.map((r) => r.externalId));
    last = page.cursor;
  }
  return { ids, last };
}

describe('time zones: RT reads TicketSQL dates in the user zone', () => {
  beforeEach(() => startSim({ timeZone: 'America/New_York', clock: new Date('2030-03-01T10:00:00Z') }));

  it('pulls incrementally when timeZone matches RT', async () => {
    const ctx = contextFor({ timeZone: 'America/New_York', overlapSeconds: 0 });
    const before = sim.createTicket({ subject: 'before' });
    const { last } = await pullAll(ctx, null);
    sim.setClock(new Date('2030-03-01T10:00:30Z'));
    const after = sim.createTicket({ subject: 'after' });
    // Inclusive: the ticket at the cursor's own second comes again, then the new one.
    expect((await pullAll(ctx, last)).ids).toEqual([before, after]);
    expect(await requestTracker.check(ctx)).toMatchObject({ ok: true });
  });

  it('a wrong timeZone misses changes, and check() says so', async () => {
    const ctx = contextFor({ timeZone: 'UTC', overlapSeconds: 0 });
    sim.createTicket({ subject: 'before' });
    const { last } = await pullAll(ctx, null);
    sim.setClock(new Date('2030-03-01T10:00:30Z'));
    sim.createTicket({ subject: 'after' });
    // RT reads the cursor '10:00:00' as 10:00 New York (15:00 UTC): both tickets look older.
    expect((await pullAll(ctx, last)).ids).toEqual([]);
    const result = await requestTracker.check(ctx);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain('set timeZone');
  });
});

describe('request-tracker specifics (simulator)', () => {
  beforeEach(() => startSim());

  it('check() explains a missing queue and a missing HubTicketId field', async () => {
    const missingQueue = await requestTracker.check(contextFor({ queue: 'Nope' }));
    expect(missingQueue).toMatchObject({ ok: false });
    expect(missingQueue.ok ? '' : missingQueue.reason).toContain('Nope');
    sim.store.queues[0]!.customFieldIds = [];
    const noField = await requestTracker.check(contextFor());
    expect(noField.ok ? '' : noField.reason).toContain('HubTicketId');
  });

  it('creates WAITING tickets as new, then stalls them (RT refuses stalled on create)', async () => {
    const ctx = contextFor();
    const record = await requestTracker.createTicket(ctx, draft({ status: 'WAITING', priority: 'HIGH' }));
    expect(record).toMatchObject({
      status: 'WAITING',
      rawStatus: 'stalled',
      priority: 'HIGH',
      queue: 'General',
    });
    expect(sim.writeCounts()).toEqual({ 'POST /ticket': 1, 'PUT /ticket/:id': 1 });
  });

  it('a repeated create links the existing ticket without writing', async () => {
    const ctx = contextFor();
    const first = draft();
    await requestTracker.createTicket(ctx, first);
    sim.resetCounters();
    await requestTracker.createTicket(ctx, first);
    expect(sim.totalWrites()).toBe(0);
  });

  it("an owner RT refuses is a bad_request carrying RT's message", async () => {
    const ctx = contextFor();
    const { externalId } = await requestTracker.createTicket(
      ctx,
      draft({ requesterEmail: 'carol@example.com' }),
    );
    const err = await requestTracker
      .updateTicket(ctx, externalId, { assigneeExternalId: 'carol@example.com' })
      .catch((e: unknown) => e);
    expect(isConnectorError(err) && err.kind).toBe('bad_request');
    expect(String(err)).toContain('may not own tickets');
  });

  it('without ReassignTicket, moving a ticket from another owner is refused (as hub-sync was on RT)', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'owned', owner: 'hub-alice' });
    sim.store.findUser('hub-sync')!.canReassign = false;
    const err = await requestTracker
      .updateTicket(ctx, id, { assigneeExternalId: 'hub-bob' })
      .catch((e: unknown) => e);
    expect(String(err)).toContain('You can only reassign tickets that you own or that are unowned');
  });

  it('pulls and creates only in the configured queue', async () => {
    sim.addQueue('Ops');
    const ctx = contextFor({ queue: 'Ops' });
    sim.createTicket({ subject: 'general' });
    const ops = sim.createTicket({ subject: 'ops', queue: 'Ops' });
    const created = await requestTracker.createTicket(ctx, draft());
    expect(created.queue).toBe('Ops');
    expect((await pullAll(ctx, null)).ids).toEqual([ops, created.externalId]);
  });

  it('a public reply reopens a new ticket (an RT scrip), an internal comment does not', async () => {
    const ctx = contextFor();
    const a = await requestTracker.createTicket(ctx, draft());
    const b = await requestTracker.createTicket(ctx, draft());
    await requestTracker.addComment(ctx, a.externalId, {
      body: 'hi',
      visibility: 'PUBLIC',
      authorName: null,
    });
    await requestTracker.addComment(ctx, b.externalId, {
      body: 'hi',
      visibility: 'INTERNAL',
      authorName: null,
    });
    expect((await requestTracker.getTicket(ctx, a.externalId))?.status).toBe('OPEN');
    expect((await requestTracker.getTicket(ctx, b.externalId))?.status).toBe('NEW');
  });

  it('deleted tickets leave pulls but still read as CLOSED', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'to delete' });
    sim.updateTicket(id, { status: 'deleted' });
    expect((await pullAll(ctx, null)).ids).not.toContain(id);
    expect(await requestTracker.getTicket(ctx, id)).toMatchObject({ status: 'CLOSED', rawStatus: 'deleted' });
  });

  it('maps comment authors, HTML bodies and the since filter', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'comments', content: 'the description is not a comment' });
    sim.setClock(new Date('2030-01-01T00:00:00Z'));
    sim.reply(id, '<p>Hello <b>there</b></p><p>A &amp; B</p>', { html: true, as: 'hub-bob' });
    sim.setClock(new Date('2030-01-02T00:00:00Z'));
    sim.reply(id, 'later note', { internal: true });
    const all = await requestTracker.listComments(ctx, id);
    expect(all.map((c) => [c.body, c.visibility, c.author?.email])).toEqual([
      ['Hello there\nA & B', 'PUBLIC', 'bob@hub.local'],
      ['later note', 'INTERNAL', 'alice@hub.local'],
    ]);
    const since = await requestTracker.listComments(ctx, id, new Date('2030-01-01T12:00:00Z'));
    expect(since.map((c) => c.body)).toEqual(['later note']);
  });

  it('addComment returns the transaction RT created, with one write', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'reply' });
    sim.resetCounters();
    const added = await requestTracker.addComment(ctx, id, {
      body: 'note',
      visibility: 'INTERNAL',
      authorName: 'X',
    });
    expect(added).toMatchObject({ body: 'note', visibility: 'INTERNAL', author: { externalId: 'hub-sync' } });
    expect(
      sim.store.transactions.some((t) => String(t.id) === added.externalId && t.type === 'Comment'),
    ).toBe(true);
    expect(sim.writeCounts()).toEqual({ 'POST /ticket/:id/comment': 1 });
  });

  it('refuses a cursor that is not a timestamp', async () => {
    const err = await pullAll(contextFor(), 'page-2').catch((e: unknown) => e);
    expect(isConnectorError(err) && err.kind).toBe('bad_request');
  });
});
