/**
 * Freshservice webhooks come from a Workflow Automator "Trigger Webhook" action. Freshservice does
 * not sign them; the admin adds a custom header carrying a shared secret (`webhookHeader`), which
 * is compared in constant time. Nothing signed carries a time, so replays cannot be told apart
 * (harmless: a webhook is only a hint, and the engine re-reads the ticket).
 *
 * The body is what the admin typed in the action; the README asks for
 * `{"ticket_id": "{{ticket.id}}", "event": "..."}`. `{{ticket.id}}` may render with a prefix
 * such as `#INC-42` (UNCONFIRMED), so the id is the trailing number.
 */
import {
  type ChangeHint,
  type ConnectorContext,
  ConnectorError,
  getHeader,
  safeEqual,
  type WebhookRequest,
  type WebhookVerdict,
} from '../../src/connector-kit/index.ts';
import { FsWebhookBody } from './api-types.ts';
import type { FreshserviceConfig } from './config.ts';

type Ctx = ConnectorContext<FreshserviceConfig>;

export async function verifyWebhook(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const provided = getHeader(req.headers, ctx.config.webhookHeader);
  if (!provided) return 'missing_headers';
  const secret = ctx.config.webhookSecret;
  if (!secret) return 'invalid';
  return safeEqual(provided.trim(), secret) ? 'valid' : 'invalid';
}

export function parseWebhook(_ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConnectorError('invalid_response', 'Freshservice webhook body is not JSON');
  }
  const parsed = FsWebhookBody.safeParse(body);
  if (!parsed.success)
    throw new ConnectorError('invalid_response', 'Freshservice webhook body has no ticket_id');
  const m = /^\s*#?(?:[A-Z]+-)?(\d{1,15})\s*$/i.exec(String(parsed.data.ticket_id));
  if (!m)
    throw new ConnectorError('invalid_response', 'Freshservice webhook ticket_id is not a ticket number');
  const event = parsed.data.event?.toLowerCase() ?? '';
  const kind = event.includes('delete')
    ? 'deleted'
    : event.includes('note') || event.includes('comment')
      ? 'comment'
      : 'ticket';
  return [{ externalId: m[1]!, kind }];
}
