/**
 * The receiver for the hub's Business Rule (or Flow) on `incident`: ServiceNow has no native
 * signed outbound webhook, so the README ships the script, and the signature is ours:
 *
 * - `hmac-sha256` (default): `X-Hub-Timestamp: <unix seconds>` and
 *   `X-Hub-Signature: sha256=<base64 HMAC-SHA256(secret, timestamp + "." + raw body)>`. The body
 *   and the time are both covered, so tampering is `invalid` and a replay is `stale`.
 * - `shared-secret`: `X-Hub-Webhook-Secret: <secret>`, for a Flow Designer REST step that can only
 *   set static headers. It authenticates the sender but not the body; harmless here, because the
 *   body is only a hint and the engine re-fetches the incident with the connector's own credentials.
 *
 * Comparisons are constant time; `verify` returns a verdict and never throws.
 */
import {
  type ChangeHint,
  type ConnectorContext,
  ConnectorError,
  getHeader,
  safeEqual,
  verifyHmac,
  type WebhookRequest,
  type WebhookVerdict,
  withinReplayWindow,
} from '../../src/connector-kit/index.ts';
import { SnWebhookPayload } from './api-types.ts';
import type { ServiceNowConfig } from './config.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

export const SN_WEBHOOK_HEADERS = {
  timestamp: 'x-hub-timestamp',
  signature: 'x-hub-signature',
  secret: 'x-hub-webhook-secret',
} as const;

export const SIGNATURE_PREFIX = 'sha256=';

/** The string the Business Rule signs. */
export function signedPayload(timestamp: string, rawBody: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}.`, 'utf8'),
    Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8'),
  ]);
}

export async function verifyWebhook(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const { webhookSecret, webhookAuth, webhookToleranceSeconds } = ctx.config;
  if (webhookAuth === 'shared-secret') {
    const provided = getHeader(req.headers, SN_WEBHOOK_HEADERS.secret);
    if (!provided) return 'missing_headers';
    // Without a configured secret nothing verifies; the comparison still runs to keep timing flat.
    return webhookSecret && safeEqual(provided, webhookSecret) ? 'valid' : 'invalid';
  }
  const timestamp = getHeader(req.headers, SN_WEBHOOK_HEADERS.timestamp);
  const signature = getHeader(req.headers, SN_WEBHOOK_HEADERS.signature);
  if (!timestamp || !signature) return 'missing_headers';
  if (!webhookSecret || !/^\d{1,12}$/.test(timestamp.trim())) return 'invalid';
  const ok = verifyHmac({
    algorithm: 'sha256',
    key: webhookSecret,
    payload: signedPayload(timestamp.trim(), req.rawBody),
    signature,
    encoding: 'base64',
    prefix: SIGNATURE_PREFIX,
  });
  if (!ok) return 'invalid';
  const sentAt = Number(timestamp.trim()) * 1000;
  return withinReplayWindow(sentAt, req.receivedAt, webhookToleranceSeconds * 1000) ? 'valid' : 'stale';
}

/** A verified body -> one hint for the incident. Other tables are ignored (the rule may be shared). */
export function parseWebhook(_ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConnectorError('invalid_response', 'ServiceNow webhook body is not JSON');
  }
  const payload = SnWebhookPayload.safeParse(body);
  if (!payload.success)
    throw new ConnectorError('invalid_response', 'ServiceNow webhook has an unexpected shape');
  if (payload.data.table !== 'incident') return [];
  return [
    { externalId: payload.data.sys_id, kind: payload.data.operation === 'delete' ? 'deleted' : 'ticket' },
  ];
}
