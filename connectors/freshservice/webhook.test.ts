/** Freshservice automator webhooks: the shared-secret header, parsing, and simulator deliveries. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectorContext,
  isConnectorError,
  type WebhookRequest,
} from '../../src/connector-kit/index.ts';
import event from './fixtures/webhook-automator.json' with { type: 'json' };
import { freshservice } from './index.ts';
import {
  createFreshserviceSimulator,
  type FreshserviceSimulator,
  SIM_WEBHOOK_HEADER,
  SIM_WEBHOOK_SECRET,
} from './simulator.ts';

let sim: FreshserviceSimulator;
beforeAll(async () => {
  sim = await createFreshserviceSimulator();
});
afterAll(() => sim.close());

/** A context whose shared secret is `secret`, or none at all for null. */
const ctxWith = (secret: string | null = SIM_WEBHOOK_SECRET) =>
  createConnectorContext(freshservice, {
    connectionId: 'fs-webhooks',
    config: { ...sim.connectorConfig(), webhookSecret: secret ?? undefined },
  });

const request = (
  body: unknown,
  headers: Record<string, string> = { [SIM_WEBHOOK_HEADER]: SIM_WEBHOOK_SECRET },
) => ({
  headers,
  rawBody: Buffer.from(JSON.stringify(body)),
  receivedAt: new Date(),
});
const verify = (req: WebhookRequest, secret?: string | null) =>
  freshservice.webhook!.verify(ctxWith(secret), req);

describe('verify', () => {
  it('accepts the configured header in any case, refuses another value or no secret', async () => {
    expect(await verify(request(event))).toBe('valid');
    expect(await verify(request(event, { 'x-hub-webhook-secret': SIM_WEBHOOK_SECRET }))).toBe('valid');
    expect(await verify(request(event, { [SIM_WEBHOOK_HEADER]: `${SIM_WEBHOOK_SECRET}x` }))).toBe('invalid');
    expect(await verify(request(event), null)).toBe('invalid');
    expect(await verify(request(event, { 'content-type': 'application/json' }))).toBe('missing_headers');
  });
});

describe('parse', () => {
  const parse = (body: unknown) => freshservice.webhook!.parse(ctxWith(), request(body));

  it('reads display ids, plain ids and the event kind', () => {
    expect(parse(event)).toEqual([{ externalId: '318', kind: 'ticket' }]);
    expect(parse({ ticket_id: 42 })).toEqual([{ externalId: '42', kind: 'ticket' }]);
    expect(parse({ ticket_id: 'SR-7', event: 'note_added' })).toEqual([{ externalId: '7', kind: 'comment' }]);
    expect(parse({ ticket_id: '9', event: 'ticket_deleted' })).toEqual([
      { externalId: '9', kind: 'deleted' },
    ]);
  });

  it('throws invalid_response on junk', () => {
    for (const body of [{ id: 1 }, { ticket_id: '{{ticket.id}}' }, 'text']) {
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
  it('posts the automator body with the secret header for raises, updates and notes', async () => {
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
      sim.updateTicket(id, { status: 3 });
      sim.addConversation(id, 'note', { private: true });
      await sim.flushWebhooks();
      const events = received.map((r) => JSON.parse(r.rawBody.toString()).event).sort();
      expect(events).toEqual(['note_added', 'ticket_created', 'ticket_updated']);
      for (const req of received) {
        expect(await verify(req)).toBe('valid');
        expect(freshservice.webhook!.parse(ctxWith(), req)[0]?.externalId).toBe(String(id));
      }
    } finally {
      sim.disconnectWebhook();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
