import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ConnectorError,
  createConnectorContext,
  type WebhookRequest,
} from '../../src/connector-kit/index.ts';
import { type JiraSmConfig, JiraSmConfigSchema } from './config.ts';
import { jiraSm } from './index.ts';

const SECRET = 'whsec-test-secret-42';
const config = (overrides: Partial<JiraSmConfig> = {}) =>
  JiraSmConfigSchema.parse({
    siteUrl: 'https://contoso-it.atlassian.net',
    email: 'hub-sync@contoso-it.example',
    apiToken: 'token',
    projectKey: 'ITS',
    webhookSecret: SECRET,
    ...overrides,
  });
const ctx = (overrides: Partial<JiraSmConfig> = {}) =>
  createConnectorContext(jiraSm, { connectionId: 'wh', config: config(overrides) });
const webhook = jiraSm.webhook!;

const raw = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const sign = (body: Buffer | string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A fixture delivered at its own `timestamp` (plus `delayMs`), signed as Jira signs. */
function request(name: string, opts: { delayMs?: number; signature?: string | null } = {}): WebhookRequest {
  const rawBody = raw(name);
  const { timestamp } = JSON.parse(rawBody.toString('utf8')) as { timestamp: number };
  const signature = opts.signature === undefined ? sign(rawBody) : opts.signature;
  return {
    headers: { 'content-type': 'application/json', ...(signature ? { 'X-Hub-Signature': signature } : {}) },
    rawBody,
    receivedAt: new Date(timestamp + (opts.delayMs ?? 2_000)),
  };
}

describe('webhook.verify', () => {
  it('accepts a fixture signed sha256=<hex> over the raw bytes, header in any case', async () => {
    expect(await webhook.verify(ctx(), request('webhook-issue-updated.json'))).toBe('valid');
    const upper = request('webhook-issue-updated.json', {
      signature: sign(raw('webhook-issue-updated.json')).toUpperCase().replace('SHA256=', 'sha256='),
    });
    expect(await webhook.verify(ctx(), upper)).toBe('valid');
  });

  it('refuses a re-serialised body: the signature covers the bytes Jira sent', async () => {
    const req = request('webhook-issue-updated.json');
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(req.rawBody.toString('utf8'))));
    expect(await webhook.verify(ctx(), { ...req, rawBody: reformatted })).toBe('invalid');
  });

  it('refuses a wrong secret, a missing prefix and an unsigned call', async () => {
    const body = raw('webhook-issue-updated.json');
    expect(
      await webhook.verify(
        ctx(),
        request('webhook-issue-updated.json', { signature: sign(body, 'other-secret') }),
      ),
    ).toBe('invalid');
    expect(
      await webhook.verify(ctx(), request('webhook-issue-updated.json', { signature: sign(body).slice(7) })),
    ).toBe('invalid');
    expect(await webhook.verify(ctx(), request('webhook-issue-updated.json', { signature: null }))).toBe(
      'missing_headers',
    );
  });

  it('is invalid (never valid) when the connection has no webhook secret', async () => {
    expect(
      await webhook.verify(ctx({ webhookSecret: undefined }), request('webhook-issue-updated.json')),
    ).toBe('invalid');
  });

  it('refuses replays outside the window on the signed timestamp, both directions', async () => {
    expect(await webhook.verify(ctx(), request('webhook-issue-updated.json', { delayMs: 899_000 }))).toBe(
      'valid',
    );
    expect(await webhook.verify(ctx(), request('webhook-issue-updated.json', { delayMs: 901_000 }))).toBe(
      'stale',
    );
    expect(await webhook.verify(ctx(), request('webhook-issue-updated.json', { delayMs: -901_000 }))).toBe(
      'stale',
    );
    expect(
      await webhook.verify(
        ctx({ webhookToleranceSeconds: 60 }),
        request('webhook-issue-updated.json', { delayMs: 61_000 }),
      ),
    ).toBe('stale');
  });

  it('is invalid for a correctly signed body that is not a Jira event', async () => {
    const body = Buffer.from('{"hello":"world"}');
    const req = { headers: { 'x-hub-signature': sign(body) }, rawBody: body, receivedAt: new Date() };
    expect(await webhook.verify(ctx(), req)).toBe('invalid');
  });
});

describe('webhook.parse', () => {
  it('hints the issue id for issue and comment events', () => {
    expect(webhook.parse(ctx(), request('webhook-issue-updated.json'))).toEqual([
      { externalId: '10042', kind: 'ticket' },
    ]);
    expect(webhook.parse(ctx(), request('webhook-comment-created.json'))).toEqual([
      { externalId: '10042', kind: 'comment' },
    ]);
  });

  it('hints deletions, and ignores other projects and issue-less events', () => {
    const body = JSON.parse(raw('webhook-issue-updated.json').toString('utf8'));
    const as = (b: unknown): WebhookRequest => ({
      headers: {},
      rawBody: Buffer.from(JSON.stringify(b)),
      receivedAt: new Date(),
    });
    expect(webhook.parse(ctx(), as({ ...body, webhookEvent: 'jira:issue_deleted' }))).toEqual([
      { externalId: '10042', kind: 'deleted' },
    ]);
    const other = { ...body, issue: { ...body.issue, key: 'HR-1', fields: { project: { key: 'HR' } } } };
    expect(webhook.parse(ctx(), as(other))).toEqual([]);
    expect(webhook.parse(ctx(), as({ timestamp: 1, webhookEvent: 'user_created' }))).toEqual([]);
  });

  it('throws invalid_response on junk', () => {
    const junk = { headers: {}, rawBody: Buffer.from('not json'), receivedAt: new Date() };
    expect(() => webhook.parse(ctx(), junk)).toThrow(ConnectorError);
  });
});
