/**
 * The simulator against Autotask's documented behaviour, through a plain HTTP client (as a
 * published library would call it): zone lookup, auth, query grammar and paging, envelopes,
 * errors, the thread limit and the request threshold.
 */
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';

let sim: AutotaskSimulator;
let api: AxiosInstance;
const auth = () => ({
  ApiIntegrationCode: sim.credentials.integrationCode,
  UserName: sim.credentials.username,
  Secret: sim.credentials.secret,
});
const raw = () => axios.create({ baseURL: sim.apiBase(), validateStatus: () => true, headers: auth() });

beforeAll(async () => {
  sim = await createAutotaskSimulator({ clock: new Date('2024-06-01T08:00:00.000Z') });
  api = raw();
});
afterAll(() => sim.close());

describe('zone lookup and auth', () => {
  it('answers the zone for the API user and 500 for a blank or unknown one', async () => {
    const lookup = (user: string) =>
      axios.get(`${sim.zoneLookupUrl}/v1.0/zoneInformation`, {
        params: { user },
        validateStatus: () => true,
      });
    const ok = await lookup(sim.credentials.username.toUpperCase());
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({
      url: `${sim.apiBase().replace(/V1\.0$/, '')}`,
      webUrl: expect.any(String),
    });
    for (const user of ['', 'nobody@example.com']) {
      const res = await lookup(user);
      expect(res.status).toBe(500);
      expect(res.data).toEqual({ errors: [expect.any(String)] });
    }
  });

  it('wants all three headers and answers 401 with {errors}', async () => {
    const res = await api.get('/Tickets/1', { headers: { Secret: 'nope' } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ errors: ['Authorization has been denied for this request.'] });
    expect((await api.get('/Tickets/1', { headers: { ApiIntegrationCode: '' } })).status).toBe(401);
  });

  it('answers 401 in the old zone after the database moved', async () => {
    const before = sim.apiBase();
    sim.moveZone('webservices16');
    expect(
      (await axios.get(`${before}/Tickets/1`, { headers: auth(), validateStatus: () => true })).status,
    ).toBe(401);
    sim.moveZone('webservices5');
  });
});

describe('tickets', () => {
  it('creates with {itemId}, reads {item} (null when unknown), patches sparsely', async () => {
    const created = await api.post('/Tickets', {
      companyID: 174,
      queueID: 29683354,
      title: 'New laptop',
      status: 1,
      priority: 2,
    });
    expect(created.status).toBe(200);
    expect(created.data).toEqual({ itemId: expect.any(Number) });
    const id = created.data.itemId as number;
    await api.patch('/Tickets', { id, priority: 4 });
    const got = (await api.get(`/Tickets/${id}`)).data.item;
    expect(got).toMatchObject({
      id,
      title: 'New laptop',
      priority: 4,
      status: 1,
      companyID: 174,
      createDate: '2024-06-01T08:00:00.000Z',
    });
    expect(got.userDefinedFields).toEqual([
      { name: 'Hub Ticket Id', value: null },
      { name: 'Site', value: null },
    ]);
    expect((await api.get('/Tickets/424242')).data).toEqual({ item: null });
  });

  it('refuses invalid tickets with HTTP 500 and {errors}, like Autotask', async () => {
    const res = await api.post('/Tickets', {
      companyID: 174,
      queueID: 29683354,
      title: 'x',
      status: 99,
      priority: 2,
    });
    expect(res.status).toBe(500);
    expect(res.data.errors[0]).toMatch(/status/);
    expect(
      (await api.post('/Tickets', { title: 'no company', status: 1, priority: 2, queueID: 29683354 })).status,
    ).toBe(500);
    expect((await api.patch('/Tickets', { id: 1, title: 'missing' })).status).toBe(500);
  });
});

