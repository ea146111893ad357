/**
 * Halo outbound webhooks: authentication and change hints.
 *
 * Halo signs no outbound webhook body (no vendor HMAC is documented), so the webhook is set up
 * with Basic authentication, or a custom header, carrying a shared secret; the hub compares it in
 * constant time. That authenticates the sender but not the body, and carries no timestamp, so
 * there is no replay window: bodies are treated as thin hints and every ticket is re-fetched.
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
import { HaloWebhookPayload } from './api-types.ts';
import type { HaloConfig } from './config.ts';

type Ctx = ConnectorContext<HaloConfig>;

/** The `Authorization` value Halo sends for a webhook with Basic authentication. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function presented(config: HaloConfig, req: WebhookRequest): string | undefined {
  const name = config.webhookAuth === 'basic' ? 'authorization' : config.webhookHeaderName;
  const value = getHeader(req.headers, name)?.trim();
  return value ? value : undefined;
}

export async function verifyWebhook(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const { config } = ctx;
  const value = presented(config, req);
  if (!value) return 'missing_headers';
  // Without a configured secret nothing can be authenticated: refuse rather than accept all.
  if (!config.webhookSecret) return 'invalid';
  const expected =
    config.webhookAuth === 'basic'
      ? basicAuthorization(config.webhookUsername, config.webhookSecret)
      : config.webhookSecret;
  if (config.webhookAuth === 'basic' && !/^basic\s/i.test(value)) return 'invalid';
  const normalised = config.webhookAuth === 'basic' ? `Basic ${value.slice(6).trim()}` : value;
  return safeEqual(normalised, expected) ? 'valid' : 'invalid';
}

function toTicketId(value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1) {
    throw new ConnectorError('invalid_response', 'HaloPSA webhook names a ticket id that is not a number');
  }
  return text;
}

/**
 * The ticket the event is about: `ticket.id`, else `ticket_id`, else `action.ticket_id` (which
 * key a given event carries is UNCONFIRMED). An event with an action is a comment hint too.
 */
export function parseWebhook(_ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConnectorError('invalid_response', 'HaloPSA webhook body is not JSON');
  }
  const parsed = HaloWebhookPayload.safeParse(body);
  if (!parsed.success)
    throw new ConnectorError('invalid_response', 'HaloPSA webhook has an unexpected shape');
  const { ticket, ticket_id: ticketId, action, event } = parsed.data;
  const externalId = toTicketId(ticket?.id ?? ticketId ?? action?.ticket_id);
  if (!externalId) throw new ConnectorError('invalid_response', 'HaloPSA webhook names no ticket');
  if (event && /delet/i.test(event)) return [{ externalId, kind: 'deleted' }];
  return [{ externalId, kind: action ? 'comment' : 'ticket' }];
}
