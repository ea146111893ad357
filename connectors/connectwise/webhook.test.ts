import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  createConnectorContext,
  type WebhookRequest,
} from '../../src/connector-kit/index.ts';
import { CwCallbackPayload } from './api-types.ts';
import type { ConnectWiseConfig } from './config.ts';
import { connectwise } from './index.ts';
import { type ConnectWiseSimulator, createConnectWiseSimulator } from './simulator.ts';
import { toAllowedKeyUrl } from './webhook.ts';

let sim: ConnectWiseSimulator;
const webhook = connectwise.webhook!;
/** A fresh connection id per context, so the per-connection key cache starts empty. */
const contextFor = (config: ConnectWiseConfig = sim.connectorConfig()) =>
  createConnectorContext(connectwise, { connectionId: randomUUID(), config });

const request = (rawBody: Buffer | string, signature?: string): WebhookRequest => ({
  headers: { 'content-type': 'application/json', ...(signature ? { 'x-content-signature': signature } : {}) },
  rawBody: Buffer.from(rawBody),
  receivedAt: new Date(),
});

const signWith = (signingKey: string, text: string) =>
  createHmac('sha256', createHash('sha256').update(signingKey).digest()).update(text).digest('base64');

/** A server on another port (so another origin) that serves a signing key and counts fetches. */
let foreign: Server;
let foreignHits = 0;
beforeAll(async () => {
  sim = await createConnectWiseSimulator();
  foreign = createServer((_req, res) => {
    foreignHits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ signing_key: 'attacker-key' }));
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => foreign.close(() => resolve()));
  await sim.close();
});

describe('webhook.verify', () => {
  it('accepts a callback signed by the simulator and caches the signing key', async () => {
    const id = sim.seedTicket()['id'] as number;
    const ctx = contextFor();
    const before = sim.keyFetchCount();
    const signed = sim.signedCallback(id);
    expect(await webhook.verify(ctx, request(signed.rawBody, signed.headers['x-content-signature']))).toBe(
      'valid',
    );
    expect(await webhook.verify(ctx, request(signed.rawBody, signed.headers['x-content-signature']))).toBe(
      'valid',
    );
    expect(sim.keyFetchCount() - before).toBe(1);
  });

  it('rejects a tampered body and a signature made with another key', async () => {
    const id = sim.seedTicket()['id'] as number;
    const signed = sim.signedCallback(id);
    const tampered = signed.rawBody.toString().replace(`"ID":${id}`, `"ID":${id + 1}`);
    expect(tampered).not.toBe(signed.rawBody.toString());
    expect(await webhook.verify(contextFor(), request(tampered, signed.headers['x-content-signature']))).toBe(
      'invalid',
    );
    const forged = signWith('guessed-key', signed.rawBody.toString());
    expect(await webhook.verify(contextFor(), request(signed.rawBody, forged))).toBe('invalid');
  });

  it('says missing_headers without a signature, before fetching anything', async () => {
    const signed = sim.signedCallback(sim.seedTicket()['id'] as number);
    const before = sim.keyFetchCount();
    expect(await webhook.verify(contextFor(), request(signed.rawBody))).toBe('missing_headers');
    expect(sim.keyFetchCount()).toBe(before);
  });

  it('never fetches a key_url on a foreign host (SSRF), even when the forgery is self-consistent', async () => {
    const { port } = foreign.address() as { port: number };
    const body = { ...sim.signedCallback(sim.seedTicket()['id'] as number).body };
    body['Metadata'] = { key_url: `http://127.0.0.1:${port}/key` };
    const raw = JSON.stringify(body);
    expect(await webhook.verify(contextFor(), request(raw, signWith('attacker-key', raw)))).toBe('invalid');
    expect(foreignHits).toBe(0);
  });

  it('accepts a signature over the raw bytes when they differ from JSON.stringify of the body', async () => {
    const body = sim.signedCallback(sim.seedTicket()['id'] as number).body;
    const pretty = JSON.stringify(body, null, 2);
    expect(await webhook.verify(contextFor(), request(pretty, signWith(sim.signingKey, pretty)))).toBe(
      'valid',
    );
    const compact = signWith(sim.signingKey, JSON.stringify(body));
    expect(await webhook.verify(contextFor(), request(pretty, compact))).toBe('valid');
  });

  it('returns invalid (never throws) for junk bodies and unreachable keys', async () => {
    expect(await webhook.verify(contextFor(), request('not json', 'c2ln'))).toBe('invalid');
    expect(await webhook.verify(contextFor(), request('{"Action":"updated"}', 'c2ln'))).toBe('invalid');
    const body = { ...sim.signedCallback(sim.seedTicket()['id'] as number).body };
    body['Metadata'] = { key_url: `${sim.origin}/v4_6_release/callback-keys/unknown` };
    const raw = JSON.stringify(body);
    expect(await webhook.verify(contextFor(), request(raw, signWith(sim.signingKey, raw)))).toBe('invalid');
  });
});

