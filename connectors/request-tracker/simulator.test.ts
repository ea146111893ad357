/**
 * Keeps the simulator honest: the scripted session recorded against a real RT 5.0.3
 * (`fixtures/rt-5.0.3-scenario.json`) is replayed against the simulator, and every answer must
 * have the same status, Location and body shape (the exact body where the step says so).
 * Then the levers the simulator adds: clock, 429s, counters.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RecordedStep, runScenario } from './capture-fixtures.ts';
import { SCENARIO } from './fixture-scenario.ts';
import { type RtSimulator, startRtSimulator } from './simulator.ts';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/rt-5.0.3-scenario.json', import.meta.url), 'utf8'),
) as { steps: RecordedStep[] };

/**
 * A value's shape: scalars become their type, objects keep their keys, arrays the set of their
 * elements' shapes. Arrays compare as "every simulator element shape occurs in RT's", because
 * RT adds records the simulator does not make (EmailRecord transactions, lifecycle links).
 */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) {
    return [...new Set(value.map((v) => JSON.stringify(shape(v))))].sort().map((s) => JSON.parse(s));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return value === null ? 'null' : typeof value;
}

function expectSameShape(sim: unknown, real: unknown, where: string): void {
  if (Array.isArray(real)) {
    expect(Array.isArray(sim), `${where} is an array`).toBe(true);
    expect((sim as unknown[]).length === 0, `${where} emptiness`).toBe(real.length === 0);
    const realShapes = new Set(real.map((v) => JSON.stringify(shape(v))));
    for (const [i, item] of (sim as unknown[]).entries()) {
      const s = JSON.stringify(shape(item));
      if (!realShapes.has(s)) expectSameShape(item, real[0], `${where}[${i}]`);
    }
    return;
  }
  if (real !== null && typeof real === 'object') {
    expect(Object.keys(sim as object).sort(), `${where} keys`).toEqual(Object.keys(real).sort());
    for (const key of Object.keys(real)) {
      expectSameShape(
        (sim as Record<string, unknown>)[key],
        (real as Record<string, unknown>)[key],
        `${where}.${key}`,
      );
    }
    return;
  }
  expect(shape(sim), `${where} type`).toEqual(shape(real));
}

/** Ids differ between servers: put the scenario's placeholders back before exact comparisons. */
function normalise(value: unknown, saved: Record<string, string>): string {
  let text = JSON.stringify(value);
  for (const [name, id] of Object.entries(saved)) {
    text = text.replace(new RegExp(`(Ticket |/ticket/|/transaction/)${id}(?!\\d)`, 'g'), `$1{${name}}`);
  }
  return text;
}

describe('the simulator answers like RT 5.0.3 (recorded scenario)', async () => {
  const sim = await startRtSimulator();
  const replayed = await runScenario(sim.url);
  await sim.close();

  it('recorded and replayed the same steps', () => {
    expect(replayed.map((s) => s.name)).toEqual(SCENARIO.map((s) => s.name));
    expect(fixture.steps.map((s) => s.name)).toEqual(SCENARIO.map((s) => s.name));
  });

  SCENARIO.forEach((step, i) => {
    it(`${step.method} ${step.path}: ${step.name}`, () => {
      const real = fixture.steps[i]!;
      const got = replayed[i]!;
      expect(got.status).toBe(real.status);
      expect(got.location === null).toBe(real.location === null);
      if (real.location)
        expect(normalise(got.location, got.saved)).toBe(normalise(real.location, real.saved));
      if (step.exact) expect(normalise(got.body, got.saved)).toBe(normalise(real.body, real.saved));
      else expectSameShape(got.body, real.body, 'body');
    });
  });
});

describe('simulator levers', () => {
  let sim: RtSimulator;
  beforeEach(async () => {
    sim = await startRtSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });
  const get = (path: string, auth = `token ${sim.token}`) =>
    fetch(`${sim.url}/REST/2.0${path}`, { headers: { authorization: auth } });

  it('a set clock stamps every write with that second until set again', async () => {
    sim.setClock(new Date('2030-01-02T03:04:05.678Z'));
    const a = sim.createTicket({ subject: 'a' });
    const b = sim.createTicket({ subject: 'b' });
    expect(sim.ticket(a)?.lastUpdated.toISOString()).toBe('2030-01-02T03:04:05.000Z');
    expect(sim.ticket(b)?.created.toISOString()).toBe('2030-01-02T03:04:05.000Z');
    sim.setClock(new Date('2030-01-02T04:00:00Z'));
    sim.updateTicket(a, { subject: 'a2' });
    expect(sim.ticket(a)?.lastUpdated.toISOString()).toBe('2030-01-02T04:00:00.000Z');
  });

  it('injected 429s carry Retry-After, then the API answers again', async () => {
    sim.injectRateLimit(2, 7);
    const first = await get('/rt');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await get('/rt')).status).toBe(429);
    expect((await get('/rt')).status).toBe(200);
    expect(sim.requestCount()).toBe(3);
  });

  it('counts writes per endpoint, but not reads or vendor-side actions', async () => {
    const id = sim.createTicket({ subject: 'vendor side' });
    const post = (path: string, body: unknown, method = 'POST') =>
      fetch(`${sim.url}/REST/2.0${path}`, {
        method,
        headers: { authorization: `token ${sim.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/ticket', { Queue: 'General', Subject: 'api' });
    await post(`/ticket/${id}`, { Subject: 'renamed' }, 'PUT');
    await post(`/ticket/${id}/comment`, { Content: 'x' });
    await get(`/ticket/${id}`);
    expect(sim.writeCounts()).toEqual({
      'POST /ticket': 1,
      'PUT /ticket/:id': 1,
      'POST /ticket/:id/comment': 1,
    });
    expect(sim.totalWrites()).toBe(3);
    sim.resetCounters();
    expect(sim.totalWrites()).toBe(0);
  });

  it('authenticates basic users and tokens, and refuses everything else', async () => {
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect((await get('/rt', basic('root', 'password'))).status).toBe(200);
    expect((await get('/rt', basic('root', 'nope'))).status).toBe(401);
    expect((await get('/rt', basic('hub-sync', ''))).status).toBe(401);
    expect((await get('/rt', 'token 1-31-0000')).status).toBe(401);
    expect((await get('/rt', `token ${sim.createToken('hub-bob')}`)).status).toBe(200);
  });

  it('onNextPageServed runs once, after the next /tickets page only', async () => {
    let runs = 0;
    sim.onNextPageServed(() => {
      runs += 1;
    });
    await get('/rt');
    expect(runs).toBe(0);
    await get(`/tickets?query=${encodeURIComponent("Queue = 'General'")}`);
    await get(`/tickets?query=${encodeURIComponent("Queue = 'General'")}`);
    expect(runs).toBe(1);
  });
});
