/**
 * Autotask webhook callouts: signature check and change hints.
 *
 * Autotask signs with the webhook's SecretKey: `X-Hook-Signature: sha1=<base64 HMAC-SHA1>`
 * (SecretKeyPayloadVerification.htm), computed over an *escaped* serialisation of the body (see
 * `signed-form.ts`). The escaped form is tried first, then the raw bytes, in constant time. The
 * body's `EventTime` is signed, so a replay outside the window is `stale`.
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
import { AtCallout } from './api-types.ts';
import type { AutotaskConfig } from './config.ts';
import { parseAtDate } from './mapping.ts';
import { toAutotaskSignedForm } from './signed-form.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

export const AT_SIGNATURE_HEADER = 'X-Hook-Signature';

/** Whether `signature` signs `rawBody` with `key`, as Autotask signs (escaped form, then raw). */
export function verifyAutotaskSignature(rawBody: Buffer, signature: string, key: string): boolean {
  const raw = rawBody.toString('utf8');
  const candidates = [toAutotaskSignedForm(raw), raw];
  // Every candidate is checked, so the time taken does not tell which one matched.
  const results = candidates.map((payload) =>
    verifyHmac({ algorithm: 'sha1', key, payload, signature, encoding: 'base64', prefix: 'sha1=' }),
  );
  return results.some(Boolean);
}

export async function verifyCallout(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const signature = getHeader(req.headers, AT_SIGNATURE_HEADER);
  if (!signature) return 'missing_headers';
  const key = ctx.config.webhookSecretKey;
  if (!key) {
    ctx.log.warn(
      { connectionId: ctx.connectionId },
      'Autotask callout received but webhookSecretKey is not set',
    );
    return 'invalid';
  }
  if (!verifyAutotaskSignature(req.rawBody, signature, key)) return 'invalid';
  let eventTime: unknown;
  try {
    eventTime = (JSON.parse(req.rawBody.toString('utf8')) as { EventTime?: unknown }).EventTime;
  } catch {
    return 'invalid';
  }
  // A callout without a readable EventTime cannot prove it is fresh.
  if (typeof eventTime !== 'string') return 'stale';
  const windowMs = ctx.config.webhookReplayWindowSeconds * 1000;
  return withinReplayWindow(parseAtDate(eventTime), req.receivedAt, windowMs) ? 'valid' : 'stale';
}

function fieldValue(fields: Record<string, unknown> | null | undefined, name: string): unknown {
  const key = Object.keys(fields ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : fields?.[key];
}

export function parseCallout(ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConnectorError('invalid_response', 'Autotask callout body is not JSON');
  }
  const parsed = AtCallout.safeParse(body);
  if (!parsed.success)
    throw new ConnectorError('invalid_response', 'Autotask callout has an unexpected shape');
  const { Action, EntityType, Id, Fields } = parsed.data;
  if (Action.toLowerCase() === 'deactivated') {
    ctx.log.warn(
      { connectionId: ctx.connectionId, entityType: EntityType },
      'Autotask deactivated a webhook',
    );
    return [];
  }
  const entity = EntityType.toLowerCase();
  if (entity === 'ticket') {
    return [{ externalId: String(Id), kind: Action.toLowerCase() === 'delete' ? 'deleted' : 'ticket' }];
  }
  if (entity === 'ticketnote') {
    const ticketId = fieldValue(Fields, 'TicketID');
    if (ticketId === undefined || !/^\d{1,12}$/.test(String(ticketId))) return [];
    return [{ externalId: String(ticketId), kind: 'comment' }];
  }
  return [];
}
