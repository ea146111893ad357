/**
 * The simulator against Halo's documented behaviour and the payloads in `fixtures/`: raw HTTP,
 * no connector, so a connector bug cannot hide a simulator bug.
 */
import { readFileSync } from 'node:fs';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaloActionList, HaloAgent, HaloStatus, HaloTicket, HaloTicketList, HaloToken } from './api-types.ts';
import { createHaloSimulator, type HaloSimulator } from './simulator.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

let sim: HaloSimulator;
let api: AxiosInstance;

async function token(form: Record<string, string>, query = '') {
  return axios.post(`${sim.baseUrl}/auth/token${query}`, new URLSearchParams(form).toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    validateStatus: () => true,
  });
}

beforeAll(async () => {
  // Tokens outlive the clock moves below; expiry has its own simulator.
  sim = await createHaloSimulator({
    clock: new Date('2024-06-03T08:00:00Z'),
    tokenLifetimeSeconds: 10 * 365 * 86_400,
  });
  const { clientId, clientSecret } = sim.credentials;
  const res = await token({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope: 'all',
  });
  api = axios.create({
    baseURL: `${sim.baseUrl}/api`,
    headers: { authorization: `Bearer ${res.data.access_token}` },
    validateStatus: () => true,
  });
});
afterAll(() => sim.close());

