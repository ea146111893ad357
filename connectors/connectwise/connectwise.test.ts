/**
 * The shared conformance suite against the simulator, then the ConnectWise specifics it does not
 * cover: the exact queries a pull sends, board scoping, summary truncation, per-board statuses,
 * lookup caching and `check()` reasons.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import {
  type ConnectorContext,
  createConnectorContext,
  mergeMappings,
  type Page,
  type TicketDraft,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { ConnectWiseConfig } from './config.ts';
import { createConnectWiseHarness } from './harness.ts';
import { connectwise } from './index.ts';
import { type ConnectWiseSimulator, createConnectWiseSimulator } from './simulator.ts';

runConformanceSuite('connectwise', connectwise, createConnectWiseHarness);

let sim: ConnectWiseSimulator;
const contextFor = (overrides: Partial<ConnectWiseConfig> = {}, warnings: string[] = []) =>
  createConnectorContext(connectwise, {
    connectionId: randomUUID(),
    config: sim.connectorConfig(overrides),
    log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
  });

async function pages(ctx: ConnectorContext<ConnectWiseConfig>, cursor: string | null, limit = Infinity) {
  const out: Page<TicketRecord>[] = [];
  for await (const page of connectwise.pullTickets(ctx, cursor)) {
    out.push(page);
    if (out.length >= limit) break;
  }
  return out;
}

const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  hubTicketId: randomUUID(),
  title: 'Printer on floor 3 jams',
  description: 'It jams on every duplex job.',
  status: 'NEW',
  priority: 'MEDIUM',
  assigneeExternalId: null,
  requesterEmail: null,
  ...overrides,
});

beforeAll(async () => {
  sim = await createConnectWiseSimulator({ clock: new Date('2024-06-01T08:00:00Z') });
});
afterAll(() => sim.close());

describe('pullTickets', () => {
  it('asks for the board in lastUpdated, id order, and continues by keyset rather than page number', async () => {
    sim.seedTickets(3, { summary: 'keyset' });
    sim.resetCounters();
    const result = await pages(contextFor({ pageSize: 2 }), null);
    const lists = sim.requestLog().filter((r) => r.path === '/service/tickets');
    expect(lists[0]?.query).toMatchObject({
      conditions: 'board/name="Help Desk"',
      orderBy: 'lastUpdated asc, id asc',
      pageSize: '2',
      page: '1',
    });
    expect(lists[1]?.query['conditions']).toMatch(
      /^\(lastUpdated>\[2024-06-01T08:00:00Z\] or \(lastUpdated=\[2024-06-01T08:00:00Z\] and id>\d+\)\) and board\/name="Help Desk"$/,
    );
    expect(lists.every((r) => r.query['page'] === '1')).toBe(true);
    expect(result.flatMap((p) => p.records)).toHaveLength(3);
  });

  it('starts an incremental pull inclusively, overlapSeconds before the cursor', async () => {
    sim.resetCounters();
    const cursor = JSON.stringify({ v: 1, ts: '2024-06-01T08:00:00Z', id: 0 });
    await pages(contextFor({ overlapSeconds: 90 }), cursor);
    const first = sim.requestLog().find((r) => r.path === '/service/tickets');
    expect(first?.query['conditions']).toBe('lastUpdated>=[2024-06-01T07:58:30Z] and board/name="Help Desk"');
  });

  it('leaves out tickets on other boards', async () => {
    const other = sim.seedTicket({ summary: 'router', board: 'Network Operations' })['id'];
    const ids = (await pages(contextFor(), null)).flatMap((p) => p.records.map((r) => r.externalId));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(String(other));
  });

  it('resumes after a crash at any page without losing tickets that share one second', async () => {
    sim.advanceClock(3_600_000);
    sim.seedTickets(12, { summary: 'same second' });
    const ctx = contextFor({ pageSize: 5, overlapSeconds: 0 });
    const before = (await pages(ctx, null)).at(-1)!.cursor;
    sim.advanceClock(3_600_000);
    const later = sim.seedTickets(12, { summary: 'second batch' }).map((t) => String(t['id']));
    const firstPage = (await pages(ctx, before, 1))[0]!;
    const resumed = await pages(ctx, firstPage.cursor);
    const seen = new Set(
      [...firstPage.records, ...resumed.flatMap((p) => p.records)].map((r) => r.externalId),
    );
    expect(later.filter((id) => !seen.has(id))).toEqual([]);
    const positions = [firstPage, ...resumed].map((p) => JSON.parse(p.cursor!) as { ts: string; id: number });
    const sorted = [...positions].sort((a, b) => a.ts.localeCompare(b.ts) || a.id - b.id);
    expect(positions).toEqual(sorted);
  });

  it('restarts with a full pull, and says so, on an unreadable cursor', async () => {
    const warnings: string[] = [];
    const result = await pages(contextFor({}, warnings), '{"v":7}');
    expect(result.flatMap((p) => p.records).length).toBe(
      sim.listTickets().filter((t) => (t['board'] as { id: number }).id === 1).length,
    );
    expect(warnings).toEqual(['unreadable ConnectWise cursor; starting a full pull']);
  });
});

describe('createTicket and updateTicket', () => {
  it('truncates a long title with care and keeps it whole in the first Discussion note', async () => {
    const title =
      `VPN drops every 10 minutes for the whole sales team ${'and it is getting worse '.repeat(4)}`.trim();
    const record = await connectwise.createTicket(
      contextFor(),
      draft({ title, requesterEmail: 'dana.lee@contoso.example' }),
    );
    const cw = sim.getTicket(Number(record.externalId))!;
    expect((cw['summary'] as string).length).toBeLessThanOrEqual(100);
    expect(cw['summary']).toMatch(/…$/);
    expect(cw['contact']).toMatchObject({ id: 3001 });
    expect(sim.listNotes(Number(record.externalId))[0]).toMatchObject({
      text: `${title}\n\nIt jams on every duplex job.`,
      detailDescriptionFlag: true,
    });
    expect(record.requester).toMatchObject({ email: 'dana.lee@contoso.example' });
  });

  it('resolves a status on the board the ticket is on now, not the configured one', async () => {
    const ctx = contextFor();
    const record = await connectwise.createTicket(ctx, draft());
    sim.updateTicket(Number(record.externalId), { board: 'Network Operations' });
    const closed = await connectwise.updateTicket(ctx, record.externalId, { status: 'CLOSED' });
    expect([closed.status, closed.queue]).toEqual(['CLOSED', 'Network Operations']);
    expect(sim.getTicket(Number(record.externalId))!['status']).toMatchObject({ id: 702 });
  });

  it('reports a mapped status name the board lacks as bad_request', async () => {
    const maps = mergeMappings(connectwise.defaultMappings, {
      status: { fromCanonical: { WAITING: 'Waiting Vendor' } },
    });
    const ctx = { ...contextFor(), maps };
    const record = await connectwise.createTicket(ctx, draft());
    await expect(
      connectwise.updateTicket(ctx, record.externalId, { status: 'WAITING' }),
    ).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('Waiting Vendor'),
    });
  });

  it('writes nothing for an empty patch and looks boards and statuses up once per context', async () => {
    const ctx = contextFor();
    const record = await connectwise.createTicket(ctx, draft());
    await connectwise.createTicket(ctx, draft());
    sim.resetCounters();
    await connectwise.updateTicket(ctx, record.externalId, {});
    await connectwise.updateTicket(ctx, record.externalId, { status: 'OPEN', priority: 'HIGH' });
    await connectwise.createTicket(ctx, draft());
    expect(sim.writeCounts()).toEqual({ 'PATCH /service/tickets/{id}': 1, 'POST /service/tickets': 1 });
    const lookups = sim
      .requestLog()
      .filter((r) => /^\/service\/(boards|priorities)|^\/system\/members/.test(r.path));
    expect(lookups).toEqual([]);
  });

  it('pages past the first 1000 notes, keeping the query', async () => {
    const ctx = contextFor();
    const { externalId } = await connectwise.createTicket(ctx, draft({ description: null }));
    for (let i = 0; i < 1001; i++) sim.addNote(Number(externalId), { text: `note ${i}`, kind: 'internal' });
    sim.resetCounters();
    const comments = await connectwise.listComments(ctx, externalId);
    expect(comments).toHaveLength(1001);
    expect(comments.at(-1)?.body).toBe('note 1000');
    expect(sim.requestLog().map((r) => r.query)).toEqual([
      { orderBy: 'id asc', pageSize: '1000', page: '1' },
      { orderBy: 'id asc', pageSize: '1000', page: '2' },
    ]);
  });

  it('lists comments since a time, oldest first', async () => {
    const ctx = contextFor();
    const { externalId } = await connectwise.createTicket(ctx, draft({ description: null }));
    sim.addNote(Number(externalId), { text: 'early', kind: 'discussion' });
    sim.advanceClock(60_000);
    const since = sim.now();
    sim.addNote(Number(externalId), { text: 'late internal', kind: 'internal' });
    sim.addNote(Number(externalId), { text: 'late public', kind: 'discussion' });
    const comments = await connectwise.listComments(ctx, externalId, since);
    expect(comments.map((c) => [c.body, c.visibility])).toEqual([
      ['late internal', 'INTERNAL'],
      ['late public', 'PUBLIC'],
    ]);
  });
});

describe('without permission to list members', () => {
  it('still maps tickets, without owner emails, and warns', async () => {
    const restricted = await createConnectWiseSimulator();
    try {
      restricted.denyPermission('GET /system/members');
      const id = restricted.seedTicket({ owner: 'akumar' })['id'];
      const warnings: string[] = [];
      const ctx = createConnectorContext(connectwise, {
        connectionId: randomUUID(),
        config: restricted.connectorConfig(),
        log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
      });
      const record = await connectwise.getTicket(ctx, String(id));
      expect(record?.assignee).toEqual({ externalId: '151', name: 'Asha Kumar', email: null });
      expect(warnings).toEqual(['cannot list ConnectWise members; owner emails left out']);
    } finally {
      await restricted.close();
    }
  });
});

describe('check', () => {
  it('names the board, the codebase or the network in its reasons, and never throws', async () => {
    expect(await connectwise.check(contextFor())).toMatchObject({ ok: true });
    expect(await connectwise.check(contextFor({ board: 'Helpdesk' }))).toEqual({
      ok: false,
      reason: 'ConnectWise board "Helpdesk" not found',
    });
    const wrongCodebase = await connectwise.check(contextFor({ baseUrl: `${sim.origin}/v2099_1/apis/3.0` }));
    expect(wrongCodebase).toMatchObject({ ok: false, reason: expect.stringContaining('codebase') });
    const offline = await connectwise.check(
      contextFor({ baseUrl: 'http://127.0.0.1:9/v4_6_release/apis/3.0' }),
    );
    expect(offline).toMatchObject({ ok: false, reason: expect.stringContaining('unreachable') });
  });
});
