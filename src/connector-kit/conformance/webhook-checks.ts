/**
 * Webhook verification returns verdicts and never throws, in the manner of Nango's signature
 * checks: the endpoint answers 401 to anything but `valid`, and a forged call costs one HMAC.
 */
import type { WebhookRequest, WebhookSupport } from '../contract.ts';
import { type CheckTarget, call, describeError, ensure, fail, seed, skip, uniqueTag } from './support.ts';

interface Prepared<C> {
  webhook: WebhookSupport<C>;
  ticketId: string;
  sign: (externalId: string, sentAt?: Date) => Promise<WebhookRequest>;
}

async function prepare<C>(t: CheckTarget<C>): Promise<Prepared<C>> {
  if (!t.harness.capabilities.webhooks)
    skip('harness.capabilities.webhooks is false: the connector polls only');
  const webhook = t.connector.webhook;
  ensure(webhook, 'harness.capabilities.webhooks is true but the connector has no `webhook` member');
  const sign = t.harness.signedWebhook?.bind(t.harness);
  ensure(sign, 'harness.capabilities.webhooks is true but the harness has no signedWebhook()');
  const [ticketId] = await seed(t, 1, `webhook ${uniqueTag()}`);
  return { webhook, ticketId: ticketId!, sign };
}

async function verdict<C>(t: CheckTarget<C>, webhook: WebhookSupport<C>, req: WebhookRequest, what: string) {
  try {
    return await webhook.verify(t.ctx, req);
  } catch (err) {
    fail(`webhook.verify threw ${describeError(err)} for ${what}: it must return a verdict and never throw`);
  }
}

export async function checkWebhookValid<C>(t: CheckTarget<C>): Promise<void> {
  const { webhook, ticketId, sign } = await prepare(t);
  const req = await call('harness.signedWebhook', () => sign(ticketId));
  const result = await verdict(t, webhook, req, 'a correctly signed request');
  ensure(
    result === 'valid',
    `webhook.verify returned '${result}' for a correctly signed request: check the algorithm, the key, the encoding, and that the signature covers the raw body bytes`,
  );
  const hints = await call('webhook.parse', async () => webhook.parse(t.ctx, req));
  ensure(
    hints.some((hint) => hint.externalId === ticketId),
    `webhook.parse returned ${JSON.stringify(hints)}; expected a hint for ticket ${ticketId}`,
  );
}

/** Changes the body's meaning (the ticket id) rather than its whitespace, which re-serialising vendors ignore. */
function tamper(body: Buffer, ticketId: string): Buffer {
  const text = body.toString('utf8');
  if (text.includes(ticketId)) return Buffer.from(text.replace(ticketId, `${ticketId}1`), 'utf8');
  const copy = Buffer.from(body);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = (copy[middle] ?? 0) ^ 1;
  return copy;
}

export async function checkWebhookTampered<C>(t: CheckTarget<C>): Promise<void> {
  const { webhook, ticketId, sign } = await prepare(t);
  const req = await call('harness.signedWebhook', () => sign(ticketId));
  const forged = { ...req, rawBody: tamper(req.rawBody, ticketId) };
  const result = await verdict(t, webhook, forged, 'a tampered body');
  ensure(
    result === 'invalid',
    `webhook.verify returned '${result}' for a body changed after signing; expected 'invalid'`,
  );
}

export async function checkWebhookMissingHeaders<C>(t: CheckTarget<C>): Promise<void> {
  const { webhook, ticketId, sign } = await prepare(t);
  const req = await call('harness.signedWebhook', () => sign(ticketId));
  const headers = { 'content-type': req.headers['content-type'] ?? 'application/json' };
  const result = await verdict(t, webhook, { ...req, headers }, 'a request without signature headers');
  ensure(
    result === 'missing_headers',
    `webhook.verify returned '${result}' for a request without signature headers; expected 'missing_headers'`,
  );
}

export async function checkWebhookStale<C>(t: CheckTarget<C>): Promise<void> {
  if (t.harness.capabilities.webhooks && !t.harness.capabilities.webhookReplayWindow) {
    skip('harness.capabilities.webhookReplayWindow is false: the vendor signs no timestamp');
  }
  const { webhook, ticketId, sign } = await prepare(t);
  const hourAgo = new Date(Date.now() - 3_600_000);
  const req = await call('harness.signedWebhook', () => sign(ticketId, hourAgo));
  const result = await verdict(
    t,
    webhook,
    { ...req, receivedAt: new Date() },
    'a request signed an hour ago',
  );
  ensure(
    result === 'stale',
    `webhook.verify returned '${result}' for a correctly signed request sent an hour ago; expected 'stale' (compare the signed timestamp with req.receivedAt)`,
  );
}
