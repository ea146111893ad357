/**
 * Admin webhooks (Jira Settings > System > WebHooks): each registration has a URL, an optional
 * secret and an optional JQL filter. Every issue and comment event is POSTed to each matching
 * registration, signed `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { parseJql } from './sim-jql.ts';
import { matches } from './sim-jql-eval.ts';
import { type RenderEnv, renderComment, renderIssue, renderUser } from './sim-render.ts';
import type { SimEvent, SimStore } from './sim-store.ts';

export interface SimWebhook {
  id: number;
  name: string;
  url: string;
  secret: string | null;
  /** Only issues matching this JQL fire (Jira's "issue related events" filter). */
  jql: string | null;
  enabled: boolean;
}

export interface SimDelivery {
  webhookId: number;
  event: string;
  status: number | 'error';
}

export function signJiraBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function createSimWebhooks(store: SimStore, base: () => string) {
  const hooks: SimWebhook[] = [];
  const deliveries: SimDelivery[] = [];
  const pending = new Set<Promise<void>>();
  let seq = 0;
  let changelogSeq = 10_500;

  const env = (): RenderEnv => ({ base: base(), store, viewer: store.users[0]! });

  function payload(event: SimEvent, timestamp: number): Record<string, unknown> {
    const e = env();
    return {
      timestamp,
      webhookEvent: event.webhookEvent,
      issue_event_type_name: event.issueEventType,
      user: renderUser(e, event.actor),
      issue: renderIssue(e, event.issue, () => true),
      ...(event.changelog.length > 0
        ? { changelog: { id: String(++changelogSeq), items: event.changelog } }
        : {}),
      ...(event.comment ? { comment: renderComment(e, event.comment) } : {}),
    };
  }

  /** The exact request Jira would send for `event` to a hook with `secret`. */
  function signedRequest(event: SimEvent, secret: string | null, sentAt = store.now()) {
    const rawBody = Buffer.from(JSON.stringify(payload(event, sentAt)), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': randomUUID(),
    };
    if (secret) headers['x-hub-signature'] = signJiraBody(secret, rawBody);
    return { headers, rawBody };
  }

  function wants(hook: SimWebhook, event: SimEvent): boolean {
    if (!hook.enabled) return false;
    if (!hook.jql) return true;
    const where = parseJql(hook.jql).where;
    return where === null || matches(event.issue, where, { timeZone: 'UTC', now: store.now() });
  }

  async function deliver(hook: SimWebhook, event: SimEvent): Promise<void> {
    const { headers, rawBody } = signedRequest(event, hook.secret);
    try {
      const res = await fetch(hook.url, { method: 'POST', headers, body: rawBody });
      await res.arrayBuffer();
      deliveries.push({ webhookId: hook.id, event: event.webhookEvent, status: res.status });
    } catch {
      deliveries.push({ webhookId: hook.id, event: event.webhookEvent, status: 'error' });
    }
  }

  store.onEvent((event) => {
    for (const hook of hooks.filter((h) => wants(h, event))) {
      const p = deliver(hook, event).finally(() => pending.delete(p));
      pending.add(p);
    }
  });

  return {
    hooks,
    deliveries,
    signedRequest,
    register(input: { url: string; secret?: string | null; jql?: string | null; name?: string }): SimWebhook {
      const hook: SimWebhook = {
        id: ++seq,
        name: input.name ?? 'co-managed hub',
        url: input.url,
        secret: input.secret ?? null,
        jql: input.jql ?? null,
        enabled: true,
      };
      hooks.push(hook);
      return hook;
    },
    /** Wait until every queued delivery has been attempted. */
    async flush(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type SimWebhooks = ReturnType<typeof createSimWebhooks>;