describe('webhook.verify against forged callbacks (#15 item 8)', () => {
  /** A fake vendor host: records every path the hub asks it for. */
  let vendor: Server;
  const paths: string[] = [];
  beforeAll(async () => {
    vendor = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ signing_key: 'attacker-key' }));
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => new Promise<void>((resolve) => vendor.close(() => resolve())));
  const vendorConfig = () => {
    const { port } = vendor.address() as { port: number };
    return { ...sim.connectorConfig(), baseUrl: `http://127.0.0.1:${port}/v4_6_release/apis/3.0` };
  };
  const forged = (keyUrl: string) => {
    const body = {
      ...sim.signedCallback(sim.seedTicket()['id'] as number).body,
      Metadata: { key_url: keyUrl },
    };
    const raw = JSON.stringify(body);
    return request(raw, signWith('guessed-key', raw));
  };

  it('never fetches another path on the vendor host than its key path', async () => {
    const config = vendorConfig();
    const origin = new URL(config.baseUrl).origin;
    paths.length = 0;
    const ctx = contextFor(config);
    for (const path of [
      '/v4_6_release/apis/3.0/system/members',
      '/v4_6_release/apis/3.0/service/tickets/1',
    ]) {
      expect(await webhook.verify(ctx, forged(`${origin}${path}`))).toBe('invalid');
    }
    expect(paths).toEqual([]);
  });

  it('fetches at most one unknown key per connection per 30 s once one failed, however many forgeries name new ones', async () => {
    const config = vendorConfig();
    const origin = new URL(config.baseUrl).origin;
    paths.length = 0;
    const ctx = contextFor(config);
    for (let i = 0; i < 200; i++) {
      expect(await webhook.verify(ctx, forged(`${origin}/v4_6_release/callback-keys/k${i}`))).toBe('invalid');
    }
    expect(paths).toEqual(['/v4_6_release/callback-keys/k0']);
  });

  it('lets genuine key rotations through; only a key that failed holds further fetches back', async () => {
    const config = vendorConfig();
    const origin = new URL(config.baseUrl).origin;
    paths.length = 0;
    const ctx = contextFor(config);
    // The fake vendor serves 'attacker-key' at every key path: here it plays the genuine CW.
    const genuine = (keyId: string) => {
      const body = {
        ...sim.signedCallback(sim.seedTicket()['id'] as number).body,
        Metadata: { key_url: `${origin}/v4_6_release/callback-keys/${keyId}` },
      };
      const raw = JSON.stringify(body);
      return request(raw, signWith('attacker-key', raw));
    };
    expect(await webhook.verify(ctx, genuine('r1'))).toBe('valid');
    expect(await webhook.verify(ctx, genuine('r2'))).toBe('valid');
    expect(await webhook.verify(ctx, forged(`${origin}/v4_6_release/callback-keys/r3`))).toBe('invalid');
    expect(await webhook.verify(ctx, genuine('r4'))).toBe('invalid'); // held back for 30 s
    expect(await webhook.verify(ctx, genuine('r1'))).toBe('valid'); // a cached key still works
    expect(paths).toEqual(['r1', 'r2', 'r3'].map((k) => `/v4_6_release/callback-keys/${k}`));
  });

  it('fetches nothing for a signature that is not an HMAC-SHA256 digest', async () => {
    const config = vendorConfig();
    paths.length = 0;
    const raw = JSON.stringify({
      ...sim.signedCallback(sim.seedTicket()['id'] as number).body,
      Metadata: { key_url: `${new URL(config.baseUrl).origin}/v4_6_release/callback-keys/x` },
    });
    expect(await webhook.verify(contextFor(config), request(raw, 'not-a-signature'))).toBe('invalid');
    expect(paths).toEqual([]);
  });
});

