/**
 * Webhooks as Zendesk sends them for ticket event subscriptions: one POST per event
 * (`zen:event-type:ticket.created`, `.status_changed`, `.comment_added`...), signed with
 * `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp + body)) and
 * `X-Zendesk-Webhook-Signature-Timestamp`. The timestamp is the wall clock at sending: it is
 * about transport, while the settable clock stamps the data.
 */
import { createHmac, randomUUID } from 'node:crypto';
import axios from 'axios';
import { isoSeconds } from './sim-render.ts';
import type { SimStore, SimTicket, WriteResult } from './sim-store.ts';

export const SIM_ACCOUNT_ID = 21_480_011;

export interface SimDelivery {
  url: string;
  type: string;
  ticketId: number;
  status: number | 'error';
}

export interface SignedRequest {
  headers: Record<string, string>;
  rawBody: Buffer;
  body: unknown;
}

const FIELD_EVENTS = {
  subject: 'subject_changed',
  status: 'status_changed',
  priority: 'priority_changed',
  assigneeId: 'agent_assignment_changed',
} as const;

export function signWebhook(secret: string, rawBody: Buffer, sentAt: Date): Record<string, string> {
  const timestamp = isoSeconds(sentAt.getTime());
  const signature = createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-zendesk-webhook-id': '01HZSIMWEBHOOK000000000000',
    'x-zendesk-webhook-invocation-id': String(Date.now()),
    'x-zendesk-webhook-signature': signature,
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
}

function detailOf(ticket: SimTicket) {
  return {
    id: String(ticket.id),
    subject: ticket.subject,
    status: ticket.status.toUpperCase(),
    priority: ticket.priority?.toUpperCase() ?? null,
    assignee_id: ticket.assigneeId === null ? null : String(ticket.assigneeId),
    requester_id: String(ticket.requesterId),
    external_id: ticket.externalId,
    created_at: isoSeconds(ticket.createdMs),
    updated_at: isoSeconds(ticket.updatedMs),
    via: { channel: ticket.channel },
  };
}

export function eventBody(ticket: SimTicket, type: string, event: Record<string, unknown>, at: Date) {
  return {
    account_id: SIM_ACCOUNT_ID,
    detail: detailOf(ticket),
    event,
    id: randomUUID(),
    subject: `zen:ticket:${ticket.id}`,
    time: isoSeconds(at.getTime()),
    type: `zen:event-type:ticket.${type}`,
    zendesk_event_version: '2022-11-06',
  };
}

/** The event bodies one write produces, in the order Zendesk would send them. */
export function eventsFor(store: SimStore, result: WriteResult, at: Date) {
  const { ticket } = result;
  const events: unknown[] = [];
  if (result.event === 'created') events.push(eventBody(ticket, 'created', {}, at));
  else {
    for (const change of result.changed) {
      const current = change.field === 'assigneeId' ? ticket.assigneeId : ticket[change.field];
      events.push(eventBody(ticket, FIELD_EVENTS[change.field], { current, previous: change.previous }, at));
    }
  }
  if (result.comment && result.event !== 'created') {
    const author = store.users.get(result.comment.authorId);
    const comment = {
      id: String(result.comment.id),
      body: result.comment.body,
      is_public: result.comment.public,
    };
    events.push(
      eventBody(
        ticket,
        'comment_added',
        { comment: { ...comment, author: { id: String(author?.id), name: author?.name } } },
        at,
      ),
    );
  }
  return events;
}

export function createSimWebhooks(store: SimStore) {
  let target: { url: string; secret: string } | null = null;
  const pending = new Set<Promise<void>>();
  const deliveries: SimDelivery[] = [];

  async function deliver(url: string, secret: string, body: unknown, ticketId: number): Promise<void> {
    const rawBody = Buffer.from(JSON.stringify(body));
    const type = (body as { type: string }).type;
    try {
      const res = await axios.post(url, rawBody, {
        headers: signWebhook(secret, rawBody, new Date()),
        timeout: 10_000,
        validateStatus: () => true,
      });
      deliveries.push({ url, type, ticketId, status: res.status });
    } catch {
      deliveries.push({ url, type, ticketId, status: 'error' });
    }
  }

  return {
    deliveries,
    target: () => target,
    connect(url: string, secret: string) {
      target = { url, secret };
    },
    disconnect() {
      target = null;
    },
    /** Queue the events of a write for delivery (nothing when no webhook is connected). */
    onWrite(result: WriteResult, at: Date) {
      if (!target) return;
      const { url, secret } = target;
      for (const body of eventsFor(store, result, at)) {
        const sending = deliver(url, secret, body, result.ticket.id).finally(() => pending.delete(sending));
        pending.add(sending);
      }
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
