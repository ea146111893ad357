/**
 * The simulator against Jira's documented behaviour and the recorded fixtures, driven with plain
 * axios the way a published client (jira.js) would call it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import { jiraAuthorization } from './config.ts';
import { jiraSm } from './index.ts';
import { createJiraSimulator, type JiraSimulator } from './simulator.ts';

let sim: JiraSimulator;
let api: AxiosInstance;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

beforeAll(async () => {
  sim = await createJiraSimulator({ clock: new Date('2025-03-04T06:00:00.000Z') });
  const config = sim.connectorConfig();
  api = axios.create({
    baseURL: sim.url,
    headers: { authorization: jiraAuthorization(config) },
    validateStatus: () => true,
  });
});
afterAll(() => sim.close());

const search = (jql: string, extra: Record<string, unknown> = {}) =>
  api.post('/rest/api/3/search/jql', {
    jql,
    fields: ['summary', 'updated', 'labels'],
    maxResults: 50,
    ...extra,
  });

describe('auth, removed endpoints, envelopes', () => {
  it('answers 401 with Jira text to a wrong token and to no auth', async () => {
    const bad = await axios.get(`${sim.url}/rest/api/3/myself`, {
      headers: { authorization: jiraAuthorization({ email: sim.apiUser.email, apiToken: 'nope' }) },
      validateStatus: () => true,
    });
    expect([bad.status, bad.data]).toEqual([401, 'Client must be authenticated to access this resource.']);
    expect((await axios.get(`${sim.url}/rest/api/3/myself`, { validateStatus: () => true })).status).toBe(
      401,
    );
    const me = await api.get('/rest/api/3/myself');
    expect(me.data).toMatchObject({
      emailAddress: sim.apiUser.email,
      timeZone: 'Australia/Sydney',
      accountType: 'atlassian',
    });
  });

  it('answers 410 on the removed /rest/api/3/search, as after CHANGE-2046', async () => {
    const res = await api.get('/rest/api/3/search', { params: { jql: 'project = ITS' } });
    expect(res.status).toBe(410);
    expect(res.data).toEqual(fixture('errors.json')['GET /rest/api/3/search (410)']);
  });

  it('returns ids only without fields, never a total, and no token on the last page', async () => {
    for (const i of sim.seedIssues(3, 'envelope')) expect(i.id).toBeGreaterThan(10_000);
    const first = await api.get('/rest/api/3/search/jql', {
      params: { jql: 'project = ITS ORDER BY key ASC', maxResults: 2 },
    });
    expect(first.data.issues[0]).toEqual({ id: expect.any(String) });
    expect(first.data).not.toHaveProperty('total');
    expect(first.data).toMatchObject({ isLast: false, nextPageToken: expect.any(String) });
    let token = first.data.nextPageToken as string | undefined;
    let pages = 1;
    while (token) {
      const next = await api.get('/rest/api/3/search/jql', {
        params: { jql: 'project = ITS ORDER BY key ASC', maxResults: 2, nextPageToken: token },
      });
      token = next.data.nextPageToken;
      pages += 1;
      if (!token) expect(next.data.isLast).toBe(true);
    }
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('renders issues with the fields and shapes of the recorded fixture', async () => {
    const [issue] = sim.seedIssues(1, 'shape');
    const res = await api.get(`/rest/api/3/issue/${issue!.key}`);
    const real = fixture('issue.json');
    expect(Object.keys(res.data.fields).sort()).toEqual(Object.keys(real.fields).sort());
    expect(Object.keys(res.data.fields.status).sort()).toEqual(
      expect.arrayContaining(['id', 'name', 'self', 'statusCategory']),
    );
    expect(res.data.fields.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+1100$/);
    expect(res.data.fields.description).toBeNull();
  });
});

describe('writes', () => {
  it('refuses a PUT that sets status, exactly as Jira words it, and changes nothing', async () => {
    const issue = sim.createIssue({ summary: 'no status via PUT' });
    const before = issue.updated;
    const res = await api.put(`/rest/api/3/issue/${issue.id}`, { fields: { status: { name: 'Closed' } } });
    expect(res.status).toBe(400);
    expect(res.data).toEqual(fixture('errors.json')['PUT /rest/api/3/issue/{id} with fields.status (400)']);
    expect(sim.issue(issue.id)?.statusId).toBe('10001');
    expect(sim.issue(issue.id)?.updated).toBe(before);
  });

  it('changes status only through offered transitions; Closed offers only Reopen', async () => {
    const issue = sim.createIssue({ summary: 'transitions' });
    const list = await api.get(`/rest/api/3/issue/${issue.key}/transitions`);
    const recorded = fixture('transitions.json').transitions[0];
    expect(Object.keys(list.data.transitions[0]).sort()).toEqual(Object.keys(recorded).sort());
    const toClosed = list.data.transitions.find((t: { to: { name: string } }) => t.to.name === 'Closed');
    expect(
      (await api.post(`/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: toClosed.id } }))
        .status,
    ).toBe(204);
    const closed = await api.get(`/rest/api/3/issue/${issue.key}/transitions`);
    expect(closed.data.transitions.map((t: { name: string }) => t.name)).toEqual(['Reopen']);
    const bad = await api.post(`/rest/api/3/issue/${issue.key}/transitions`, {
      transition: { id: toClosed.id },
    });
    expect([bad.status, bad.data.errorMessages[0]]).toEqual([
      400,
      `Transition id '${toClosed.id}' is not valid for this issue.`,
    ]);
  });

  it('assigns by accountId, refuses customers, unassigns with null', async () => {
    const issue = sim.createIssue({ summary: 'assign' });
    const bob = sim.store.userByEmail('bob@contoso-it.example')!;
    const carol = sim.store.userByEmail('carol@customer.example')!;
    expect(
      (await api.put(`/rest/api/3/issue/${issue.id}/assignee`, { accountId: bob.accountId })).status,
    ).toBe(204);
    expect(sim.issue(issue.id)?.assigneeId).toBe(bob.accountId);
    const refused = await api.put(`/rest/api/3/issue/${issue.id}/assignee`, { accountId: carol.accountId });
    expect([refused.status, refused.data.errors.assignee]).toEqual([
      400,
      `User '${carol.accountId}' cannot be assigned issues.`,
    ]);
    expect((await api.put(`/rest/api/3/issue/${issue.id}/assignee`, { accountId: null })).status).toBe(204);
    expect(sim.issue(issue.id)?.assigneeId).toBeNull();
  });

  it('writes internal notes through the JSM API and lists them with jsdPublic', async () => {
    const issue = sim.createIssue({ summary: 'comments' });
    const note = await api.post(`/rest/servicedeskapi/request/${issue.key}/comment`, {
      body: 'internal only',
      public: false,
    });
    expect(note.status).toBe(201);
    expect(Object.keys(note.data).sort()).toEqual(Object.keys(fixture('jsm-request-comment.json')).sort());
    await api.post(`/rest/api/3/issue/${issue.key}/comment`, {
      body: {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'platform' }] }],
      },
    });
    const listed = await api.get(`/rest/api/3/issue/${issue.key}/comment`);
    expect(listed.data.comments.map((c: { jsdPublic: boolean }) => c.jsdPublic)).toEqual([false, true]);
    expect(listed.data).toMatchObject({ startAt: 0, total: 2 });
  });

  it('finds users by email with user/search', async () => {
    const res = await api.get('/rest/api/3/user/search', { params: { query: 'bob@contoso-it.example' } });
    expect(res.data.map((u: { displayName: string }) => u.displayName)).toEqual(['Bob Agent']);
    expect((await api.get('/rest/api/3/user/search')).status).toBe(400);
  });
});

describe('rate limits and page tokens', () => {
  it('answers 429 with Retry-After, X-RateLimit-* and RateLimit-Reason', async () => {
    sim.injectRateLimit(1, 7);
    const res = await api.get('/rest/api/3/myself');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
    expect(res.headers['x-ratelimit-limit']).toMatch(/^\d+$/);
    expect(Date.parse(res.headers['x-ratelimit-reset'] as string)).toBeGreaterThan(sim.now().getTime());
    expect(res.headers['ratelimit-reason']).toBe('jira-burst-based');
    expect((await api.get('/rest/api/3/myself')).status).toBe(200);
  });

  /** Follows tokens naively while an issue on page 1 changes: offset tokens skip one, keyset does not. */
  async function naivePull(mode: 'keyset' | 'offset'): Promise<{ seen: Set<string>; seeded: string[] }> {
    sim.setPageTokenMode(mode);
    sim.setClock(new Date(sim.now().getTime() + 3_600_000));
    const tag = `naive${mode}`;
    const seeded = sim.seedIssues(6, tag).map((i) => i.key);
    const jql = `summary ~ "${tag}" ORDER BY updated ASC, key ASC`;
    const seen = new Set<string>();
    let token: string | undefined;
    let first = true;
    do {
      if (first)
        sim.onNextPageServed(() => {
          sim.setClock(new Date(sim.now().getTime() + 60_000));
          sim.rename(seeded[0]!, `${tag} changed`);
        });
      const page = await search(jql, { maxResults: 2, ...(token ? { nextPageToken: token } : {}) });
      for (const i of page.data.issues) seen.add(i.key);
      token = page.data.nextPageToken;
      first = false;
    } while (token);
    sim.setPageTokenMode('keyset');
    return { seen, seeded };
  }

  it('keyset tokens survive a change mid-pull; offset tokens skip an issue', async () => {
    const keyset = await naivePull('keyset');
    expect(keyset.seeded.filter((k) => !keyset.seen.has(k))).toEqual([]);
    const offset = await naivePull('offset');
    expect(offset.seeded.filter((k) => !offset.seen.has(k))).toEqual([offset.seeded[2]]);
  });
});

describe('admin webhooks', () => {
  it('delivers signed events that the connector verifies', async () => {
    const received: Array<{ headers: Record<string, string | undefined>; rawBody: Buffer }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          headers: req.headers as Record<string, string | undefined>,
          rawBody: Buffer.concat(chunks),
        });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const secret = 'whsec-delivery-test';
    sim.registerWebhook({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      secret,
      jql: 'project = ITS',
    });
    const issue = sim.createIssue({ summary: 'webhook me' });
    sim.comment(issue.id, 'hello', { internal: true });
    await sim.flushWebhooks();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    const events = received.map((r) => JSON.parse(r.rawBody.toString('utf8')).webhookEvent);
    expect(events).toEqual(['jira:issue_created', 'comment_created']);
    const ctx = createConnectorContext(jiraSm, {
      connectionId: 'sim',
      config: sim.connectorConfig({ webhookSecret: secret }),
    });
    for (const r of received) {
      expect(await jiraSm.webhook!.verify(ctx, { ...r, receivedAt: sim.now() })).toBe('valid');
      expect(jiraSm.webhook!.parse(ctx, { ...r, receivedAt: sim.now() })[0]?.externalId).toBe(
        String(issue.id),
      );
    }
  });
});
