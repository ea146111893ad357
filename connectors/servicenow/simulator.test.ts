/**
 * Keeps the simulator honest against the recorded payloads: envelopes, error bodies, paging headers,
 * reference rendering, date-times, journal appends, data policies, priority lookup, 429s and OAuth.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceNowSimulator, type ServiceNowSimulator } from './simulator.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

let sim: ServiceNowSimulator;
let basic: string;
beforeAll(async () => {
  sim = await createServiceNowSimulator({ clock: new Date('2024-05-03T16:40:51Z') });
  basic = `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64')}`;
});
afterAll(() => sim.close());

async function api(path: string, init: { method?: string; body?: unknown; auth?: string } = {}) {
  const res = await fetch(`${sim.instanceUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: init.auth ?? basic,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('auth and errors', () => {
  it('answers bad credentials with the recorded 401', async () => {
    const res = await api('/api/now/table/incident', { auth: 'Basic d3Jvbmc6d3Jvbmc=' });
    const recorded = fixture('error-unauthorized.json');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(recorded.body);
    expect(res.headers.get('www-authenticate')).toBe(recorded.headers['www-authenticate']);
  });

  it('answers an unknown sys_id with the recorded 404', async () => {
    const res = await api('/api/now/table/incident/0123456789abcdef0123456789abcdef');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(fixture('error-not-found.json').body);
  });

  it('refuses writes to tables the integration user may only read', async () => {
    const res = await api('/api/now/table/sys_user', { method: 'POST', body: { user_name: 'mallory' } });
    expect(res.status).toBe(403);
    expect(res.body.status).toBe('failure');
  });
});

describe('lists', () => {
  it('pages by offset with X-Total-Count and a Link header that keeps the query', async () => {
    sim.seedIncidents(5, { titlePrefix: 'paging' });
    const query = 'short_descriptionSTARTSWITHpaging^ORDERBYnumber';
    const res = await api(
      `/api/now/table/incident?sysparm_query=${encodeURIComponent(query)}&sysparm_limit=2&sysparm_offset=2&sysparm_fields=number`,
    );
    expect(res.body.result).toHaveLength(2);
    expect(res.headers.get('x-total-count')).toBe('5');
    const links = Object.fromEntries(
      (res.headers.get('link') ?? '').split(',').map((part) => {
        const [, url, rel] = /<([^>]+)>;rel="(\w+)"/.exec(part) ?? [];
        return [rel, new URL(url ?? '')];
      }),
    );
    expect(Object.keys(links)).toEqual(['first', 'prev', 'next', 'last']);
    expect(links['next']?.searchParams.get('sysparm_offset')).toBe('4');
    expect(links['last']?.searchParams.get('sysparm_offset')).toBe('4');
    expect(links['next']?.searchParams.get('sysparm_query')).toBe(query);
    expect(links['next']?.searchParams.get('sysparm_fields')).toBe('number');
    expect(Object.keys(fixture('incident-list.json').headers)).toEqual(
      expect.arrayContaining(['x-total-count', 'link']),
    );
  });

  it('renders every value as a string, date-times as UTC YYYY-MM-DD HH:mm:ss', async () => {
    const [incident] = sim.seedIncidents(1, { titlePrefix: 'render' });
    const res = await api(
      `/api/now/table/incident/${incident!['sys_id']}?sysparm_exclude_reference_link=true`,
    );
    const recorded = fixture('incident.json').result;
    expect(Object.keys(res.body.result)).toEqual(expect.arrayContaining(Object.keys(recorded)));
    expect(Object.values(res.body.result).every((v) => typeof v === 'string')).toBe(true);
    expect(res.body.result.sys_updated_on).toBe('2024-05-03 16:40:51');
    expect(res.body.result.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.result.number).toMatch(/^INC\d{7}$/);
  });

  it('renders references as { link, value } unless excluded, and labels with display values', async () => {
    const [incident] = sim.seedIncidents(1, { titlePrefix: 'refs' });
    const id = incident!['sys_id'];
    const linked = await api(`/api/now/table/incident/${id}?sysparm_fields=caller_id,assigned_to`);
    const recorded = fixture('incident-reference-link.json').body.result.assigned_to;
    expect(Object.keys(linked.body.result.caller_id)).toEqual(Object.keys(recorded));
    expect(linked.body.result.caller_id.link).toBe(
      `${sim.instanceUrl}/api/now/table/sys_user/${linked.body.result.caller_id.value}`,
    );
    expect(linked.body.result.assigned_to).toBe('');
    const shown = await api(
      `/api/now/table/incident/${id}?sysparm_display_value=true&sysparm_exclude_reference_link=true&sysparm_fields=state,caller_id`,
    );
    expect(shown.body.result).toEqual({ state: 'New', caller_id: 'Abel Tuter' });
    const all = await api(
      `/api/now/table/incident/${id}?sysparm_display_value=all&sysparm_exclude_reference_link=true&sysparm_fields=state`,
    );
    expect(all.body.result.state).toEqual({ display_value: 'New', value: '1' });
  });
});

describe('writes', () => {
  it('creates with 201 and Location, and computes priority from impact and urgency', async () => {
    const res = await api('/api/now/table/incident', {
      method: 'POST',
      body: { short_description: 'new', impact: '1', urgency: '2', bogus: 'x' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(
      `${sim.instanceUrl}/api/now/table/incident/${res.body.result.sys_id}`,
    );
    expect(res.body.result).toMatchObject({ priority: '2', state: '1', opened_by: { value: sim.apiUserId } });
    expect(res.body.result).not.toHaveProperty('bogus');
  });

  it('enforces the resolve and hold data policies with the recorded 403', async () => {
    const [incident] = sim.seedIncidents(1, { titlePrefix: 'policy' });
    const path = `/api/now/table/incident/${incident!['sys_id']}`;
    const refused = await api(path, { method: 'PATCH', body: { state: '6' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(fixture('error-data-policy.json').body);
    expect((await api(path, { method: 'PATCH', body: { state: '3' } })).status).toBe(403);
    const resolved = await api(path, {
      method: 'PATCH',
      body: { state: '6', close_code: 'Solution provided', close_notes: 'ok' },
    });
    expect(resolved.body.result).toMatchObject({
      state: '6',
      active: 'true',
      resolved_at: '2024-05-03 16:40:51',
    });
  });

  it('appends journal entries and reads journal fields back empty', async () => {
    const [incident] = sim.seedIncidents(1, { titlePrefix: 'journal' });
    const id = incident!['sys_id']!;
    sim.advanceClock(5_000);
    const res = await api(`/api/now/table/incident/${id}`, {
      method: 'PATCH',
      body: { comments: 'first', work_notes: 'second' },
    });
    expect(res.body.result).toMatchObject({
      comments: '',
      work_notes: '',
      sys_updated_on: '2024-05-03 16:40:56',
      sys_mod_count: '1',
    });
    const entries = await api(
      `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}^elementINcomments,work_notes^ORDERBYelement`,
    );
    expect(
      entries.body.result.map((e: Record<string, string>) => [e['element'], e['value'], e['sys_created_by']]),
    ).toEqual([
      ['comments', 'first', 'hub.integration'],
      ['work_notes', 'second', 'hub.integration'],
    ]);
  });

  it('leaves sys_updated_on alone when a write changes nothing', async () => {
    const [incident] = sim.seedIncidents(1, { titlePrefix: 'same' });
    sim.advanceClock(60_000);
    const res = await api(`/api/now/table/incident/${incident!['sys_id']}`, {
      method: 'PATCH',
      body: { short_description: 'same 1' },
    });
    expect(res.body.result.sys_updated_on).toBe(incident!['sys_updated_on']);
  });
});

describe('rate limits and OAuth', () => {
  it('answers injected 429s with Retry-After and the X-RateLimit headers', async () => {
    sim.injectRateLimit(1, 7);
    const res = await api('/api/now/table/incident?sysparm_limit=1');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    for (const name of Object.keys(fixture('error-rate-limited.json').headers))
      expect(res.headers.get(name)).not.toBeNull();
    expect((await api('/api/now/table/incident?sysparm_limit=1')).status).toBe(200);
  });

  it('enforces an hourly rule', async () => {
    sim.setHourlyRateLimit(1);
    try {
      await api('/api/now/table/incident?sysparm_limit=1');
      const res = await api('/api/now/table/incident?sysparm_limit=1');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      sim.setHourlyRateLimit(null);
    }
  });

  it('issues bearer tokens for the password grant and accepts them', async () => {
    const { username, password, oauthClientId, oauthClientSecret } = sim.credentials;
    const form = new URLSearchParams({
      grant_type: 'password',
      client_id: oauthClientId,
      client_secret: oauthClientSecret,
      username,
      password,
    });
    const token = await (
      await fetch(`${sim.instanceUrl}/oauth_token.do`, { method: 'POST', body: form })
    ).json();
    expect(Object.keys(token).sort()).toEqual(Object.keys(fixture('oauth-token.json').body).sort());
    expect(
      (await api('/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${token.access_token}` })).status,
    ).toBe(200);
    form.set('client_secret', 'wrong');
    expect((await fetch(`${sim.instanceUrl}/oauth_token.do`, { method: 'POST', body: form })).status).toBe(
      401,
    );
  });
});