describe('auth', () => {
  it('issues Bearer tokens for client credentials and refuses a wrong secret with invalid_client', async () => {
    const good = await token({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      scope: 'all',
    });
    expect(HaloToken.parse(good.data)).toMatchObject({ token_type: 'Bearer', expires_in: 315_360_000 });
    expect(Object.keys(good.data).sort()).toEqual(Object.keys(fixture('token.json') as object).sort());
    const bad = await token({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: 'x',
      scope: 'all',
    });
    expect([bad.status, bad.data]).toEqual([400, { error: 'invalid_client' }]);
    const grant = await token({ grant_type: 'password', client_id: 'a', client_secret: 'b' });
    expect(grant.data).toEqual({ error: 'unsupported_grant_type' });
  });

  it('answers 401 with WWW-Authenticate without a token, and once the token expired by the clock', async () => {
    const none = await axios.get(`${sim.baseUrl}/api/Status`, { validateStatus: () => true });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('invalid_token');
    const short = await createHaloSimulator({
      clock: new Date('2024-06-03T08:00:00Z'),
      tokenLifetimeSeconds: 60,
    });
    try {
      const { clientId, clientSecret } = short.credentials;
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'all',
      });
      const issued = await axios.post(`${short.baseUrl}/auth/token`, form.toString());
      const call = () =>
        axios.get(`${short.baseUrl}/api/status`, {
          headers: { authorization: `Bearer ${issued.data.access_token}` },
          validateStatus: () => true,
        });
      expect((await call()).status).toBe(200);
      short.setClock(new Date('2024-06-03T08:01:01Z'));
      expect((await call()).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('tickets', () => {
  it('renders every field of the recorded ticket and parses with the connector schemas', async () => {
    const created = await api.post('/Tickets', [{ summary: 'shape', third_party_id_string: 'abc' }]);
    expect(created.status).toBe(201);
    const got = await api.get(`/Tickets/${created.data.id}`);
    expect(Object.keys(got.data).sort()).toEqual(Object.keys(fixture('ticket.json') as object).sort());
    expect(HaloTicket.parse(got.data).last_update).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    HaloTicket.parse(fixture('ticket.json'));
    HaloTicketList.parse(fixture('tickets-page.json'));
    HaloActionList.parse(fixture('actions.json'));
    HaloAgent.array().parse(fixture('agents.json'));
    HaloStatus.array().parse(fixture('statuses.json'));
  });

  it('pages with pageinate/page_size/page_no, caps page_size at 100, and defaults to newest id first', async () => {
    sim.seedTickets(3, { summary: 'paging' });
    const page = await api.get('/Tickets', {
      params: { pageinate: true, page_size: 2, page_no: 1, search: 'paging' },
    });
    expect(page.data).toMatchObject({ record_count: 3, page_no: 1, page_size: 2 });
    expect(page.data.tickets.map((t: { summary: string }) => t.summary)).toEqual(['paging 3', 'paging 2']);
    const capped = await api.get('/Tickets', { params: { pageinate: true, page_size: 500 } });
    expect(capped.data.page_size).toBe(100);
  });

  it('filters on datesearch + startdate inclusively and leaves out excludethese', async () => {
    sim.setClock(new Date('2024-06-03T12:00:00Z'));
    const [a, b] = sim.seedTickets(2, { summary: 'window' });
    const params = {
      pageinate: true,
      page_size: 50,
      datesearch: 'last_update',
      startdate: '2024-06-03T12:00:00.000',
      order: 'last_update',
      order2: 'id',
    };
    const both = await api.get('/Tickets', { params });
    expect(both.data.tickets.map((t: { id: number }) => t.id)).toEqual([a!.id, b!.id]);
    const rest = await api.get('/Tickets', { params: { ...params, excludethese: String(a!.id) } });
    expect(rest.data.tickets.map((t: { id: number }) => t.id)).toEqual([b!.id]);
    const bad = await api.get('/Tickets', { params: { ...params, startdate: 'yesterday' } });
    expect([bad.status, bad.data]).toEqual([
      400,
      { startdate: "The value 'yesterday' is not a valid date." },
    ]);
  });

  it('creates and updates through one POST of an array; errors are keyed by element and field', async () => {
    const ticketsBefore = sim.store.tickets.size;
    const two = await api.post('/Tickets', [{ summary: 'one' }, { summary: 'two' }]);
    expect(two.data).toHaveLength(2);
    const updated = await api.post('/Tickets', [{ id: two.data[0].id, status_id: 9 }]);
    expect(updated.data).toMatchObject({
      id: two.data[0].id,
      status_id: 9,
      status_name: 'Closed',
      summary: 'one',
    });
    const invalid = await api.post('/Tickets', [{ details: 'no summary' }]);
    expect([invalid.status, invalid.data]).toEqual([400, fixture('error-validation.json')]);
    const second = await api.post('/Tickets', [{ summary: 'fine' }, { summary: 'x', status_id: 77 }]);
    expect(second.data).toEqual({ '[1].status_id': 'Status 77 does not exist.' });
    expect(sim.store.tickets.size).toBe(ticketsBefore + 2);
    expect((await api.post('/Tickets', [{ id: 987654, summary: 'x' }])).status).toBe(404);
    expect((await api.get('/Tickets/987654')).status).toBe(404);
  });
});

describe('actions, agents, statuses', () => {
  it('adds actions from an array, bumps last_update, and lists them newest first under {actions}', async () => {
    const ticket = sim.createTicket({ summary: 'actions' });
    const before = ticket.last_update.getTime();
    sim.setClock(new Date('2024-06-03T13:00:00Z'));
    const added = await api.post('/Actions', [
      { ticket_id: ticket.id, note: 'public', outcome: 'Public Note', hiddenfromuser: false },
    ]);
    sim.addNote(ticket.id, 'internal', { internal: true });
    expect(added.data).toMatchObject({ ticket_id: ticket.id, hiddenfromuser: false, who_agentid: 1 });
    const list = await api.get('/Actions', { params: { ticket_id: ticket.id } });
    expect(list.data.actions.map((a: { note: string }) => a.note)).toEqual(['internal', 'public']);
    expect(sim.store.requireTicket(ticket.id).last_update.getTime()).toBeGreaterThan(before);
    expect((await api.get('/Actions')).data).toEqual({ ticket_id: 'Please specify a ticket_id.' });
  });

  it('serves agents with e-mails and the configured statuses as bare arrays', async () => {
    const agents = (await api.get('/Agent')).data as Array<Record<string, unknown>>;
    const recorded = fixture('agents.json') as Array<Record<string, unknown>>;
    expect(agents.map((a) => Object.keys(a).sort())).toEqual(recorded.map((a) => Object.keys(a).sort()));
    expect(agents).toContainEqual(expect.objectContaining({ id: 2, email: 'alice@msp.example' }));
    const statuses = (await api.get('/Status')).data as Array<Record<string, unknown>>;
    expect(statuses).toEqual(fixture('statuses.json'));
    const custom = await createHaloSimulator({
      statuses: [
        { id: 1, name: 'Open', type: 0 },
        { id: 9, name: 'Closed', type: 1 },
      ],
    });
    try {
      expect(custom.store.statuses.map((s) => s.id)).toEqual([1, 9]);
    } finally {
      await custom.close();
    }
  });
});

describe('rate limits', () => {
  it('answers injected 429s with Retry-After and rate headers, then serves again', async () => {
    sim.injectRateLimit(1, 7);
    const limited = await api.get('/Status');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect((await api.get('/Status')).status).toBe(200);
  });
});
