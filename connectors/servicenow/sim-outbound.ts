/**
 * The hub's Business Rule, simulated: after an incident is inserted, updated or deleted by anyone
 * but the skipped user (the integration user, so the hub's own writes do not echo), it POSTs
 * `{ sys_id, table, operation, sys_updated_on }` to the registered URL, signed as the README's
 * script signs (or with the static shared-secret header a Flow REST step sends).
 *
 * Deliveries run asynchronously, like an async Business Rule with an Outbound REST Message; there
 * is no retry (the hub's polling is the backstop). The signing time is the wall clock, not the
 * simulator's record clock, because the receiver compares it with its own time.
 */
import { createHmac } from 'node:crypto';
import type { SimChange, SimStore } from './sim-store.ts';

export interface SimBusinessRule {
  url: string;
  secret: string;
  mode: 'hmac-sha256' | 'shared-secret';
  /** `gs.getUserName() != skipUserName` in the rule's condition; null fires for everyone. */
  skipUserName: string | null;
}

export interface SimDelivery {
  sys_id: string;
  operation: SimChange['operation'];
  status: number | 'error';
}

export function signWebhook(
  rule: Pick<SimBusinessRule, 'secret' | 'mode'>,
  rawBody: string,
  sentAt: Date,
): Record<string, string> {
  if (rule.mode === 'shared-secret')
    return { 'content-type': 'application/json', 'x-hub-webhook-secret': rule.secret };
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const mac = createHmac('sha256', rule.secret).update(`${timestamp}.${rawBody}`).digest('base64');
  return {
    'content-type': 'application/json',
    'x-hub-timestamp': timestamp,
    'x-hub-signature': `sha256=${mac}`,
  };
}

export function createSimOutbound(store: SimStore, defaults: Pick<SimBusinessRule, 'secret' | 'mode'>) {
  let rule: SimBusinessRule | null = null;
  const pending = new Set<Promise<void>>();
  const deliveries: SimDelivery[] = [];

  function payload(change: Pick<SimChange, 'sys_id' | 'operation'>): string {
    const record = store.get('incident', change.sys_id);
    return JSON.stringify({
      sys_id: change.sys_id,
      table: 'incident',
      operation: change.operation,
      sys_updated_on: record?.['sys_updated_on'] ?? '',
    });
  }

  async function deliver(target: SimBusinessRule, change: SimChange) {
    const body = payload(change);
    let status: SimDelivery['status'];
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: signWebhook(target, body, new Date()),
        body,
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'error';
    }
    deliveries.push({ sys_id: change.sys_id, operation: change.operation, status });
  }

  store.onChange((change) => {
    if (!rule || change.table !== 'incident') return;
    if (rule.skipUserName !== null && change.actor.user_name === rule.skipUserName) return;
    const run = deliver(rule, change).finally(() => pending.delete(run));
    pending.add(run);
  });

  return {
    register(next: SimBusinessRule | null) {
      rule = next;
    },
    rule: () => rule,
    /** A correctly signed request for the incident, as the rule would send it now. */
    signed(sysId: string, opts: { sentAt?: Date; operation?: SimChange['operation'] } = {}) {
      const target = rule ?? defaults;
      const body = payload({ sys_id: sysId, operation: opts.operation ?? 'update' });
      return { rawBody: Buffer.from(body), headers: signWebhook(target, body, opts.sentAt ?? new Date()) };
    },
    deliveries: () => [...deliveries],
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
