import type { Plugin } from 'graphql-yoga';
import type { SyncEngine } from '../sync/engine.ts';

const ROUTE = /^\/webhooks\/([a-z0-9][a-z0-9-]{0,62})\/?$/;
const MAX_WEBHOOK_BYTES = 1_048_576;

/**
 * `POST /webhooks/:connectionId`: verified over the raw body, then only enqueued, so the tool
 * gets its answer in milliseconds. 401 names why a signature was refused; 400 a bad body.
 */
export function useWebhooks(engine: SyncEngine): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = ROUTE.exec(url.pathname);
      if (!match) return;
      if (request.method !== 'POST') {
        return endResponse(
          fetchAPI.Response.json(
            { error: 'Webhooks are POSTed.' },
            { status: 405, headers: { allow: 'POST' } },
          ),
        );
      }
      const raw = Buffer.from(await request.arrayBuffer());
      if (raw.length > MAX_WEBHOOK_BYTES) {
        return endResponse(fetchAPI.Response.json({ error: 'Webhook body too large.' }, { status: 413 }));
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      const answer = await engine.receiveWebhook(match[1]!, {
        headers,
        rawBody: raw,
        receivedAt: new Date(),
      });
      return endResponse(fetchAPI.Response.json(answer.body, { status: answer.status }));
    },
  };
}