describe('queries', () => {
  beforeAll(() => {
    sim.seedTickets(7, 'Query me');
    sim.createTicket({ title: 'Other company', companyID: 175, externalID: 'EXT-1' });
  });
  const query = (filter: unknown, MaxRecords = 500) => api.post('/Tickets/query', { MaxRecords, filter });

  it('evaluates the filter grammar, groups included', async () => {
    const titles = async (filter: unknown) =>
      ((await query(filter)).data.items as Array<{ title: string }>).map((t) => t.title);
    expect(await titles([{ op: 'beginsWith', field: 'title', value: 'query me 1' }])).toEqual(['Query me 1']);
    expect(
      await titles([
        {
          op: 'or',
          items: [
            { op: 'eq', field: 'externalID', value: 'ext-1' },
            { op: 'endsWith', field: 'title', value: ' 7' },
          ],
        },
      ]),
    ).toEqual(['Query me 7', 'Other company']);
    expect(
      (
        await titles([
          {
            op: 'and',
            items: [
              { op: 'contains', field: 'TITLE', value: 'me' },
              { op: 'notIn', field: 'companyID', value: [175] },
            ],
          },
        ])
      ).length,
    ).toBe(7);
    expect(await titles([{ op: 'exist', field: 'externalID' }])).toEqual(['Other company']);
    expect(
      (
        await titles([
          { op: 'notExist', field: 'externalID' },
          { op: 'in', field: 'companyID', value: [175] },
        ])
      ).length,
    ).toBe(0);
    expect(
      (
        await titles([
          { op: 'gte', field: 'lastActivityDate', value: '2024-06-01T08:00:00Z' },
          { op: 'lt', field: 'id', value: 0 },
        ])
      ).length,
    ).toBe(0);
    expect(await titles([{ op: 'eq', field: 'Hub Ticket Id', udf: true, value: 'none' }])).toEqual([]);
  });

  it('pages in id order with a nextPageUrl that takes the same body again', async () => {
    const filter = [{ op: 'beginsWith', field: 'title', value: 'Query me' }];
    const first = (await query(filter, 3)).data;
    expect(first.pageDetails).toMatchObject({ count: 3, requestCount: 3, prevPageUrl: null });
    const ids: number[] = first.items.map((t: { id: number }) => t.id);
    let next: string | null = first.pageDetails.nextPageUrl;
    while (next) {
      const page = (await axios.post(next, { MaxRecords: 3, filter }, { headers: auth() })).data;
      ids.push(...page.items.map((t: { id: number }) => t.id));
      next = page.pageDetails.nextPageUrl;
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toHaveLength(7);
    expect((await api.post('/Tickets/query/count', { filter })).data).toEqual({ queryCount: 7 });
  });

  it('refuses more than 500 records, unknown operators and unknown fields', async () => {
    expect((await query([{ op: 'eq', field: 'id', value: 1 }], 501)).status).toBe(500);
    expect((await query([{ op: 'like', field: 'title', value: 'x' }])).status).toBe(500);
    expect((await query([{ op: 'eq', field: 'nope', value: 'x' }])).data.errors).toHaveLength(1);
  });

  it('serves picklists from entity metadata, values as strings', async () => {
    const fields = (await api.get('/Tickets/entityInformation/fields')).data.fields as Array<{
      name: string;
      picklistValues: Array<{ value: string; label: string }>;
    }>;
    const status = fields.find((f) => f.name === 'status')?.picklistValues ?? [];
    expect(status).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: '1', label: 'New' }),
        expect.objectContaining({ value: '5', label: 'Complete' }),
      ]),
    );
  });
});

describe('limits', () => {
  it('answers 429 to a 4th concurrent request on one endpoint, not on another', async () => {
    const slow = await createAutotaskSimulator({ latencyMs: 150 });
    try {
      const client = axios.create({ baseURL: slow.apiBase(), validateStatus: () => true, headers: auth() });
      const statuses = await Promise.all(
        [1, 2, 3, 4, 5].map(() => client.get('/Tickets/1').then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      expect(slow.limitRejections().thread).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('enforces the request threshold per (scaled) hour and reports usage in ThresholdInformation', async () => {
    const small = await createAutotaskSimulator({ threshold: 5, hourMs: 600_000 });
    try {
      const client = axios.create({ baseURL: small.apiBase(), validateStatus: () => true, headers: auth() });
      for (let i = 0; i < 3; i++) expect((await client.get('/Tickets/1')).status).toBe(200);
      const info = (await client.get('/ThresholdInformation')).data;
      expect(info).toEqual({
        externalRequestThreshold: 5,
        requestThresholdTimeframe: 10,
        currentTimeframeRequestCount: 4,
      });
      expect((await client.get('/Tickets/1')).status).toBe(200);
      const blocked = await client.get('/Tickets/1');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.data.errors[0]).toMatch(/threshold/i);
    } finally {
      await small.close();
    }
  });
});
