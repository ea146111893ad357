/**
 * The Business Rule receiver: both signing modes, every verdict, parsing into hints, and the
 * simulator's rule end to end (an agent's change is announced; the integration user's is not).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createConnectorContext,
  isConnectorError,
  type WebhookRequest,
} from '../../src/connector-kit/index.ts';
import { ServiceNowConfigSchema } from './config.ts';
import { servicenow } from './index.ts';
import { createServiceNowSimulator } from './simulator.ts';
import { parseWebhook, verifyWebhook } from './webhook.ts';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/business-rule-notice.json', import.meta.url), 'utf8'),
);
const SECRET = 'fixture-secret-not-a-real-one';
const SENT_AT = new Date(Number(fixture.headers['x-hub-timestamp']) * 1000);

const ctxWith = (overrides: Record<string, unknown> = {}) =>
  createConnectorContext(servicenow, {
    connectionId: 'sn-webhook-test',
    config: ServiceNowConfigSchema.parse({
      instanceUrl: 'https://acme.service-now.com',
      username: 'hub.integration',
      password: 'not-used-here',
      webhookSecret: SECRET,
      ...overrides,
    }),
  });

const request = (over: Partial<WebhookRequest> = {}): WebhookRequest => ({
  headers: { ...fixture.headers },
  rawBody: Buffer.from(fixture.rawBody),
  receivedAt: new Date(SENT_AT.getTime() + 2_000),
  ...over,
});

describe('verifyWebhook (hmac-sha256)', () => {
  const ctx = ctxWith();

  it('accepts the recorded notice and parses it into a hint', async () => {
    expect(await verifyWebhook(ctx, request())).toBe('valid');
    expect(parseWebhook(ctx, request())).toEqual([
      { externalId: '9d385017c611228701d22104cc95c371', kind: 'ticket' },
    ]);
  });

  it('refuses a changed body, a changed timestamp and another secret as invalid', async () => {
    const body = Buffer.from(fixture.rawBody.replace('9d385017', '9d385018'));
    expect(await verifyWebhook(ctx, request({ rawBody: body }))).toBe('invalid');
    const headers = {
      ...fixture.headers,
      'x-hub-timestamp': String(Number(fixture.headers['x-hub-timestamp']) + 1),
    };
    expect(await verifyWebhook(ctx, request({ headers }))).toBe('invalid');
    expect(await verifyWebhook(ctxWith({ webhookSecret: 'another-secret-0123456789' }), request())).toBe(
      'invalid',
    );
    expect(await verifyWebhook(ctxWith({ webhookSecret: undefined }), request())).toBe('invalid');
    const junk = { ...fixture.headers, 'x-hub-timestamp': 'yesterday' };
    expect(await verifyWebhook(ctx, request({ headers: junk }))).toBe('invalid');
  });

  it('answers missing_headers without the timestamp or the signature', async () => {
    const { 'x-hub-signature': _s, ...noSignature } = fixture.headers;
    const { 'x-hub-timestamp': _t, ...noTimestamp } = fixture.headers;
    expect(await verifyWebhook(ctx, request({ headers: noSignature }))).toBe('missing_headers');
    expect(await verifyWebhook(ctx, request({ headers: noTimestamp }))).toBe('missing_headers');
  });

  it('calls a correctly signed notice outside the tolerance stale, in both directions', async () => {
    expect(await verifyWebhook(ctx, request({ receivedAt: new Date(SENT_AT.getTime() + 301_000) }))).toBe(
      'stale',
    );
    expect(await verifyWebhook(ctx, request({ receivedAt: new Date(SENT_AT.getTime() - 301_000) }))).toBe(
      'stale',
    );
    const lenient = ctxWith({ webhookToleranceSeconds: 900 });
    expect(await verifyWebhook(lenient, request({ receivedAt: new Date(SENT_AT.getTime() + 600_000) }))).toBe(
      'valid',
    );
  });
});

describe('verifyWebhook (shared-secret)', () => {
  const ctx = ctxWith({ webhookAuth: 'shared-secret' });
  const withSecret = (secret: string) =>
    request({ headers: { 'content-type': 'application/json', 'X-Hub-Webhook-Secret': secret } });

  it('compares the static header with the configured secret', async () => {
    expect(await verifyWebhook(ctx, withSecret(SECRET))).toBe('valid');
    expect(await verifyWebhook(ctx, withSecret(`${SECRET}x`))).toBe('invalid');
    expect(await verifyWebhook(ctx, withSecret(SECRET.slice(0, 10)))).toBe('invalid');
  });

  it('answers missing_headers without it, even when HMAC headers are present', async () => {
    expect(await verifyWebhook(ctx, request())).toBe('missing_headers');
  });
});

describe('parseWebhook', () => {
  const ctx = ctxWith();
  const parse = (body: unknown) => parseWebhook(ctx, request({ rawBody: Buffer.from(JSON.stringify(body)) }));
  const id = '9d385017c611228701d22104cc95c371';

  it('ignores other tables and reports deletes', () => {
    expect(parse({ sys_id: id, table: 'problem' })).toEqual([]);
    expect(parse({ sys_id: id, table: 'incident', operation: 'delete' })).toEqual([
      { externalId: id, kind: 'deleted' },
    ]);
  });

  it('throws invalid_response on junk', () => {
    for (const body of [{ table: 'incident' }, { sys_id: 'INC0010023', table: 'incident' }]) {
      try {
        parse(body);
        expect.unreachable();
      } catch (err) {
        expect(isConnectorError(err) && err.kind).toBe('invalid_response');
      }
    }
    expect(() => parseWebhook(ctx, request({ rawBody: Buffer.from('not json') }))).toThrow(/not JSON/);
  });
});

describe('the simulated Business Rule', () => {
  it("announces an agent's change, signed so the connector verifies it, and skips the integration user", async () => {
    const sim = await createServiceNowSimulator();
    const received: WebhookRequest[] = [];
    const hub = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          headers: req.headers as Record<string, string>,
          rawBody: Buffer.concat(chunks),
          receivedAt: new Date(),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    try {
      sim.registerBusinessRule({
        url: `http://127.0.0.1:${(hub.address() as AddressInfo).port}/webhooks/sn`,
      });
      const ctx = createConnectorContext(servicenow, {
        connectionId: 'sn-br',
        config: sim.connectorConfig(),
      });
      const incident = sim.seedIncident({ short_description: 'announce me' });
      await servicenow.updateTicket(ctx, incident['sys_id']!, { title: 'written by the hub' });
      await sim.flushWebhooks();
      expect(received).toHaveLength(1);
      expect(await verifyWebhook(ctx, received[0]!)).toBe('valid');
      expect(parseWebhook(ctx, received[0]!)).toEqual([{ externalId: incident['sys_id'], kind: 'ticket' }]);
      expect(sim.deliveries()).toEqual([{ sys_id: incident['sys_id'], operation: 'insert', status: 204 }]);
    } finally {
      hub.closeAllConnections();
      await new Promise<void>((r) => hub.close(() => r()));
      await sim.close();
    }
  });
});
