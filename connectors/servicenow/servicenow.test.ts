/**
 * The shared conformance suite against the simulator (Basic auth, and again over OAuth bearer
 * tokens), then the ServiceNow specifics it does not cover: the exact queries a pull sends, keyset
 * paging, the data policies on resolve and hold, priority writes, journal reads and `check()` reasons.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import {
  type ConnectorContext,
  createConnectorContext,
  isConnectorError,
  type Page,
  type TicketDraft,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { patchIncident, withSn } from './client.ts';
import type { ServiceNowConfig } from './config.ts';
import { createServiceNowHarness } from './harness.ts';
import { servicenow } from './index.ts';
import { createServiceNowSimulator, DEFAULT_SIM_CREDENTIALS, type ServiceNowSimulator } from './simulator.ts';

runConformanceSuite('servicenow', servicenow, () => createServiceNowHarness());

runConformanceSuite('servicenow (oauth)', servicenow, () =>
  createServiceNowHarness({
    config: {
      auth: 'oauth',
      oauthClientId: DEFAULT_SIM_CREDENTIALS.oauthClientId,
      oauthClientSecret: DEFAULT_SIM_CREDENTIALS.oauthClientSecret,
    },
  }),
);

let sim: ServiceNowSimulator;
const contextFor = (overrides: Partial<ServiceNowConfig> = {}, warnings: string[] = []) =>
  createConnectorContext(servicenow, {
    connectionId: randomUUID(),
    config: sim.connectorConfig(overrides),
    log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
  });

async function pull(ctx: ConnectorContext<ServiceNowConfig>, cursor: string | null) {
  const pages: Page<TicketRecord>[] = [];
  for await (const page of servicenow.pullTickets(ctx, cursor)) pages.push(page);
  return pages;
}

const incidentLists = () => sim.requestLog().filter((r) => r.path === '/api/now/table/incident');

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
  sim = await createServiceNowSimulator({ clock: new Date('2024-06-01T08:00:00Z') });
});
afterAll(() => sim.close());

describe('pullTickets', () => {
  it('sends raw values in (sys_updated_on, sys_id) order and continues by keyset at offset 0', async () => {
    sim.seedIncidents(3, { titlePrefix: 'keyset' });
    sim.resetCounters();
    const pages = await pull(contextFor({ pageSize: 2 }), null);
    const [first, second] = incidentLists();
    expect(first?.query).toMatchObject({
      sysparm_query: 'ORDERBYsys_updated_on^ORDERBYsys_id',
      sysparm_limit: '2',
      sysparm_offset: '0',
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
    });
    expect(first?.query['sysparm_fields']).toContain('sys_updated_on');
    const lastOfFirst = pages[0]!.records.at(-1)!.externalId;
    expect(second?.query['sysparm_query']).toBe(
      `sys_updated_on>=2024-06-01 08:00:00^sys_updated_on>2024-06-01 08:00:00^ORsys_id>${lastOfFirst}^ORDERBYsys_updated_on^ORDERBYsys_id`,
    );
    expect(incidentLists().every((r) => r.query['sysparm_offset'] === '0')).toBe(true);
    expect(pages.flatMap((p) => p.records)).toHaveLength(3);
    expect(sim.ignoredQueryTerms()).toEqual([]);
  });

  it('starts an incremental pull inclusively, overlapSeconds before the cursor, within the scope query', async () => {
    sim.resetCounters();
    const cursor = JSON.stringify({ v: 1, ts: '2024-06-01 08:00:00', id: '' });
    await pull(contextFor({ overlapSeconds: 90, scopeQuery: 'active=true' }), cursor);
    expect(incidentLists()[0]?.query['sysparm_query']).toBe(
      'active=true^sys_updated_on>=2024-06-01 07:58:30^ORDERBYsys_updated_on^ORDERBYsys_id',
    );
  });

  it('restarts with a full pull on an unreadable cursor, and warns', async () => {
    const warnings: string[] = [];
    sim.resetCounters();
    const pages = await pull(contextFor({}, warnings), '{"v":9}');
    expect(warnings).toEqual(['unreadable ServiceNow cursor; starting a full pull']);
    expect(incidentLists()[0]?.query['sysparm_query']).toBe('ORDERBYsys_updated_on^ORDERBYsys_id');
    expect(pages.at(-1)?.progress?.total).toBe(pages.at(-1)?.progress?.fetched);
  });
});

describe('writes', () => {
  it('creates with the caller found by email, the configured group, and a long title kept whole', async () => {
    const ctx = contextFor();
    const long = `Disk full ${'x'.repeat(200)}`;
    const record = await servicenow.createTicket(
      ctx,
      draft({ title: long, requesterEmail: 'DAVID.LOO@example.com' }),
    );
    const stored = sim.incident(record.externalId)!;
    expect(stored).toMatchObject({
      caller_id: sim.userId('david.loo'),
      assignment_group: sim.groupId,
      impact: '2',
      urgency: '2',
      priority: '3',
    });
    expect(stored['short_description']).toHaveLength(160);
    expect(stored['description']).toContain(long);
    expect(record.requester).toMatchObject({ email: 'david.loo@example.com', name: 'David Loo' });
  });

  it('supplies close_code, close_notes and hold_reason, so the data policies pass', async () => {
    const ctx = contextFor({ resolveCloseCode: 'Workaround provided', holdReason: '4' });
    const { externalId } = await servicenow.createTicket(ctx, draft());
    await servicenow.updateTicket(ctx, externalId, { status: 'WAITING' });
    expect(sim.incident(externalId)).toMatchObject({ state: '3', hold_reason: '4' });
    await servicenow.updateTicket(ctx, externalId, { status: 'RESOLVED' });
    expect(sim.incident(externalId)).toMatchObject({
      state: '6',
      hold_reason: '',
      close_code: 'Workaround provided',
    });
  });

  it('maps a data-policy 403 to bad_request, not auth', async () => {
    const { externalId } = await servicenow.createTicket(contextFor(), draft());
    const ctx = contextFor();
    const error = await withSn(ctx, (http) => patchIncident(http, externalId, { state: '6' })).catch(
      (e: unknown) => e,
    );
    expect(isConnectorError(error) && [error.kind, error.status]).toEqual(['bad_request', 403]);
  });

  it('writes priority itself when priorityWrite is "priority"', async () => {
    const ctx = contextFor({ priorityWrite: 'priority' });
    const { externalId } = await servicenow.createTicket(ctx, draft({ priority: 'HIGH' }));
    expect(sim.incident(externalId)).toMatchObject({ priority: '2', impact: '3', urgency: '3' });
  });

  it('sends nothing for an empty patch and writes nothing for an unknown id', async () => {
    const { externalId } = await servicenow.createTicket(contextFor(), draft());
    const before = sim.writeCount('PATCH incident');
    await servicenow.updateTicket(contextFor(), externalId, {});
    expect(sim.writeCount('PATCH incident')).toBe(before);
    await expect(servicenow.getTicket(contextFor(), 'INC0010001')).rejects.toMatchObject({
      kind: 'bad_request',
    });
  });
});

describe('comments', () => {
  it('returns the journal entry written, and filters by since at second precision', async () => {
    const ctx = contextFor();
    const { externalId } = await servicenow.createTicket(ctx, draft());
    sim.addJournal(externalId, 'comments', 'before');
    sim.advanceClock(10_000);
    const since = sim.now();
    const added = await servicenow.addComment(ctx, externalId, {
      body: 'hub note\n\n[via co-managed hub]',
      visibility: 'INTERNAL',
      authorName: 'Ann',
    });
    expect(sim.journal(externalId).map((e) => e['sys_id'])).toContain(added.externalId);
    const later = await servicenow.listComments(ctx, externalId, new Date(since.getTime() + 400));
    expect(later.map((c) => [c.body, c.visibility, c.fromHub])).toEqual([
      ['hub note\n\n[via co-managed hub]', 'INTERNAL', true],
    ]);
    expect(await servicenow.listComments(ctx, externalId)).toHaveLength(2);
  });
});

describe('bulk journal read', () => {
  it('reads a page of incidents with element_idIN queries of at most 100 ids, each journal oldest first', async () => {
    const ctx = contextFor();
    const incidents = sim.seedIncidents(230, { titlePrefix: 'bulk' }).map((i) => i['sys_id']!);
    const [first, second, last] = [incidents[0]!, incidents[150]!, incidents[229]!];
    sim.addJournal(first, 'comments', 'first public');
    sim.advanceClock(2_000);
    sim.addJournal(first, 'work_notes', 'then internal');
    sim.addJournal(second, 'work_notes', 'only note');
    sim.addJournal(last, 'comments', 'last one');
    sim.resetCounters();
    const found = await servicenow.listCommentsBulk!(ctx, incidents);
    const journalReads = sim.requestLog().filter((r) => r.path === '/api/now/table/sys_journal_field');
    expect(journalReads).toHaveLength(3);
    for (const read of journalReads) {
      const ids = /^element_idIN([^^]*)\^/.exec(read.query['sysparm_query'] ?? '')?.[1]?.split(',') ?? [];
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length).toBeLessThanOrEqual(100);
      expect(read.query['sysparm_query']).toContain('^elementINcomments,work_notes^ORDERBYsys_created_on');
    }
    expect([...found.keys()].sort()).toEqual([first, second, last].sort());
    expect(found.get(first)?.map((c) => [c.body, c.visibility])).toEqual([
      ['first public', 'PUBLIC'],
      ['then internal', 'INTERNAL'],
    ]);
    for (const id of [first, second, last]) {
      expect(found.get(id)).toEqual(await servicenow.listComments(ctx, id));
    }
  });

  it('refuses an id that is not a sys_id before sending anything', async () => {
    sim.resetCounters();
    await expect(servicenow.listCommentsBulk!(contextFor(), ['abc,def'])).rejects.toMatchObject({
      kind: 'bad_request',
    });
    expect(sim.requestCount()).toBe(0);
  });
});

describe('check and auth', () => {
  it('names what to fix, without secrets', async () => {
    const bad = await servicenow.check(contextFor({ password: 'wrong-password-1234' }));
    expect(bad).toEqual({ ok: false, reason: expect.stringContaining('username, password') });
    const wrongPath = await servicenow.check(contextFor({ instanceUrl: `${sim.instanceUrl}/api/now` }));
    expect(wrongPath.ok).toBe(false);
    expect(await servicenow.check(contextFor())).toMatchObject({
      ok: true,
      detail: expect.stringContaining('incident(s) in scope'),
    });
  });

  it('reuses one OAuth token across calls', async () => {
    const ctx = contextFor({
      auth: 'oauth',
      oauthClientId: sim.credentials.oauthClientId,
      oauthClientSecret: sim.credentials.oauthClientSecret,
    });
    sim.resetCounters();
    await servicenow.check(ctx);
    await servicenow.check(ctx);
    expect(sim.requestLog().filter((r) => r.path === '/oauth_token.do')).toHaveLength(1);
  });

  it('fails at once with retryAfterSeconds when the rule asks for a long wait', async () => {
    sim.injectRateLimit(1, 600);
    const error = await servicenow
      .getTicket(contextFor(), '0123456789abcdef0123456789abcdef')
      .catch((e: unknown) => e);
    expect(isConnectorError(error) && [error.kind, error.retryAfterSeconds]).toEqual(['rate_limited', 600]);
  });
});
