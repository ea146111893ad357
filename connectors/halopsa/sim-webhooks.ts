/**
 * Outbound webhooks as Halo sends them: a JSON POST per event to each configured URL, with no
 * body signature; the receiver is authenticated with Basic auth or a custom header set on the
 * webhook. The payload keys are UNCONFIRMED (Halo payloads follow the notification event and can
 * be customised): this one carries `event`, `ticket_id`, a thin `ticket` and, for new actions, `action`.
 */
import { randomUUID } from 'node:crypto';
import { haloDate } from './sim-render.ts';
import type { SimChange, SimStore } from './sim-store.ts';

export type SimWebhookAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'header'; name: string; value: string };

export interface SimWebhook {
  id: string;
  url: string;
  auth: SimWebhookAuth;
  /** Event names to send; empty means all. */
  events: string[];
  active: boolean;
}

export interface SimDelivery {
  webhookId: string;
  url: string;
  event: string;
  status: number | 'error';
}

export interface SimWebhookMessage {
  body: Record<string, unknown>;
  rawBody: Buffer;
  headers: Record<string, string>;
}

export function authHeaders(auth: SimWebhookAuth): Record<string, string> {
  if (auth.type === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
  }
  if (auth.type === 'header') return { [auth.name.toLowerCase()]: auth.value };
  return {};
}

export function createSimWebhooks(store: SimStore) {
  const webhooks: SimWebhook[] = [];
  const deliveries: SimDelivery[] = [];
  const pending = new Set<Promise<void>>();
  const queued: Array<{ hook: SimWebhook; message: SimWebhookMessage; event: string }> = [];
  let paused = false;

  function payload(change: SimChange): Record<string, unknown> {
    const ticket = store.tickets.get(change.ticketId);
    const body: Record<string, unknown> = {
      id: randomUUID(),
      event: change.event,
      datetime: haloDate(store.now()),
      ticket_id: change.ticketId,
      ticket: ticket
        ? {
            id: ticket.id,
            summary: ticket.summary,
            status_id: ticket.status_id,
            agent_id: ticket.agent_id,
            last_update: haloDate(ticket.last_update),
          }
        : { id: change.ticketId },
    };
    if (change.event === 'Action Added') {
      const action = store.actions.get(change.actionId);
      body['action'] = {
        id: change.actionId,
        ticket_id: change.ticketId,
        hiddenfromuser: action?.hiddenfromuser ?? true,
        outcome: action?.outcome ?? '',
      };
    }
    return body;
  }

  function message(hook: Pick<SimWebhook, 'auth'>, body: Record<string, unknown>): SimWebhookMessage {
    const rawBody = Buffer.from(JSON.stringify(body));
    return { body, rawBody, headers: { 'content-type': 'application/json', ...authHeaders(hook.auth) } };
  }

  async function deliver(hook: SimWebhook, msg: SimWebhookMessage, event: string): Promise<void> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: msg.headers,
        body: msg.rawBody.toString('utf8'),
        signal: AbortSignal.timeout(5_000),
      });
      deliveries.push({ webhookId: hook.id, url: hook.url, event, status: res.status });
    } catch {
      deliveries.push({ webhookId: hook.id, url: hook.url, event, status: 'error' });
    }
  }

  function send(hook: SimWebhook, msg: SimWebhookMessage, event: string): void {
    const job = deliver(hook, msg, event).finally(() => pending.delete(job));
    pending.add(job);
  }

  store.onChange((change) => {
    for (const hook of webhooks) {
      if (!hook.active || (hook.events.length > 0 && !hook.events.includes(change.event))) continue;
      const msg = message(hook, payload(change));
      if (paused) queued.push({ hook, message: msg, event: change.event });
      else send(hook, msg, change.event);
    }
  });

  return {
    webhooks,
    deliveries,
    payload,
    message,
    add(input: { url: string; auth: SimWebhookAuth; events?: string[] }): SimWebhook {
      const hook = {
        id: randomUUID(),
        url: input.url,
        auth: input.auth,
        events: input.events ?? [],
        active: true,
      };
      webhooks.push(hook);
      return hook;
    },
    /** Hold deliveries until `flush()` (Halo batches and retries on its own schedule). */
    pause() {
      paused = true;
    },
    async flush(): Promise<void> {
      paused = false;
      for (const item of queued.splice(0)) send(item.hook, item.message, item.event);
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export type SimWebhooks = ReturnType<typeof createSimWebhooks>;
