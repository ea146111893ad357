/**
 * The Workflow Automator rule an admin sets up for the hub: "when a ticket is raised or updated,
 * or a note is added, Trigger Webhook" with a custom JSON body and a custom header carrying the
 * shared secret. Freshservice signs nothing; `{{ticket.id}}` is rendered with its display prefix.
 */
import axios from 'axios';
import { isoSeconds } from './sim-render.ts';
import type { SimChange } from './sim-store.ts';

export interface SimDelivery {
  url: string;
  event: string;
  ticketId: number;
  status: number | 'error';
}

export interface WebhookTarget {
  url: string;
  header: string;
  secret: string;
}

/** The body the README's automator action renders, as bytes. */
export function webhookBody(change: SimChange): Buffer {
  const { ticket, event } = change;
  return Buffer.from(
    JSON.stringify({ ticket_id: `#INC-${ticket.id}`, event, updated_at: isoSeconds(ticket.updatedMs) }),
  );
}

export function createSimWebhooks() {
  let target: WebhookTarget | null = null;
  const pending = new Set<Promise<void>>();
  const deliveries: SimDelivery[] = [];

  async function deliver(to: WebhookTarget, change: SimChange): Promise<void> {
    const base = { url: to.url, event: change.event, ticketId: change.ticket.id };
    try {
      const res = await axios.post(to.url, webhookBody(change), {
        headers: { 'content-type': 'application/json', [to.header]: to.secret },
        timeout: 10_000,
        validateStatus: () => true,
      });
      deliveries.push({ ...base, status: res.status });
    } catch {
      deliveries.push({ ...base, status: 'error' });
    }
  }

  return {
    deliveries,
    connect(next: WebhookTarget | null) {
      target = next;
    },
    onChange(change: SimChange) {
      if (!target) return;
      const sending = deliver(target, { ...change, ticket: { ...change.ticket } }).finally(() =>
        pending.delete(sending),
      );
      pending.add(sending);
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
