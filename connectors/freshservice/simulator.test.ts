/**
 * The simulator against Freshservice's documented behaviour and the recorded-shape fixtures,
 * through a plain HTTP client.
 */
import axios, { type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import agents from './fixtures/agents.json' with { type: 'json' };
import conversations from './fixtures/conversations.json' with { type: 'json' };
import unauthorized from './fixtures/error-unauthorized.json' with { type: 'json' };
import validationError from './fixtures/error-validation.json' with { type: 'json' };
import ticketFixture from './fixtures/ticket.json' with { type: 'json' };
import { createFreshserviceSimulator, type FreshserviceSimulator, SIM_API_KEY } from './simulator.ts';

const T0 = new Date('2030-01-31T00:00:00Z');
let sim: FreshserviceSimulator;
let api: AxiosInstance;
beforeEach(async () => {
  sim = await createFreshserviceSimulator({ clock: T0 });
  api = axios.create({
    baseURL: sim.apiBase,
    auth: { username: SIM_API_KEY, password: 'X' },
    validateStatus: () => true,
  });
});
afterEach(() => sim.close());

const keys = (o: object) => Object.keys(o).sort();

describe('shapes', () => {
  it('answers tickets, conversations and agents with the fixtures keys', async () => {
    const id = sim.createTicket({ subject: 'shape', customFields: { cf_hub_ticket_id: 'x' } });
    sim.addConversation(id, 'note', { private: true });
    const show = await api.get(`/tickets/${id}`, { params: { include: 'requester' } });
    expect(keys(show.data.ticket)).toEqual(keys(ticketFixture.ticket));
    const conv = await api.get(`/tickets/${id}/conversations`);
    expect(keys(conv.data)).toEqual(keys(conversations));
    expect(keys(conv.data.conversations[0])).toEqual(keys(conversations.conversations[0]!));
    const list = await api.get('/agents');
    expect(keys(list.data.agents[0])).toEqual(keys(agents.agents[0]!));
  });

  it('answers errors with Freshworks bodies, and counts failed calls against the limit', async () => {
    const bad = await api.get('/tickets', { auth: { username: 'nope', password: 'X' } });
    expect([bad.status, bad.data, bad.headers['x-ratelimit-remaining']]).toEqual([401, unauthorized, '399']);
    const id = sim.createTicket({ subject: 'v' });
    const invalid = await api.put(`/tickets/${id}`, { status: 9 });
    expect([invalid.status, invalid.data]).toEqual([400, validationError]);
    expect((await api.get('/tickets/999')).status).toBe(404);
    expect((await api.post('/tickets', { subject: 'no requester', description: 'x' })).status).toBe(400);
    expect((await api.get('/tickets', { params: { per_page: 101 } })).status).toBe(400);
  });
});

describe('listing', () => {
  it('lists only tickets created in the last 30 days without updated_since, newest first', async () => {
    const old = sim.createTicket({ subject: 'old' });
    sim.advanceClock(31 * 86_400_000);
    const recent = sim.createTicket({ subject: 'recent' });
    const recent2 = sim.createTicket({ subject: 'recent 2' });
    const plain = await api.get('/tickets');
    expect(plain.data.tickets.map((t: { id: number }) => t.id)).toEqual([recent2, recent]);
    const since = await api.get('/tickets', {
      params: { updated_since: '2000-01-01T00:00:00Z', order_by: 'updated_at', order_type: 'asc' },
    });
    expect(since.data.tickets.map((t: { id: number }) => t.id)).toEqual([old, recent, recent2]);
  });

  it('pages with a Link header and an inclusive updated_since', async () => {
    for (let i = 0; i < 3; i += 1) sim.createTicket({ subject: `t${i}` });
    const params = {
      updated_since: T0.toISOString(),
      order_by: 'updated_at',
      order_type: 'asc',
      per_page: 2,
    };
    const first = await api.get('/tickets', { params });
    expect(first.data.tickets).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link)![1]!;
    const second = await axios.get(next, { auth: api.defaults.auth });
    expect([second.data.tickets.length, second.headers.link]).toEqual([1, undefined]);
  });

  it('filters on a custom field without its cf_ prefix, in double quotes', async () => {
    const id = sim.createTicket({ subject: 'c', customFields: { cf_hub_ticket_id: 'hub-9' } });
    const found = await api.get('/tickets/filter', { params: { query: `"hub_ticket_id:'hub-9'"` } });
    expect([found.data.total, found.data.tickets[0]?.id]).toEqual([1, id]);
    expect((await api.get('/tickets/filter', { params: { query: "hub_ticket_id:'hub-9'" } })).status).toBe(
      400,
    );
    expect((await api.get('/tickets/filter', { params: { query: `"nope:'x'"` } })).status).toBe(400);
  });

  it('sends the rate-limit headers, charges includes, and answers 429 with Retry-After', async () => {
    sim.setRateLimit(3);
    const first = await api.get('/tickets', { params: { include: 'requester' } });
    expect([
      first.headers['x-ratelimit-total'],
      first.headers['x-ratelimit-remaining'],
      first.headers['x-ratelimit-used-currentrequest'],
    ]).toEqual(['3', '1', '2']);
    await api.get('/agents');
    const limited = await api.get('/agents');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('dates responses with its own clock', async () => {
    const res = await api.get('/agents');
    expect(new Date(res.headers.date).toISOString()).toBe(T0.toISOString());
  });
});
