/**
 * The simulator against Zendesk's documented behaviour and the recorded-shape fixtures, through a
 * plain HTTP client (as node-zendesk or any other Zendesk client would talk to it).
 */
import axios, { type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import closedError from './fixtures/error-closed-ticket.json' with { type: 'json' };
import notFound from './fixtures/error-not-found.json' with { type: 'json' };
import unauthorized from './fixtures/error-unauthorized.json' with { type: 'json' };
import exported from './fixtures/incremental-export.json' with { type: 'json' };
import ticketFixture from './fixtures/ticket.json' with { type: 'json' };
import { decodeExportCursor } from './sim-export.ts';
import {
  createZendeskSimulator,
  SIM_API_EMAIL,
  SIM_API_TOKEN,
  type ZendeskSimulator,
  type ZendeskSimulatorOptions,
} from './simulator.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
let sim: ZendeskSimulator;
let api: AxiosInstance;

async function start(options: ZendeskSimulatorOptions = {}) {
  sim = await createZendeskSimulator({ clock: T0, ...options });
  api = axios.create({
    baseURL: sim.apiBase,
    auth: { username: `${SIM_API_EMAIL}/token`, password: SIM_API_TOKEN },
    validateStatus: () => true,
  });
}
afterEach(() => sim.close());

const keys = (o: object) => Object.keys(o).sort();

describe('shapes', () => {
  beforeEach(() => start({ exclusionSeconds: 0 }));

  it('answers tickets, exports and users with the fixtures keys', async () => {
    const id = sim.createTicket({ subject: 'shape', assigneeId: sim.people.alice.id });
    const show = await api.get(`/tickets/${id}.json`, { params: { include: 'users' } });
    expect(keys(show.data.ticket)).toEqual(keys(ticketFixture.ticket));
    expect(keys(show.data.users[0])).toEqual(keys(ticketFixture.users[0]!));
    const page = await api.get('/incremental/tickets/cursor.json', {
      params: { start_time: 0, include: 'users' },
    });
    expect(keys(page.data)).toEqual(keys(exported));
    expect(keys(page.data.tickets[0])).toEqual(keys(exported.tickets[0]!));
  });

  it('encodes export cursors as Zendesk does', async () => {
    expect(decodeExportCursor(exported.after_cursor)).toEqual({ ts: 1717405170, id: 4511 });
    sim.createTicket({ subject: 'a' });
    sim.createTicket({ subject: 'b' });
    const page = await api.get('/incremental/tickets/cursor.json', {
      params: { start_time: 0, per_page: 1 },
    });
    expect(page.data.end_of_stream).toBe(false);
    expect(Buffer.from(page.data.after_cursor, 'base64').toString()).toBe(`${T0.getTime() / 1000}.0||1|`);
    const next = await api.get(page.data.after_url.replace(sim.apiBase, ''));
    expect(next.data.tickets.map((t: { id: number }) => t.id)).toEqual([2]);
  });

  it('answers errors with Zendesk bodies', async () => {
    const bad = await api.get('/tickets/1.json', {
      auth: { username: `${SIM_API_EMAIL}/token`, password: 'nope' },
    });
    expect([bad.status, bad.data]).toEqual([401, unauthorized]);
    const missing = await api.get('/tickets/999.json');
    expect([missing.status, missing.data]).toEqual([404, notFound]);
    const id = sim.createTicket({ subject: 'to close', status: 'closed' });
    const closed = await api.put(`/tickets/${id}.json`, { ticket: { subject: 'x' } });
    expect([closed.status, closed.data]).toEqual([422, closedError]);
    const noComment = await api.post('/tickets.json', { ticket: { subject: 'no description' } });
    expect(noComment.status).toBe(422);
    const perPage = await api.get('/incremental/tickets/cursor.json', {
      params: { start_time: 0, per_page: 1001 },
    });
    expect(perPage.status).toBe(400);
  });

  it('answers users/me anonymously without credentials, and finds users by email', async () => {
    const anonymous = await axios.get(`${sim.apiBase}/users/me.json`);
    expect(anonymous.data.user).toMatchObject({ id: null, role: 'end-user' });
    const found = await api.get('/users/search.json', {
      params: { query: 'email:ALICE.nguyen@acme.example' },
    });
    expect(found.data.users.map((u: { id: number }) => u.id)).toEqual([sim.people.alice.id]);
  });

  it('pages comments and lists tickets by external_id', async () => {
    const id = sim.createTicket({ subject: 'c', externalId: 'hub-7' });
    for (let i = 0; i < 3; i += 1) sim.addComment(id, `c${i}`, { public: i % 2 === 0 });
    const first = await api.get(`/tickets/${id}/comments.json`, { params: { per_page: 2 } });
    expect([first.data.count, first.data.comments.length]).toEqual([4, 2]);
    const second = await axios.get(first.data.next_page, { auth: api.defaults.auth });
    expect(second.data.comments.map((c: { body: string; public: boolean }) => [c.body, c.public])).toEqual([
      ['c1', false],
      ['c2', true],
    ]);
    const byRef = await api.get('/tickets.json', { params: { external_id: 'hub-7' } });
    expect(byRef.data.tickets.map((t: { id: number }) => t.id)).toEqual([id]);
  });
});

describe('the export', () => {
  it('holds back the last minute, and the end-of-stream cursor points at that horizon', async () => {
    await start({ exclusionSeconds: 60 });
    const id = sim.createTicket({ subject: 'recent' });
    const now = await api.get('/incremental/tickets/cursor.json', { params: { start_time: 0 } });
    expect([now.data.tickets.length, now.data.end_of_stream]).toEqual([0, true]);
    expect(decodeExportCursor(now.data.after_cursor)).toEqual({ ts: T0.getTime() / 1000 - 60, id: null });
    sim.advanceClock(60_000);
    const later = await api.get('/incremental/tickets/cursor.json', {
      params: { cursor: now.data.after_cursor },
    });
    expect(later.data.tickets.map((t: { id: number }) => t.id)).toEqual([id]);
  });

  it('allows 10 export requests a minute, then answers 429 with Retry-After', async () => {
    await start();
    const answers = [];
    for (let i = 0; i < 11; i += 1)
      answers.push(await api.get('/incremental/tickets/cursor.json?start_time=0'));
    expect(answers.slice(0, 10).every((a) => a.status === 200)).toBe(true);
    const limited = answers[10]!;
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await api.get('/users/me.json')).status).toBe(200);
  });

  it('sends X-Rate-Limit headers and limits the account per minute', async () => {
    await start({ limits: { perMinute: 2 } });
    const first = await api.get('/users/me.json');
    expect([first.headers['x-rate-limit'], first.headers['x-rate-limit-remaining']]).toEqual(['2', '1']);
    await api.get('/users/me.json');
    const third = await api.get('/users/me.json');
    expect([third.status, third.headers['x-rate-limit-remaining']]).toEqual([429, '0']);
    expect(third.headers['retry-after']).toBeDefined();
  });
});
