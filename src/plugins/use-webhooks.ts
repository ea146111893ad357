import type { Plugin } from 'graphql-yoga';
import type { SyncEngine } from '../sync/engine.ts';
import { createWebhookGuard } from '../sync/webhook-guard.ts';
import { readBodyLimited } from './use-body-limit.ts';

const ROUTE = /^\/webhooks\/([a-z0-9][a-z0-9-]{0,62})\/?$/;

export interface WebhookLimits {
  /** MAX_BODY_BYTES: enforced while the body streams in. */
  maxBytes: number;
  /** WEBHOOK_RATE_PER_MINUTE, per connection. */
  ratePerMinute: number;
  /** WEBHOOK_TICKET_WINDOW_MS. */
  ticketWindowMs: number;
}

/**
 * `POST /webhooks/:connectionId`: verified over the raw body, then only enqueued, so the tool
 * gets its answer in milliseconds. 401 names why a signature was refused; 400 a bad body; 429
 * when a connection's rate is spent (checked before the body is read or anything verified);
 * 413 once the body passes the limit.
 */
export function useWebhooks(engine: SyncEngine, limits: WebhookLimits): Plugin {
  const guard = createWebhookGuard(limits);
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = ROUTE.exec(url.pathname);
      if (!match) return;
      const id = match[1]!;
      if (request.method !== 'POST') {
        return endResponse(
          fetchAPI.Response.json(
            { error: 'Webhooks are POSTed.' },
            { status: 405, headers: { allow: 'POST' } },
          ),
        );
      }
      if (!engine.runtime(id)) {
        return endResponse(
          fetchAPI.Response.json(
            { error: `No connection "${id}" is configured on this hub.` },
            { status: 404 },
          ),
        );
      }
      const wait = guard.admit(id);
      if (wait !== null) {
        return endResponse(
          fetchAPI.Response.json(
            {
              error: `Too many webhook requests for connection "${id}" (WEBHOOK_RATE_PER_MINUTE is ${limits.ratePerMinute}); retry after ${wait} s.`,
            },
            { status: 429, headers: { 'retry-after': String(wait), connection: 'close' } },
          ),
        );
      }
      const raw = await readBodyLimited(request, limits.maxBytes);
      if (!raw) {
        return endResponse(
          fetchAPI.Response.json(
            { error: `Webhook body is over the limit of ${limits.maxBytes} bytes (MAX_BODY_BYTES).` },
            { status: 413, headers: { connection: 'close' } },
          ),
        );
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      const answer = await engine.receiveWebhook(
        id,
        { headers, rawBody: raw, receivedAt: new Date() },
        guard,
      );
      return endResponse(fetchAPI.Response.json(answer.body, { status: answer.status }));
    },
  };
}
