/**
 * Jira admin webhooks (System > WebHooks) with a secret: Jira sends
 * `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>` and puts the send time, in epoch
 * ms, in the body's `timestamp`. The signature is checked over the raw bytes in constant time,
 * then the signed timestamp against the replay window. Verdicts, never exceptions.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
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
import { JiraWebhookPayload } from './api-types.ts';
import type { JiraSmConfig } from './config.ts';

type Ctx = ConnectorContext<JiraSmConfig>;

export const JIRA_SIGNATURE_HEADER = 'x-hub-signature';

function parseBody(raw: Buffer): JiraWebhookPayload | null {
  try {
    const parsed = JiraWebhookPayload.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function verifyWebhook(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const signature = getHeader(req.headers, JIRA_SIGNATURE_HEADER);
  if (!signature) return 'missing_headers';
  const secret = ctx.config.webhookSecret;
  // Without a configured secret nothing can be verified, and unsigned calls are never trusted.
  if (!secret) return 'invalid';
  const valid = verifyHmac({
    algorithm: 'sha256',
    key: secret,
    payload: req.rawBody,
    signature,
    encoding: 'hex',
    prefix: 'sha256=',
  });
  if (!valid) return 'invalid';
  const body = parseBody(req.rawBody);
  if (!body) return 'invalid';
  const windowMs = ctx.config.webhookToleranceSeconds * 1000;
  return withinReplayWindow(body.timestamp, req.receivedAt, windowMs) ? 'valid' : 'stale';
}

const DELETED = new Set(['jira:issue_deleted']);

export function parseWebhook(ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  const body = parseBody(req.rawBody);
  if (!body) throw new ConnectorError('invalid_response', 'the Jira webhook body is not a Jira event');
  const issue = body.issue;
  if (!issue) return [];
  if (!/^\d{1,18}$/.test(issue.id))
    throw new ConnectorError('invalid_response', 'the Jira webhook issue id is not numeric');
  // Admin webhooks may be scoped by JQL or not at all: ignore other projects' issues.
  const project = issue.fields?.project?.key ?? issue.key.split('-')[0];
  if (project !== ctx.config.projectKey) return [];
  if (DELETED.has(body.webhookEvent)) return [{ externalId: issue.id, kind: 'deleted' }];
  const kind = body.webhookEvent.startsWith('comment_') ? 'comment' : 'ticket';
  return [{ externalId: issue.id, kind }];
}
