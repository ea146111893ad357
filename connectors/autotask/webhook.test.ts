/**
 * Callout signatures (escaped serialisation first, then raw), replay window, parsing, and a real
 * round trip: the connector registers webhooks in the simulator and verifies what it sends.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorContext, type WebhookRequest } from '../../src/connector-kit/index.ts';
import { autotask } from './index.ts';
import { toAutotaskSignedForm } from './signed-form.ts';
import { API_RESOURCE_ID } from './sim-seed.ts';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';
import { parseCallout, verifyCallout } from './webhook.ts';

let sim: AutotaskSimulator;
const ctx = () =>
  createConnectorContext(autotask, { connectionId: randomUUID(), config: sim.connectorConfig() });
const key = () => sim.connectorConfig().webhookSecretKey ?? '';
const request = (body: unknown, signature: string | undefined, receivedAt = new Date()): WebhookRequest => {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return { headers: signature ? { 'x-hook-signature': signature } : {}, rawBody, receivedAt };
};
const sign = (text: string, secret = key()) =>
  `sha1=${createHmac('sha1', secret).update(text, 'utf8').digest('base64')}`;

beforeAll(async () => {
  sim = await createAutotaskSimulator();
});
afterAll(() => sim.close());

describe('toAutotaskSignedForm', () => {
  it('escapes & < > \' " ` + and non-ASCII inside strings only, in upper-case hex', () => {
    const json = JSON.stringify({ a: `R&D <b> 'x' "q" \`t\` 1+1 café 😀 back\\slash`, n: 1.5, b: true });
    expect(toAutotaskSignedForm(json)).toBe(
      '{"a":"R\\u0026D \\u003Cb\\u003E \\u0027x\\u0027 \\u0022q\\u0022 \\u0060t\\u0060 1\\u002B1 caf\\u00E9 \\uD83D\\uDE00 back\\\\slash","n":1.5,"b":true}',
    );
  });

  it('leaves JSON without special characters unchanged', () => {
    const json = '{"Action":"Update","Id":7001,"Fields":{"status":5}}';
    expect(toAutotaskSignedForm(json)).toBe(json);
  });
});

describe('verifyCallout', () => {
  const body = (eventTime = new Date().toISOString()) => ({
    Action: 'Update',
    Guid: randomUUID(),
    EntityType: 'Ticket',
    Id: 7001,
    Fields: { title: 'Café & bar <offline>' },
    EventTime: eventTime,
    SequenceNumber: 3,
    PersonID: 29682886,
  });

  it('accepts a signature over the escaped form, and one over the raw body', async () => {
    const b = body();
    const raw = JSON.stringify(b);
    expect(await verifyCallout(ctx(), request(b, sign(toAutotaskSignedForm(raw))))).toBe('valid');
    expect(await verifyCallout(ctx(), request(b, sign(raw)))).toBe('valid');
  });

  it('refuses a wrong key, a missing prefix, a missing header and a missing secret key', async () => {
    const b = body();
    const good = sign(toAutotaskSignedForm(JSON.stringify(b)));
    expect(await verifyCallout(ctx(), request(b, sign(JSON.stringify(b), 'other-key')))).toBe('invalid');
    expect(await verifyCallout(ctx(), request(b, good.replace('sha1=', '')))).toBe('invalid');
    expect(await verifyCallout(ctx(), request(b, undefined))).toBe('missing_headers');
    const noKey = createConnectorContext(autotask, {
      connectionId: 'x',
      config: { ...sim.connectorConfig(), webhookSecretKey: undefined },
    });
    expect(await verifyCallout(noKey, request(b, good))).toBe('invalid');
  });

  it('is stale outside the replay window, either way, and without an EventTime', async () => {
    const now = new Date('2024-06-01T12:00:00Z');
    const at = (ms: number) => {
      const b = body(new Date(now.getTime() + ms).toISOString());
      return request(b, sign(JSON.stringify(b)), now);
    };
    expect(await verifyCallout(ctx(), at(-899_000))).toBe('valid');
    expect(await verifyCallout(ctx(), at(-901_000))).toBe('stale');
    expect(await verifyCallout(ctx(), at(901_000))).toBe('stale');
    const { EventTime: _, ...bare } = body();
    expect(await verifyCallout(ctx(), request(bare, sign(JSON.stringify(bare))))).toBe('stale');
  });
});

describe('parseCallout', () => {
  const parse = (body: unknown) => parseCallout(ctx(), request(body, 'x'));
  it('hints tickets, deletions and notes by their ticket', () => {
    expect(parse({ Action: 'Update', EntityType: 'Ticket', Id: 7001 })).toEqual([
      { externalId: '7001', kind: 'ticket' },
    ]);
    expect(parse({ Action: 'Delete', EntityType: 'Ticket', Id: '7002' })).toEqual([
      { externalId: '7002', kind: 'deleted' },
    ]);
    expect(
      parse({ Action: 'Create', EntityType: 'TicketNote', Id: 90001, Fields: { ticketID: 7001 } }),
    ).toEqual([{ externalId: '7001', kind: 'comment' }]);
    expect(parse({ Action: 'Create', EntityType: 'TicketNote', Id: 90001, Fields: {} })).toEqual([]);
    expect(parse({ Action: 'Deactivated', EntityType: 'Ticket', Id: 0 })).toEqual([]);
    expect(parse({ Action: 'Update', EntityType: 'Company', Id: 174 })).toEqual([]);
  });

  it('throws invalid_response on junk', () => {
    expect(() => parse('not json')).toThrow(expect.objectContaining({ kind: 'invalid_response' }));
    expect(() => parse({ Action: 'Update', EntityType: 'Ticket', Id: 'DROP TABLE' })).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
  });
});

describe('register and real callouts', () => {
  const received: WebhookRequest[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers as Record<string, string>,
        rawBody: Buffer.concat(chunks),
        receivedAt: new Date(),
      });
      res.end();
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/autotask`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('registers ticket and note webhooks once, excluding the API user', async () => {
    const c = ctx();
    await autotask.webhook?.register?.(c, url);
    await autotask.webhook?.register?.(c, url);
    const hooks = sim.webhooks().filter((h) => h.webhookUrl === url);
    expect(hooks.map((h) => h.entityType).sort()).toEqual(['Ticket', 'TicketNote']);
    for (const hook of hooks) {
      expect(hook.isActive).toBe(true);
      expect(hook.excludedResourceIds).toEqual([API_RESOURCE_ID]);
      expect(hook.fields.length).toBeGreaterThan(0);
    }
  });

  it('sends signed callouts for a technician, none for the hub, that verify and parse', async () => {
    const c = ctx();
    const id = sim.createTicket({ title: 'Printer <3rd floor> & scanner — défaut' });
    sim.setStatus(id, 'In Progress');
    sim.addNote(id, 'Looking at it', 1);
    await autotask.updateTicket(c, String(id), { title: 'Changed by the hub' });
    await sim.flushCallouts();
    const mine = received.filter((r) => r.rawBody.toString().includes(`${id}`));
    const bodies = mine.map(
      (r) => JSON.parse(r.rawBody.toString()) as { Action: string; EntityType: string; PersonID: number },
    );
    expect(bodies.map((b) => `${b.EntityType} ${b.Action}`)).toEqual([
      'Ticket Create',
      'Ticket Update',
      'TicketNote Create',
    ]);
    expect(bodies.every((b) => b.PersonID !== API_RESOURCE_ID)).toBe(true);
    for (const r of mine) {
      expect(await autotask.webhook?.verify(c, r)).toBe('valid');
      expect(autotask.webhook?.parse(c, r)[0]?.externalId).toBe(String(id));
    }
  });
});
