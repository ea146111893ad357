/**
 * The shared conformance suite against the simulator (with both readings of `nextPageToken`),
 * then the Jira specifics it does not cover: the JQL a pull sends, restarts and dedupe, the time
 * zone, transitions, the JSM comment API, user lookup and check() reasons.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import {
  type ConnectorContext,
  createConnectorContext,
  createHttpFactory,
  isConnectorError,
  type TicketDraft,
  withOriginMarker,
} from '../../src/connector-kit/index.ts';
import type { JiraSmConfig } from './config.ts';
import { createJiraSmHarness } from './harness.ts';
import { jiraSm } from './index.ts';
import { createJiraSimulator, type JiraSimulator } from './simulator.ts';

runConformanceSuite('jira-sm', jiraSm, () => createJiraSmHarness());
runConformanceSuite('jira-sm (offset page tokens)', jiraSm, () =>
  createJiraSmHarness({ pageTokenMode: 'offset' }),
);

let sim: JiraSimulator;
const contextFor = (
  overrides: Partial<JiraSmConfig> = {},
  warnings: string[] = [],
): ConnectorContext<JiraSmConfig> =>
  createConnectorContext(jiraSm, {
    connectionId: randomUUID(),
    config: sim.connectorConfig({ pageSize: 2, ...overrides }),
    log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
  });
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
async function pullAll(ctx: ConnectorContext<JiraSmConfig>, cursor: string | null) {
  const records: Array<{ id: string; title: string }> = [];
  let last: string | null = null;
  for await (const page of jiraSm.pullTickets(ctx, cursor)) {
    records.push(...page.records.map((r) => ({ id: r.externalId, title: r.title })));
    last = page.cursor;
  }
  return { records, ids: records.map((r) => r.id), last };
}

beforeAll(async () => {
  sim = await createJiraSimulator({ clock: new Date('2025-03-04T06:00:00.000Z') });
});
afterAll(() => sim.close());
const tick = (ms = 3_600_000) => sim.setClock(new Date(sim.now().getTime() + ms));

describe('pullTickets', () => {
  it('sends epoch-ms JQL from the cursor minus the overlap, ordered by updated, and never a quoted date', async () => {
    tick();
    sim.seedIssues(3, 'jql');
    const { last } = await pullAll(contextFor(), null);
    sim.resetCounters();
    await pullAll(contextFor({ overlapSeconds: 120 }), last);
    const jqls = sim.requestLog().flatMap((r) => (r.jql ? [r.jql] : []));
    expect(jqls[0]).toBe(
      `project = "ITS" AND updated >= ${Number(last) - 120_000} ORDER BY updated ASC, key ASC`,
    );
    expect(jqls.join('\n')).not.toMatch(/"\d{4}\//);
  });

  it('restarts at the last page time and drops repeats, so no issue is yielded twice in one pull', async () => {
    tick();
    const seeded = sim.seedIssues(5, 'dedupe').map((i) => String(i.id));
    for (const [i, id] of seeded.entries()) {
      sim.setClock(new Date(sim.now().getTime() + 1_000));
      sim.rename(id, `dedupe renamed ${i}`);
    }
    const ctx = contextFor({ overlapSeconds: 0 });
    const from = String(sim.issue(seeded[0]!)!.updated);
    const { ids } = await pullAll(ctx, from);
    expect(ids).toEqual(seeded);
  });

  it('works whatever the API user time zone, since epoch ms carry none', async () => {
    for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      const local = await createJiraSimulator({
        clock: new Date('2025-07-01T23:59:00Z'),
        apiUserTimeZone: zone,
      });
      const ctx = createConnectorContext(jiraSm, {
        connectionId: zone,
        config: local.connectorConfig({ overlapSeconds: 0 }),
      });
      local.seedIssues(2, 'tz');
      const first = await pullAll(ctx, null);
      local.setClock(new Date('2025-07-02T00:00:30Z'));
      const [late] = local.seedIssues(1, 'tz late');
      const second = await pullAll(ctx, first.last);
      // Inclusive: the two issues at the cursor's own millisecond come again, then the new one.
      expect(second.ids).toEqual([...first.ids, String(late!.id)]);
      await local.close();
    }
  });

  it('confirms the stored cursor when nothing changed, and restarts a full pull on an unreadable cursor', async () => {
    tick();
    const ctx = contextFor();
    const pages = [];
    for await (const page of jiraSm.pullTickets(ctx, String(sim.now().getTime() + 60_000))) pages.push(page);
    expect(pages).toEqual([
      { records: [], cursor: String(sim.now().getTime() + 60_000), progress: { fetched: 0 } },
    ]);
    const warnings: string[] = [];
    const full = await pullAll(contextFor({}, warnings), 'garbage');
    expect(full.ids.length).toBe(sim.store.issues.size);
    expect(warnings[0]).toMatch(/unreadable Jira cursor/);
  });
});

describe('tickets', () => {
  it('creates with the hub label, ADF description, and transitions to the draft status', async () => {
    const d = draft({ status: 'IN_PROGRESS', priority: 'HIGH' });
    const record = await jiraSm.createTicket(contextFor(), d);
    const issue = sim.issue(record.externalId)!;
    expect(issue.labels).toEqual([`hub-${d.hubTicketId}`]);
    expect(record).toMatchObject({
      status: 'IN_PROGRESS',
      rawStatus: 'In Progress',
      priority: 'HIGH',
      correlationId: d.hubTicketId,
    });
    expect(record.description).toBe('It jams on every duplex job.');
    expect(issue.description).toMatchObject({ type: 'doc', version: 1 });
  });

  it('sets the reporter from the requester email found with user/search', async () => {
    const record = await jiraSm.createTicket(
      contextFor(),
      draft({ requesterEmail: 'Carol@Customer.example' }),
    );
    expect(record.requester?.email).toBe('carol@customer.example');
    const unknown = await jiraSm.createTicket(
      contextFor(),
      draft({ requesterEmail: 'nobody@nowhere.example' }),
    );
    expect(unknown.requester?.email).toBe(sim.apiUser.email);
  });

  it('updates fields with PUT, the assignee with PUT assignee, status with a transition; never PUTs status', async () => {
    const { externalId } = await jiraSm.createTicket(contextFor(), draft());
    sim.resetCounters();
    const bob = sim.store.userByEmail('bob@contoso-it.example')!.accountId;
    const record = await jiraSm.updateTicket(contextFor(), externalId, {
      title: 'renamed',
      priority: 'LOW',
      assigneeExternalId: bob,
      status: 'WAITING',
    });
    expect(record).toMatchObject({
      title: 'renamed',
      priority: 'LOW',
      status: 'WAITING',
      assignee: { externalId: bob },
    });
    expect(sim.writeCounts()).toEqual({
      'PUT /rest/api/3/issue/{id}': 1,
      'PUT /rest/api/3/issue/{id}/assignee': 1,
      'POST /rest/api/3/issue/{id}/transitions': 1,
    });
  });

  it('names the offered transitions when the workflow has no way to the target', async () => {
    const { externalId } = await jiraSm.createTicket(contextFor(), draft({ status: 'CLOSED' }));
    const err = await jiraSm
      .updateTicket(contextFor(), externalId, { status: 'IN_PROGRESS' })
      .catch((e: unknown) => e);
    expect(isConnectorError(err) && err.kind).toBe('conflict');
    expect(String(err)).toMatch(/from "Closed" to "In Progress".*Reopen -> Open/);
  });

  it('maps Jira 400s to bad_request (a customer cannot be an assignee)', async () => {
    const { externalId } = await jiraSm.createTicket(contextFor(), draft());
    const carol = sim.store.userByEmail('carol@customer.example')!.accountId;
    const err = await jiraSm
      .updateTicket(contextFor(), externalId, { assigneeExternalId: carol })
      .catch((e: unknown) => e);
    expect(isConnectorError(err) && [err.kind, err.status]).toEqual(['bad_request', 400]);
  });
});

describe('comments', () => {
  it('writes notes through the JSM request API and reads them back with the marker, oldest first', async () => {
    const { externalId } = await jiraSm.createTicket(contextFor(), draft());
    sim.resetCounters();
    await jiraSm.addComment(contextFor(), externalId, {
      body: withOriginMarker('internal'),
      visibility: 'INTERNAL',
      authorName: 'Hub',
    });
    await jiraSm.addComment(contextFor(), externalId, {
      body: withOriginMarker('public'),
      visibility: 'PUBLIC',
      authorName: 'Hub',
    });
    expect(sim.writeCounts()).toEqual({ 'POST /rest/servicedeskapi/request/{id}/comment': 2 });
    const comments = await jiraSm.listComments(contextFor(), externalId);
    expect(comments.map((c) => [c.body, c.visibility, c.fromHub])).toEqual([
      [withOriginMarker('internal'), 'INTERNAL', true],
      [withOriginMarker('public'), 'PUBLIC', true],
    ]);
  });

  it('pages through more than one comment page and filters by since', async () => {
    const { externalId } = await jiraSm.createTicket(contextFor(), draft());
    tick();
    for (let i = 0; i < 105; i += 1) sim.comment(externalId, `c${i}`, { internal: false });
    tick();
    sim.comment(externalId, 'latest', { internal: true });
    const all = await jiraSm.listComments(contextFor(), externalId);
    expect(all).toHaveLength(106);
    const since = await jiraSm.listComments(contextFor(), externalId, sim.now());
    expect(since.map((c) => [c.body, c.visibility])).toEqual([['latest', 'INTERNAL']]);
  });
});

describe('check', () => {
  it('says who is signed in, and names a missing project or issue type', async () => {
    expect(await jiraSm.check(contextFor())).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/Hub Sync.*ITS/),
    });
    expect(await jiraSm.check(contextFor({ projectKey: 'NOPE' }))).toEqual({
      ok: false,
      reason: `Jira has no project NOPE, or ${sim.apiUser.email} cannot see it`,
    });
    const wrongType = await jiraSm.check(contextFor({ issueType: 'Bug' }));
    expect(wrongType).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no issue type "Bug".*Service Request/),
    });
  });

  it('explains an unreachable site without throwing', async () => {
    // Retries wait on a no-op timer, so the refused connection is answered at once.
    const ctx = createConnectorContext(jiraSm, {
      connectionId: 'unreachable',
      config: sim.connectorConfig({ siteUrl: 'http://127.0.0.1:9' }),
      http: createHttpFactory({ sleep: async () => {} }),
    });
    const result = await jiraSm.check(ctx);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/did not answer/) });
  });
});
