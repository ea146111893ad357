/**
 * Zendesk webhooks: signature check and change hints.
 *
 * Zendesk signs every webhook request: `X-Zendesk-Webhook-Signature` is
 * base64(HMAC-SHA256(signing secret, timestamp + raw body)) and the timestamp it signed is in
 * `X-Zendesk-Webhook-Signature-Timestamp` (ISO 8601). The digest is compared in constant time over
 * the raw bytes, and a signed timestamp outside `webhookToleranceSeconds` is a replay (`stale`).
 * https://developer.zendesk.com/documentation/webhooks/verifying/
 *
 * Bodies are thin and untrusted: the engine re-fetches the hinted ticket.
 */
import {
  type ChangeHint,
  type ConnectorContext,
  ConnectorError,
  getHeader,
  verifyHmac,
  type WebhookRequest,
  type WebhookVerdict,
  withinReplayWindow,
} from '../../src/connector-kit/index.ts';
import { ZdWebhookBody } from './api-types.ts';
import type { ZendeskConfig } from './config.ts';

type Ctx = ConnectorContext<ZendeskConfig>;

export const ZD_SIGNATURE_HEADER = 'X-Zendesk-Webhook-Signature';
export const ZD_TIMESTAMP_HEADER = 'X-Zendesk-Webhook-Signature-Timestamp';

export async function verifyWebhook(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const signature = getHeader(req.headers, ZD_SIGNATURE_HEADER);
  const timestamp = getHeader(req.headers, ZD_TIMESTAMP_HEADER);
  if (!signature || !timestamp) return 'missing_headers';
  const secret = ctx.config.webhookSigningSecret;
  if (!secret) return 'invalid';
  const payload = Buffer.concat([Buffer.from(timestamp, 'utf8'), req.rawBody]);
  if (!verifyHmac({ algorithm: 'sha256', key: secret, payload, signature, encoding: 'base64' }))
    return 'invalid';
  const sentAt = Date.parse(timestamp);
  if (Number.isNaN(sentAt)) return 'invalid';
  return withinReplayWindow(sentAt, req.receivedAt, ctx.config.webhookToleranceSeconds * 1000)
    ? 'valid'
    : 'stale';
}

function kindOf(type: string | undefined): ChangeHint['kind'] {
  if (type === undefined) return 'ticket';
  if (/deleted$/.test(type)) return 'deleted';
  return /comment/.test(type) ? 'comment' : 'ticket';
}

export function parseWebhook(_ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConnectorError('invalid_response', 'Zendesk webhook body is not JSON');
  }
  const parsed = ZdWebhookBody.safeParse(body);
  if (!parsed.success) throw new ConnectorError('invalid_response', 'Zendesk webhook body names no ticket');
  const data = parsed.data as {
    type?: string;
    detail?: { id: string | number };
    ticket_id?: string | number;
  };
  const id = data.detail?.id ?? data.ticket_id;
  const type = data.detail ? data.type : undefined;
  const externalId = String(id).trim();
  if (!/^\d{1,15}$/.test(externalId))
    throw new ConnectorError('invalid_response', 'webhook ticket id is not a number');
  return [{ externalId, kind: kindOf(type) }];
}