describe('toAllowedKeyUrl', () => {
  const config = {
    baseUrl: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
    callbackUrlHostAllowlist: ['api-eu.myconnectwise.net'],
  } as ConnectWiseConfig;
  it.each([
    ['https://api-na.myconnectwise.net/v4_6_release/callback-keys/1', true],
    ['https://api-eu.myconnectwise.net/v4_6_release/callback-keys/a-B_9', true],
    ['http://api-eu.myconnectwise.net/v4_6_release/callback-keys/1', false],
    ['https://api-na.myconnectwise.net.evil.example/v4_6_release/callback-keys/1', false],
    ['https://user:pw@api-na.myconnectwise.net/v4_6_release/callback-keys/1', false],
    // Only the key path: never another API path on the vendor's host.
    ['https://api-na.myconnectwise.net/v4_6_release/apis/3.0/service/tickets/1', false],
    ['https://api-na.myconnectwise.net/v4_6_release/callback-keys/1/../../apis/3.0/system/members', false],
    ['https://api-na.myconnectwise.net/v4_6_release/callback-keys/1?x=1', false],
    ['https://api-na.myconnectwise.net/keys/1', false],
    ['http://169.254.169.254/latest/meta-data', false],
    ['not a url', false],
  ])('%s -> %s', (url, allowed) => {
    expect(toAllowedKeyUrl(config, url) !== null).toBe(allowed);
  });
});

describe('webhook.parse', () => {
  const parse = (body: unknown) => webhook.parse(contextFor(), request(JSON.stringify(body)));
  const base = { Type: 'ticket', ID: 48213, Metadata: { key_url: 'https://x.example/k' } };

  it('turns Action into a change hint for the ticket', () => {
    expect(parse({ ...base, Action: 'updated' })).toEqual([{ externalId: '48213', kind: 'ticket' }]);
    expect(parse({ ...base, Action: 'added' })).toEqual([{ externalId: '48213', kind: 'ticket' }]);
    expect(parse({ ...base, Action: 'deleted' })).toEqual([{ externalId: '48213', kind: 'deleted' }]);
  });

  it('reads a real callback payload, whose Entity is a JSON string', () => {
    const raw = readFileSync(new URL('./fixtures/callback-ticket-updated.json', import.meta.url));
    const payload = CwCallbackPayload.parse(JSON.parse(raw.toString()));
    expect(JSON.parse(payload.Entity ?? '')).toMatchObject({ id: 48213, board: { name: 'Help Desk' } });
    expect(webhook.parse(contextFor(), request(raw))).toEqual([{ externalId: '48213', kind: 'ticket' }]);
  });

  it('ignores other record types and throws invalid_response on junk', () => {
    expect(parse({ ...base, Type: 'company', Action: 'updated' })).toEqual([]);
    expect(() => webhook.parse(contextFor(), request('[]'))).toThrowError(ConnectorError);
    expect(() => parse({ ...base, Action: 'updated', ID: '1 or 1=1' })).toThrowError(/not a ticket id/);
  });
});

describe('webhook.register and echo suppression', () => {
  let receiver: Server;
  const received: WebhookRequest[] = [];
  let url = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
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
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/webhooks/cw-1`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('registers once, self-suppressed, and reactivates an inactive registration', async () => {
    const ctx = contextFor();
    await webhook.register!(ctx, url);
    await webhook.register!(ctx, url);
    const mine = sim.callbacks().filter((c) => c.url === url);
    expect(mine).toMatchObject([
      { type: 'ticket', level: 'owner', objectId: 1, isSelfSuppressedFlag: true, memberId: sim.apiMemberId },
    ]);
    sim.updateCallback(mine[0]!.id, { inactiveFlag: true });
    await webhook.register!(ctx, url);
    expect(sim.callbacks().filter((c) => c.url === url)).toMatchObject([{ inactiveFlag: false }]);
  });

  it("delivers a technician's change, verifiably, but not the hub's own writes", async () => {
    const ctx = contextFor();
    const record = await connectwise.createTicket(ctx, {
      hubTicketId: randomUUID(),
      title: 'From the hub',
      description: null,
      status: 'NEW',
      priority: 'LOW',
      assigneeExternalId: null,
      requesterEmail: null,
    });
    await connectwise.updateTicket(ctx, record.externalId, { status: 'IN_PROGRESS' });
    await connectwise.addComment(ctx, record.externalId, {
      body: 'hub note',
      visibility: 'PUBLIC',
      authorName: null,
    });
    sim.setStatus(Number(record.externalId), 'Waiting Customer', { by: 'akumar' });
    await sim.flushCallbacks();
    const hints = received.flatMap((req) => webhook.parse(ctx, req));
    expect(hints).toEqual([{ externalId: record.externalId, kind: 'ticket' }]);
    expect(await webhook.verify(ctx, received[0]!)).toBe('valid');
  });
});
