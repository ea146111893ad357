import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { ensureDashboardBuilt } from './support/dashboard.ts';
import { startTestHub, type TestHub } from './support/hub.ts';

const [backend] = await availableBackends();
const CREATE = 'mutation { createTicket(input: { title: "Forged from a form" }) { ticket { id } } }';

/** What a browser on another site can make the hub do with a token it holds. */
describe.skipIf(!backend)(`browser-facing defaults on ${backend}`, () => {
  let hub: TestHub;
  let prod: TestHub;
  beforeAll(async () => {
    await ensureDashboardBuilt();
    hub = await startTestHub(backend!, { CORS_ORIGINS: 'https://ops.example.com, http://localhost:5173' });
    prod = await startTestHub(backend!, { NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await hub?.stop();
    await prod?.stop();
  });

  const post = (contentType: string, body: string) =>
    fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${hub.tokens.internalAgent}` },
      body,
    });
  const created = async () => {
    const res = await hub.gql<{ tickets: { totalCount: number } }>(
      hub.tokens.internalAgent,
      '{ tickets(filter: { search: "Forged" }) { totalCount } }',
    );
    return res.data!.tickets.totalCount;
  };

  it('takes operations only as JSON: form, text and multipart bodies are refused with 415', async () => {
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(CREATE)}`],
      ['text/plain', JSON.stringify({ query: CREATE })],
      [
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: CREATE })}\r\n--x--\r\n`,
      ],
      ['application/graphql', CREATE],
    ];
    for (const [type, body] of bodies) {
      const res = await post(type, body);
      expect([type, res.status]).toEqual([type, 415]);
      const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(json.errors[0]?.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(json.errors[0]?.message).toMatch(/application\/json/);
    }
    expect(await created()).toBe(0);
    const ok = await post(
      'application/json; charset=utf-8',
      JSON.stringify({ query: '{ viewer { role } }' }),
    );
    expect(ok.status).toBe(200);
  });

  it('refuses a mutation sent with GET', async () => {
    const before = await created();
    const res = await fetch(`${hub.url}?query=${encodeURIComponent(CREATE)}`, {
      headers: { authorization: `Bearer ${hub.tokens.internalAgent}`, accept: 'application/json' },
    });
    expect(res.status).toBe(405);
    expect(await created()).toBe(before);
  });

  it('allows cross-origin calls from the hub itself and the configured origins only, without credentials', async () => {
    const preflight = (origin: string) =>
      fetch(hub.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    for (const origin of ['https://ops.example.com', 'http://localhost:5173', new URL(hub.url).origin]) {
      const res = await preflight(origin);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    }
    for (const origin of ['https://evil.example', 'null', 'https://ops.example.com.evil.example']) {
      const res = await preflight(origin);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const read = await fetch(hub.url, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/json',
        authorization: `Bearer ${hub.tokens.internalViewer}`,
      },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves no source maps of the dashboard in production', async () => {
    const maps = readdirSync('dashboard/dist/assets').filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const base = new URL(prod.url).origin;
    for (const map of maps) {
      expect((await fetch(`${base}/dashboard/assets/${map}`)).status).toBe(404);
      // Outside production they help debugging, and stay.
      expect((await fetch(`${new URL(hub.url).origin}/dashboard/assets/${map}`)).status).toBe(200);
    }
    const js = readdirSync('dashboard/dist/assets').find((f) => f.endsWith('.js'))!;
    expect((await fetch(`${base}/dashboard/assets/${js}`)).status).toBe(200);
  });
});
