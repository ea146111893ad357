/**
 * The simulator at the HTTP level, with a bare axios client: what connectwise-rest or any other
 * CW client would see (auth, headers, envelopes, paging, errors, faults, callbacks).
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CwError, CwTicket } from './api-types.ts';
import { CW_ACCEPT, cwAuthorization } from './client.ts';
import { parseLinkHeader } from './link-header.ts';
import { type ConnectWiseSimulator, createConnectWiseSimulator } from './simulator.ts';

let sim: ConnectWiseSimulator;
let api: AxiosInstance;

beforeAll(async () => {
  sim = await createConnectWiseSimulator({ clock: new Date('2024-05-14T12:00:00Z') });
  api = axios.create({
    baseURL: sim.baseUrl,
    validateStatus: () => true,
    headers: {
      Authorization: cwAuthorization(sim.credentials),
      clientId: sim.credentials.clientId,
      Accept: CW_ACCEPT,
    },
  });
});
afterAll(() => sim.close());

describe('auth and headers', () => {
  it('answers 401 {code: Unauthorized} to a wrong key, and to a missing clientId', async () => {
    const wrongKey = await api.get('/system/info', {
      headers: { Authorization: cwAuthorization({ ...sim.credentials, privateKey: 'nope' }) },
    });
    expect(wrongKey.status).toBe(401);
    expect(CwError.parse(wrongKey.data).code).toBe('Unauthorized');
    const noClientId = await api.get('/system/info', { headers: { clientId: '' } });
    expect(noClientId.status).toBe(401);
  });

  it('carries api-current-version and a request id', async () => {
    const res = await api.get('/system/info');
    expect(res.status).toBe(200);
    expect(res.headers['api-current-version']).toMatch(/^\d{4}\.\d+$/);
    expect(res.headers['x-cw-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 with the CW envelope for an unknown ticket id', async () => {
    const res = await api.get('/service/tickets/424242');
    expect(res.status).toBe(404);
    expect(CwError.parse(res.data).code).toBe('NotFound');
  });
});

describe('listing', () => {
  beforeAll(() => {
    sim.seedTickets(7, { summary: 'paging' });
    sim.seedTicket({ summary: 'elsewhere', board: 'Network Operations' });
  });

  it('keeps conditions and orderBy in every Link and puts page last', async () => {
    const conditions = 'board/name="Help Desk" and summary contains "paging"';
    const res = await api.get('/service/tickets', {
      params: { conditions, orderBy: 'id desc', pageSize: 3, page: 2 },
    });
    const links = parseLinkHeader(res.headers['link']);
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next', 'prev']);
    for (const [rel, page] of [
      ['prev', '1'],
      ['next', '3'],
      ['first', '1'],
      ['last', '3'],
    ] as const) {
      const url = new URL(links[rel]!);
      expect(url.searchParams.get('conditions')).toBe(conditions);
      expect(url.searchParams.get('orderBy')).toBe('id desc');
      expect(url.searchParams.get('page')).toBe(page);
      expect(links[rel]).toMatch(/page=\d+$/);
    }
    const next = await api.get(links['next']!, { baseURL: '' });
    expect(next.data).toHaveLength(1);
    expect(parseLinkHeader(next.headers['link'])['next']).toBeUndefined();
  });

  it('defaults to 25 per page and caps pageSize at 1000', async () => {
    sim.seedTickets(20, { summary: 'bulk' });
    expect((await api.get('/service/tickets')).data).toHaveLength(25);
    const all = await api.get('/service/tickets', { params: { pageSize: 5000 } });
    expect(all.data.length).toBe(sim.listTickets().length);
  });

  it('pages forward-only with a pageId Link that keeps the conditions', async () => {
    const conditions = 'summary contains "paging"';
    const seen: number[] = [];
    let res = await api.get('/service/tickets', {
      params: { conditions, pageSize: 3 },
      headers: { 'pagination-type': 'forward-only' },
    });
    for (;;) {
      seen.push(
        ...CwTicket.array()
          .parse(res.data)
          .map((t) => t.id),
      );
      const next = parseLinkHeader(res.headers['link'])['next'];
      if (!next) break;
      expect(new URL(next).searchParams.get('conditions')).toBe(conditions);
      expect(new URL(next).searchParams.get('pageId')).toBe(String(seen.at(-1)));
      res = await api.get(next, { baseURL: '', headers: { 'pagination-type': 'forward-only' } });
    }
    expect(seen).toHaveLength(7);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('answers 400 to conditions it cannot parse', async () => {
    const res = await api.get('/service/tickets', { params: { conditions: 'summary="open' } });
    expect(res.status).toBe(400);
    expect(CwError.parse(res.data).message).toMatch(/unterminated string/);
  });
});

describe('writes', () => {
  it('creates with references, patches with JSON Patch, and counts writes per endpoint', async () => {
    sim.resetCounters();
    const created = await api.post('/service/tickets', {
      summary: 'Laptop battery swelling',
      board: { id: 1 },
      company: { identifier: 'Contoso' },
      priority: { id: 16 },
      initialDescription: 'Bulge under the trackpad.',
    });
    expect(created.status).toBe(201);
    const ticket = CwTicket.parse(created.data);
    expect([ticket.status.name, ticket.priority?.name]).toEqual(['New', 'Priority 2 - Quick Response']);
    const patched = await api.patch(`/service/tickets/${ticket.id}`, [
      { op: 'replace', path: 'status', value: { id: 510 } },
      { op: 'replace', path: 'owner', value: { identifier: 'mgarcia' } },
    ]);
    expect(CwTicket.parse(patched.data)).toMatchObject({
      closedFlag: true,
      status: { name: 'Closed' },
      owner: { id: 152 },
    });
    expect(sim.listNotes(ticket.id)).toMatchObject([
      { text: 'Bulge under the trackpad.', detailDescriptionFlag: true },
    ]);
    expect(sim.writeCounts()).toEqual({ 'POST /service/tickets': 1, 'PATCH /service/tickets/{id}': 1 });
  });

  it('refuses a summary over 100 characters, a missing company and a status from another board', async () => {
    const long = await api.post('/service/tickets', { summary: 'x'.repeat(101), company: { id: 19300 } });
    expect(CwError.parse(long.data).errors?.[0]).toMatchObject({ field: 'summary', resource: 'ticket' });
    const noCompany = await api.post('/service/tickets', { summary: 'no company' });
    expect(CwError.parse(noCompany.data).errors?.[0]?.field).toBe('company');
    const id = sim.seedTicket()['id'];
    const wrongBoard = await api.patch(`/service/tickets/${id}`, [
      { op: 'replace', path: 'status', value: { id: 702 } },
    ]);
    expect([wrongBoard.status, CwError.parse(wrongBoard.data).errors?.[0]?.field]).toEqual([400, 'status']);
  });

  it('requires a note flag and returns CW note fields', async () => {
    const id = sim.seedTicket()['id'];
    expect((await api.post(`/service/tickets/${id}/notes`, { text: 'no flag' })).status).toBe(400);
    const res = await api.post(`/service/tickets/${id}/notes`, {
      text: 'checked',
      internalAnalysisFlag: true,
    });
    expect(res.data).toMatchObject({ internalFlag: true, externalFlag: false, createdBy: 'hubapi' });
    expect(res.data.dateCreated).toBe('2024-05-14T12:00:00Z');
  });
});

describe('faults', () => {
  it('answers 429 with Retry-After, then 500, for the next N requests only', async () => {
    sim.injectRateLimit(1, 7);
    sim.injectServerError(2);
    const limited = await api.get('/system/info');
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '7']);
    expect((await api.get('/system/info')).status).toBe(500);
    expect((await api.get('/system/info')).status).toBe(500);
    expect((await api.get('/system/info')).status).toBe(200);
  });
});

describe('callbacks', () => {
  let receiver: Server;
  const received: Array<{ signature: string | undefined; body: string }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ signature: req.headers['x-content-signature'] as string | undefined, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('POSTs signed payloads for technician changes, but not for skipCallback or self-suppressed ones', async () => {
    const { port } = receiver.address() as { port: number };
    const url = `http://127.0.0.1:${port}/cw`;
    const reg = await api.post('/system/callbacks', {
      url,
      objectId: 1,
      type: 'ticket',
      level: 'owner',
      isSelfSuppressedFlag: true,
    });
    expect(reg.status).toBe(201);
    const id = sim.seedTicket({ summary: 'callback me' })['id'] as number;
    sim.setStatus(id, 'In Progress', { skipCallback: true });
    await api.patch(`/service/tickets/${id}`, [
      { op: 'replace', path: 'summary', value: 'by the API member' },
    ]);
    sim.assign(id, 'akumar', { by: 'mgarcia' });
    await sim.flushCallbacks();
    const bodies = received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.Action, b.MemberId])).toEqual([
      ['added', 'jsmith'],
      ['updated', 'mgarcia'],
    ]);
    expect(JSON.parse(bodies[1].Entity)).toMatchObject({ id, owner: { identifier: 'akumar' } });
    const key = (await axios.get(bodies[1].Metadata.key_url)).data.signing_key as string;
    const hmacKey = createHash('sha256').update(key).digest();
    for (const r of received) {
      expect(r.signature).toBe(
        createHmac('sha256', hmacKey)
          .update(JSON.stringify(JSON.parse(r.body)))
          .digest('base64'),
      );
    }
  });
});
