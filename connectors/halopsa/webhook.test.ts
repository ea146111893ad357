import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorContext, type WebhookRequest } from '../../src/connector-kit/index.ts';
import type { HaloConfig } from './config.ts';
import { halopsa } from './index.ts';
import { createHaloSimulator, DEFAULT_WEBHOOK_SECRET, type HaloSimulator } from './simulator.ts';
import { basicAuthorization } from './webhook.ts';

let sim: HaloSimulator;
beforeAll(async () => {
  sim = await createHaloSimulator();
});
afterAll(() => sim.close());

const webhook = halopsa.webhook!;
const ctxFor = (overrides: Partial<HaloConfig> = {}) =>
  createConnectorContext(halopsa, { connectionId: 'webhook-test', config: sim.connectorConfig(overrides) });
const request = (headers: Record<string, string>, body: unknown = { ticket_id: 5 }): WebhookRequest => ({
  headers,
  rawBody: Buffer.from(JSON.stringify(body)),
  receivedAt: new Date(),
});

describe('verify', () => {
  it('accepts the Basic credentials set on the webhook, whatever the header case', async () => {
    const auth = basicAuthorization('halo', DEFAULT_WEBHOOK_SECRET);
    expect(await webhook.verify(ctxFor(), request({ Authorization: auth }))).toBe('valid');
    expect(await webhook.verify(ctxFor(), request({ authorization: auth.replace('Basic', 'basic') }))).toBe(
      'valid',
    );
  });

  it('refuses a wrong password, a wrong user or another scheme as invalid', async () => {
    const ctx = ctxFor();
    expect(
      await webhook.verify(
        ctx,
        request({ authorization: basicAuthorization('halo', 'nope-nope-nope-nope') }),
      ),
    ).toBe('invalid');
    expect(
      await webhook.verify(
        ctx,
        request({ authorization: basicAuthorization('other', DEFAULT_WEBHOOK_SECRET) }),
      ),
    ).toBe('invalid');
    expect(await webhook.verify(ctx, request({ authorization: `Bearer ${DEFAULT_WEBHOOK_SECRET}` }))).toBe(
      'invalid',
    );
  });

  it('answers missing_headers without credentials, and invalid when no secret is configured', async () => {
    expect(await webhook.verify(ctxFor(), request({ 'content-type': 'application/json' }))).toBe(
      'missing_headers',
    );
    const auth = basicAuthorization('halo', DEFAULT_WEBHOOK_SECRET);
    expect(await webhook.verify(ctxFor({ webhookSecret: undefined }), request({ authorization: auth }))).toBe(
      'invalid',
    );
  });

  it('checks a shared secret header in header mode', async () => {
    const ctx = ctxFor({ webhookAuth: 'header', webhookHeaderName: 'X-Hub-Secret' });
    expect(await webhook.verify(ctx, request({ 'x-hub-secret': DEFAULT_WEBHOOK_SECRET }))).toBe('valid');
    expect(await webhook.verify(ctx, request({ 'x-hub-secret': `${DEFAULT_WEBHOOK_SECRET}x` }))).toBe(
      'invalid',
    );
    const basic = basicAuthorization('halo', DEFAULT_WEBHOOK_SECRET);
    expect(await webhook.verify(ctx, request({ authorization: basic }))).toBe('missing_headers');
  });
});

describe('parse', () => {
  it('hints the ticket and, for an action event, its comments', () => {
    const body = JSON.parse(
      readFileSync(new URL('./fixtures/webhook-action-added.json', import.meta.url), 'utf8'),
    );
    expect(webhook.parse(ctxFor(), request({}, body))).toEqual([{ externalId: '1042', kind: 'comment' }]);
    expect(webhook.parse(ctxFor(), request({}, { event: 'Ticket Updated', ticket: { id: 77 } }))).toEqual([
      { externalId: '77', kind: 'ticket' },
    ]);
    expect(webhook.parse(ctxFor(), request({}, { event: 'Ticket Deleted', ticket_id: '78' }))).toEqual([
      { externalId: '78', kind: 'deleted' },
    ]);
  });

  it('throws invalid_response on junk, a missing id or a non-numeric id', () => {
    const junk = { headers: {}, rawBody: Buffer.from('<html>'), receivedAt: new Date() };
    expect(() => webhook.parse(ctxFor(), junk)).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
    expect(() => webhook.parse(ctxFor(), request({}, { event: 'x' }))).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
    expect(() => webhook.parse(ctxFor(), request({}, { ticket_id: '1; drop' }))).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
  });
});

describe('deliveries from the simulator', () => {
  it('POSTs each change with Basic auth that the connector verifies, and the body names the ticket', async () => {
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
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      sim.addWebhook(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/halo`);
      const id = sim.createTicket({ summary: 'webhook delivery' }).id;
      sim.addNote(id, 'looking', { internal: true });
      await sim.flushWebhooks();
      expect(received).toHaveLength(2);
      for (const req of received) expect(await webhook.verify(ctxFor(), req)).toBe('valid');
      expect(webhook.parse(ctxFor(), received[1]!)).toEqual([{ externalId: String(id), kind: 'comment' }]);
      expect(sim.webhookDeliveries().map((d) => d.status)).toEqual([200, 200]);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
