/**
 * The hub's side of vendor webhooks: answer fast (verify, parse, enqueue; the record itself is
 * fetched later by the inbound loop), and make sure each tool that can push knows our URL.
 */
import type { WebhookRequest } from '../connector-kit/contract.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { enqueueHints } from './inbound.ts';
import type { ConnectionRuntime } from './runtime.ts';
import type { WebhookGuard } from './webhook-guard.ts';

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

const REJECTED = {
  missing_headers: 'the signature headers are missing',
  invalid: 'the signature does not match the body',
  stale: 'the signed timestamp is outside the replay window',
} as const;

/** 202 with the hints enqueued, or 404/400/401 with a reason a person can act on. */
export async function receiveWebhook(
  db: Db,
  id: string,
  rt: ConnectionRuntime | undefined,
  req: WebhookRequest,
  guard?: WebhookGuard,
): Promise<WebhookAnswer> {
  if (!rt) return { status: 404, body: { error: `No connection "${id}" is configured on this hub.` } };
  const webhook = rt.connector.webhook;
  if (!webhook) {
    return {
      status: 400,
      body: { error: `${rt.connector.displayName} connections are polled; this endpoint takes no webhooks.` },
    };
  }
  const verdict = await webhook.verify(rt.ctx, req);
  if (verdict !== 'valid') {
    return { status: 401, body: { error: `Webhook rejected: ${REJECTED[verdict]}.`, reason: verdict } };
  }
  let hints: ReturnType<typeof webhook.parse>;
  try {
    hints = webhook.parse(rt.ctx, req);
  } catch (err) {
    return {
      status: 400,
      body: { error: `Webhook body could not be read: ${err instanceof Error ? err.message : String(err)}` },
    };
  }
  await enqueueHints(
    db,
    id,
    hints.map((h) => ({ ...h, delayMs: guard?.delayFor(id, h.externalId) ?? 0 })),
  );
  return { status: 202, body: { accepted: hints.length } };
}

/** A webhook registration a start created (not one it found in place). */
export interface RegisteredWebhook {
  rt: ConnectionRuntime;
  url: string;
}

/**
 * Registers `<publicUrl>/webhooks/<connection>` with every tool that supports it; failures fall
 * back to polling. Returns the registrations it created, so a failed start can remove them.
 */
export async function registerWebhooks(
  runtimes: readonly ConnectionRuntime[],
  publicUrl: string,
  log: Logger,
): Promise<RegisteredWebhook[]> {
  const created: RegisteredWebhook[] = [];
  for (const rt of runtimes) {
    const register = rt.connector.webhook?.register;
    if (!register) continue;
    const url = `${publicUrl.replace(/\/+$/, '')}/webhooks/${rt.id}`;
    try {
      const outcome = await register(rt.ctx, url);
      if (outcome === 'created') created.push({ rt, url });
      log.info({ connection: rt.id, url, outcome: outcome ?? 'registered' }, 'webhook registered');
    } catch (err) {
      log.warn(
        { connection: rt.id, err: err instanceof Error ? err.message : String(err) },
        'webhook registration failed; relying on polling',
      );
    }
  }
  return created;
}

/** Removes registrations a failed start created; a tool that cannot is logged and skipped. */
export async function unregisterWebhooks(registered: RegisteredWebhook[], log: Logger): Promise<void> {
  for (const { rt, url } of registered) {
    const unregister = rt.connector.webhook?.unregister;
    if (!unregister) {
      log.warn({ connection: rt.id, url }, 'webhook left registered: the connector cannot remove it');
      continue;
    }
    try {
      await unregister(rt.ctx, url);
      log.info({ connection: rt.id, url }, 'webhook registration removed after a failed start');
    } catch (err) {
      log.warn(
        { connection: rt.id, url, err: err instanceof Error ? err.message : String(err) },
        'webhook registration could not be removed',
      );
    }
  }
}
