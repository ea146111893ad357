/**
 * The shared conformance suite against the Zendesk simulator, then what it does not cover: the
 * export's one-minute hold-back and late commits (the overlap), resuming at after_cursor, sideloaded
 * people, closed tickets, the description comment, and check() reasons.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import {
  type ConnectorContext,
  createConnectorContext,
  isConnectorError,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import type { ZendeskConfig } from './config.ts';
import { createZendeskHarness } from './harness.ts';
import { zendesk } from './index.ts';
import { createZendeskSimulator, type ZendeskSimulator, type ZendeskSimulatorOptions } from './simulator.ts';

runConformanceSuite('zendesk', zendesk, createZendeskHarness);

const T0 = new Date('2030-03-01T10:00:00Z');
let sim: ZendeskSimulator;
async function startSim(options: ZendeskSimulatorOptions = {}) {
  sim = await createZendeskSimulator({ clock: T0, limits: { exportPerMinute: null }, ...options });
}
afterEach(async () => {
  await sim?.close();
});

function contextFor(
  overrides: Partial<ZendeskConfig> = {},
  warnings: string[] = [],
): ConnectorContext<ZendeskConfig> {
  return createConnectorContext(zendesk, {
    connectionId: 'zd-test',
    config: sim.connectorConfig({ pageSize: 2, ...overrides }),
    log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
  });
}

const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  hubTicketId: randomUUID(),
  title: 'VPN drops every 10 minutes',
  description: 'The whole sales floor is affected.',
  status: 'NEW',
  priority: 'HIGH',
  assigneeExternalId: null,
  requesterEmail: null,
  ...overrides,
});

async function pullAll(ctx: ConnectorContext<ZendeskConfig>, cursor: string | null) {
  const ids: string[] = [];
  let last: string | null = null;
  for await (const page of zendesk.pullTickets(ctx, cursor)) {
    ids.push(...page.records.map((r) => r.externalId));
    last = page.cursor;
  }
  return { ids, last };
}

const exportQueries = () =>
  sim
    .requestLog()
    .filter((r) => r.path === '/incremental/tickets/cursor.json')
    .map((r) => r.query);

describe('pullTickets over the incremental export (last minute held back)', () => {
  beforeEach(() => startSim({ exclusionSeconds: 60 }));

  it('leaves a change of the last minute for the next pull, and gets it then', async () => {
    const ctx = contextFor();
    const old = sim.createTicket({ subject: 'old' });
    sim.advanceClock(30_000);
    const fresh = sim.createTicket({ subject: 'fresh' });
    sim.advanceClock(40_000);
    const first = await pullAll(ctx, null);
    expect(first.ids).toEqual([String(old)]);
    sim.advanceClock(60_000);
    expect((await pullAll(ctx, first.last)).ids).toContain(String(fresh));
  });

  it('restarts overlapSeconds before the newest change seen, inclusive', async () => {
    const ctx = contextFor({ overlapSeconds: 90 });
    sim.createTicket({ subject: 'one' });
    sim.advanceClock(120_000);
    const { last } = await pullAll(ctx, null);
    sim.resetCounters();
    await pullAll(ctx, last);
    const since = Math.floor(T0.getTime() / 1000);
    expect(exportQueries()).toEqual([{ start_time: String(since - 90), per_page: '2', include: 'users' }]);
  });

  it('catches a change committed after its timestamp only with an overlap', async () => {
    const a = sim.createTicket({ subject: 'a' });
    const b = sim.createTicket({ subject: 'b' });
    sim.advanceClock(61_000);
    sim.updateTicket(a, { subject: 'a again' });
    sim.advanceClock(61_000);
    const exact = contextFor({ overlapSeconds: 0 });
    const withOverlap = contextFor({ overlapSeconds: 120 });
    const { last } = await pullAll(exact, null);
    // Stamped 100 s ago, behind the horizon (now - 60 s) the stored after_cursor points at.
    sim.updateTicket(b, { subject: 'b late' }, { stampedSecondsAgo: 100 });
    expect((await pullAll(exact, last)).ids).not.toContain(String(b));
    expect((await pullAll(withOverlap, last)).ids).toContain(String(b));
  });

  it('resumes mid-stream at the stored after_cursor', async () => {
    for (let i = 0; i < 5; i += 1) sim.createTicket({ subject: `t${i}` });
    sim.advanceClock(61_000);
    const ctx = contextFor();
    let firstCursor: string | null = null;
    for await (const page of zendesk.pullTickets(ctx, null)) {
      firstCursor = page.cursor;
      break;
    }
    sim.resetCounters();
    const rest = await pullAll(ctx, firstCursor);
    expect(exportQueries()[0]?.cursor).toBe(JSON.parse(firstCursor!).after);
    expect(rest.ids).toEqual(['3', '4', '5']);
  });

  it('falls back to a time-based start when Zendesk refuses the stored cursor', async () => {
    sim.createTicket({ subject: 'x' });
    sim.advanceClock(61_000);
    const warnings: string[] = [];
    const stale = JSON.stringify({ v: 1, since: 0, after: 'bm90IGEgY3Vyc29y', eos: false });
    expect((await pullAll(contextFor({}, warnings), stale)).ids).toEqual(['1']);
    expect(warnings).toEqual(['Zendesk refused the stored export cursor; restarting by time']);
  });

  it('restarts with a full export, and says so, on an unreadable cursor', async () => {
    sim.createTicket({ subject: 'x' });
    sim.advanceClock(61_000);
    const warnings: string[] = [];
    expect((await pullAll(contextFor({}, warnings), '{"v":9}')).ids).toEqual(['1']);
    expect(warnings).toEqual(['unreadable Zendesk cursor; starting a full export']);
  });
});

describe('zendesk specifics', () => {
  beforeEach(() => startSim());

  it('maps assignee and requester emails from the users sideload', async () => {
    const ctx = contextFor();
    const alice = String(sim.people.alice.id);
    const record = await zendesk.createTicket(
      ctx,
      draft({ assigneeExternalId: alice, requesterEmail: 'dana.lee@acme.example' }),
    );
    // Zendesk opens a new ticket as soon as it has an assignee.
    expect(record).toMatchObject({ status: 'OPEN', rawStatus: 'open', priority: 'HIGH' });
    expect(record.assignee).toEqual({
      externalId: alice,
      name: 'Alice Nguyen',
      email: 'alice.nguyen@acme.example',
    });
    expect(record.requester?.email).toBe('dana.lee@acme.example');
    expect(sim.writeCounts()).toEqual({ 'POST /tickets.json': 1 });
  });

  it('a repeated create links the existing ticket without writing', async () => {
    const ctx = contextFor();
    const first = draft();
    await zendesk.createTicket(ctx, first);
    sim.resetCounters();
    await zendesk.createTicket(ctx, first);
    expect(sim.writeCount()).toBe(0);
  });

  it('writes CLOSED as solved by default, so the ticket stays updatable', async () => {
    const ctx = contextFor();
    const { externalId } = await zendesk.createTicket(ctx, draft());
    const closed = await zendesk.updateTicket(ctx, externalId, { status: 'CLOSED' });
    expect(closed.rawStatus).toBe('solved');
    const renamed = await zendesk.updateTicket(ctx, externalId, { title: 'still editable' });
    expect(renamed.title).toBe('still editable');
  });

  it('an update of a closed ticket is a bad_request (Zendesk answers 422)', async () => {
    const ctx = createConnectorContext(zendesk, {
      connectionId: 'zd-test',
      config: sim.connectorConfig({ pageSize: 2 }),
      mapOverrides: { status: { fromCanonical: { CLOSED: 'closed' } } },
    });
    const { externalId } = await zendesk.createTicket(ctx, draft());
    await zendesk.updateTicket(ctx, externalId, { status: 'CLOSED' });
    const err = await zendesk.updateTicket(ctx, externalId, { title: 'again' }).catch((e: unknown) => e);
    expect(isConnectorError(err) && [err.kind, err.status]).toEqual(['bad_request', 422]);
  });

  it('writes nothing for an empty patch', async () => {
    const ctx = contextFor();
    const { externalId } = await zendesk.createTicket(ctx, draft());
    sim.resetCounters();
    await zendesk.updateTicket(ctx, externalId, {});
    expect(sim.writeCount()).toBe(0);
  });

  it('lists comments without the description, with authors, since a time', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'comments', description: 'the description is not a comment' });
    sim.setClock(new Date('2030-03-02T00:00:00Z'));
    sim.addComment(id, 'early public', { public: true, as: sim.people.bob.id });
    sim.setClock(new Date('2030-03-03T00:00:00Z'));
    sim.addComment(id, 'late note', { public: false });
    const all = await zendesk.listComments(ctx, String(id));
    expect(all.map((c) => [c.body, c.visibility, c.author?.email])).toEqual([
      ['early public', 'PUBLIC', 'bob.okafor@acme.example'],
      ['late note', 'INTERNAL', 'alice.nguyen@acme.example'],
    ]);
    const since = await zendesk.listComments(ctx, String(id), new Date('2030-03-02T12:00:00Z'));
    expect(since.map((c) => c.body)).toEqual(['late note']);
  });

  it('addComment returns the comment from the update audit, with one write', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'reply' });
    sim.resetCounters();
    const added = await zendesk.addComment(ctx, String(id), {
      body: 'note',
      visibility: 'INTERNAL',
      authorName: 'X',
    });
    expect(added).toMatchObject({
      body: 'note',
      visibility: 'INTERNAL',
      author: { externalId: String(sim.people.apiUser.id) },
    });
    expect(sim.comments(id).at(-1)).toMatchObject({ id: Number(added.externalId), public: false });
    expect(sim.writeCounts()).toEqual({ 'PUT /tickets/{id}.json': 1 });
  });

  it('check() names what to fix and never throws', async () => {
    expect(await zendesk.check(contextFor())).toMatchObject({ ok: true });
    const endUser = sim.people.requester.email;
    const bad = await zendesk.check(contextFor({ email: endUser }));
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('API token') });
    const offline = await zendesk.check(contextFor({ baseUrl: 'http://127.0.0.1:9' }));
    expect(offline).toMatchObject({ ok: false, reason: expect.stringContaining('did not answer') });
  });
});
