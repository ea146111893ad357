/** Zendesk webhook verification and parsing, and signed deliveries from the simulator. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectorContext,
  isConnectorError,
  type WebhookRequest,
} from '../../src/connector-kit/index.ts';
import event from './fixtures/webhook-ticket-event.json' with { type: 'json' };
import { zendesk } from './index.ts';
import { signWebhook } from './sim-webhooks.ts';
import { createZendeskSimulator, SIM_WEBHOOK_SECRET, type ZendeskSimulator } from './simulator.ts';

let sim: ZendeskSimulator;
beforeAll(async () => {
  sim = await createZendeskSimulator();
});
afterAll(() => sim.close());

/** A context whose signing secret is `secret`, or none at all for null. */
const ctxWith = (secret: string | null = SIM_WEBHOOK_SECRET) =>
  createConnectorContext(zendesk, {
    connectionId: 'zd-webhooks',
    config: { ...sim.connectorConfig(), webhookSigningSecret: secret ?? undefined },
  });

function request(body: unknown, sentAt = new Date(), receivedAt = new Date()): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return { headers: signWebhook(SIM_WEBHOOK_SECRET, rawBody, sentAt), rawBody, receivedAt };
}

const verify = (req: WebhookRequest, secret?: string | null) => zendesk.webhook!.verify(ctxWith(secret), req);

describe('verify', () => {
  it('accepts a signature over timestamp + raw body, in any header case', async () => {
    const req = request(event);
    const upper = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await verify(req)).toBe('valid');
    expect(await verify({ ...req, headers: upper })).toBe('valid');
  });

  it('refuses a changed body, a changed timestamp and the wrong secret', async () => {
    const req = request(event);
    const body = Buffer.from(req.rawBody.toString().replace('4512', '4513'));
    expect(await verify({ ...req, rawBody: body })).toBe('invalid');
    const later = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(
      await verify({ ...req, headers: { ...req.headers, 'x-zendesk-webhook-signature-timestamp': later } }),
    ).toBe('invalid');
    expect(await verify(req, 'another-secret')).toBe('invalid');
  });

  it('is invalid when the connection has no signing secret, missing_headers without headers', async () => {
    const req = request(event);
    expect(await verify(req, null)).toBe('invalid');
    const { 'x-zendesk-webhook-signature': _drop, ...rest } = req.headers;
    expect(await verify({ ...req, headers: rest })).toBe('missing_headers');
  });

  it('is stale outside the tolerance, either side', async () => {
    const now = new Date();
    expect(await verify(request(event, new Date(now.getTime() - 301_000), now))).toBe('stale');
    expect(await verify(request(event, new Date(now.getTime() + 301_000), now))).toBe('stale');
    expect(await verify(request(event, new Date(now.getTime() - 299_000), now))).toBe('valid');
  });
});

describe('parse', () => {
  const parse = (body: unknown) => zendesk.webhook!.parse(ctxWith(), request(body));

  it('reads ticket events and trigger bodies', () => {
    expect(parse(event)).toEqual([{ externalId: '4512', kind: 'ticket' }]);
    expect(parse({ ...event, type: 'zen:event-type:ticket.comment_added' })).toEqual([
      { externalId: '4512', kind: 'comment' },
    ]);
    expect(parse({ ...event, type: 'zen:event-type:ticket.soft_deleted' })).toEqual([
      { externalId: '4512', kind: 'deleted' },
    ]);
    expect(parse({ ticket_id: '77', updated_at: 'x' })).toEqual([{ externalId: '77', kind: 'ticket' }]);
  });

  it('throws invalid_response on junk', () => {
    for (const body of [{ hello: 1 }, { ticket_id: '{{ticket.id}}' }, 'text']) {
      let error: unknown;
      try {
        parse(body);
      } catch (err) {
        error = err;
      }
      expect(isConnectorError(error) && error.kind).toBe('invalid_response');
    }
  });
});

describe('simulator deliveries', () => {
  it('sends one signed event per change that the connector verifies', async () => {
    const received: WebhookRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        received.push({ headers, rawBody: Buffer.concat(chunks), receivedAt: new Date() });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      sim.connectWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      const id = sim.createTicket({ subject: 'hooked' });
      sim.updateTicket(id, { status: 'pending', priority: 'high' });
      sim.addComment(id, 'note', { public: false });
      await sim.flushWebhooks();
      const types = received.map((r) => JSON.parse(r.rawBody.toString()).type).sort();
      expect(types).toEqual(
        ['created', 'priority_changed', 'status_changed', 'comment_added']
          .map((t) => `zen:event-type:ticket.${t}`)
          .sort(),
      );
      for (const req of received) {
        expect(await verify(req)).toBe('valid');
        expect(zendesk.webhook!.parse(ctxWith(), req)[0]?.externalId).toBe(String(id));
      }
    } finally {
      sim.connectWebhook('http://127.0.0.1:9/none');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
