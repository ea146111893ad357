/**
 * The simulator's `TicketWebhooks` / `TicketNoteWebhooks` and their signed callouts:
 * `{Action, Guid, EntityType, Id, Fields, EventTime, SequenceNumber, PersonID}` POSTed with
 * `X-Hook-Signature: sha1=<base64 HMAC-SHA1(SecretKey, escaped body)>`. The body on the wire is
 * plain JSON; the signature covers the escaped serialisation (`signed-form.ts`), as Autotask's
 * does. A change by an excluded resource fires nothing; callouts go out one at a time.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { toAutotaskSignedForm } from './signed-form.ts';
import { invalid, notFound } from './sim-errors.ts';
import { WEBHOOK_FIELDS } from './sim-seed.ts';
import type { SimChange, SimEntityType } from './sim-store.ts';

export interface SimWebhook {
  id: number;
  entityType: SimEntityType;
  isActive: boolean;
  webhookUrl: string;
  deactivationUrl: string;
  name: string;
  secretKey: string;
  webhookGUID: string;
  subscribeCreate: boolean;
  subscribeUpdate: boolean;
  subscribeDelete: boolean;
  fields: Array<{ fieldId: number; subscribed: boolean; displayAlways: boolean }>;
  excludedResourceIds: number[];
  sequence: number;
}

export interface SimDelivery {
  webhookId: number;
  url: string;
  body: Record<string, unknown>;
  signature: string;
  status?: number;
  error?: string;
}

export function signCallout(rawBody: string, secretKey: string): string {
  return `sha1=${createHmac('sha1', secretKey).update(toAutotaskSignedForm(rawBody), 'utf8').digest('base64')}`;
}

export function createSimWebhooks(now: () => Date) {
  const hooks: SimWebhook[] = [];
  const deliveries: SimDelivery[] = [];
  let nextId = 301;
  let chain: Promise<void> = Promise.resolve();

  function payload(hook: SimWebhook, change: SimChange, fieldNames: string[]): Record<string, unknown> {
    hook.sequence += 1;
    const Fields: Record<string, unknown> = {};
    for (const name of fieldNames) Fields[name] = change.record[name] ?? null;
    return {
      Action: change.action,
      Guid: hook.webhookGUID,
      EntityType: change.entityType,
      Id: change.id,
      Fields,
      EventTime: now().toISOString(),
      SequenceNumber: hook.sequence,
      PersonID: change.personId,
    };
  }

  function fieldsFor(hook: SimWebhook, change: SimChange): string[] | null {
    const known = WEBHOOK_FIELDS[hook.entityType];
    const name = (id: number) => known.find((f) => f.id === id)?.field;
    const subscribed = hook.fields.filter((f) => f.subscribed).map((f) => name(f.fieldId));
    const always = hook.fields.filter((f) => f.displayAlways).map((f) => name(f.fieldId));
    const hits = change.changed.filter((f) => subscribed.includes(f));
    if (change.action === 'Update' && hits.length === 0) return null;
    return [...new Set([...hits, ...always])].filter((f): f is string => f !== undefined);
  }

  async function deliver(d: SimDelivery): Promise<void> {
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'X-Hook-Signature': d.signature },
        body: JSON.stringify(d.body),
        signal: AbortSignal.timeout(5_000),
      });
      d.status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      d.error = (err as Error).message;
    }
  }

  return {
    hooks,
    deliveries,
    payload,
    flush: () => chain,
    onChange(change: SimChange) {
      for (const hook of hooks) {
        if (!hook.isActive || hook.entityType !== change.entityType) continue;
        if (hook.excludedResourceIds.includes(change.personId)) continue;
        const wanted = {
          Create: hook.subscribeCreate,
          Update: hook.subscribeUpdate,
          Delete: hook.subscribeDelete,
        }[change.action];
        const fields = wanted ? fieldsFor(hook, change) : null;
        if (!fields) continue;
        const body = payload(hook, change, fields);
        const delivery = {
          webhookId: hook.id,
          url: hook.webhookUrl,
          body,
          signature: signCallout(JSON.stringify(body), hook.secretKey),
        };
        deliveries.push(delivery);
        chain = chain.then(() => deliver(delivery));
      }
    },
    create(entityType: SimEntityType, input: Record<string, unknown>): SimWebhook {
      const get = (name: string) =>
        input[Object.keys(input).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ''];
      const url = String(get('WebhookUrl') ?? '');
      const deactivationUrl = String(get('DeactivationUrl') ?? '');
      if (!/^https?:\/\//.test(url) || url.length > 500)
        throw invalid('WebhookUrl is required (at most 500 characters).');
      if (!/^https?:\/\//.test(deactivationUrl)) throw invalid('DeactivationUrl is required.');
      const name = String(get('Name') ?? '');
      if (!name || name.length > 50) throw invalid('Name is required (at most 50 characters).');
      const secretKey = String(get('SecretKey') ?? '');
      if (!secretKey || secretKey.length > 64)
        throw invalid('SecretKey is required (at most 64 characters).');
      const hook: SimWebhook = {
        id: nextId++,
        entityType,
        isActive: get('IsActive') === true,
        webhookUrl: url,
        deactivationUrl,
        name,
        secretKey,
        webhookGUID: randomUUID(),
        subscribeCreate: get('IsSubscribedToCreateEvents') === true,
        subscribeUpdate: get('IsSubscribedToUpdateEvents') === true,
        subscribeDelete: get('IsSubscribedToDeleteEvents') === true,
        fields: [],
        excludedResourceIds: [],
        sequence: 0,
      };
      hooks.push(hook);
      return hook;
    },
    find(entityType: SimEntityType, id: number): SimWebhook {
      const hook = hooks.find((h) => h.id === id && h.entityType === entityType);
      if (!hook) throw notFound(`Webhook ${id} not found.`);
      return hook;
    },
    remove(entityType: SimEntityType, id: number) {
      const index = hooks.findIndex((h) => h.id === id && h.entityType === entityType);
      if (index < 0) throw notFound(`Webhook ${id} not found.`);
      hooks.splice(index, 1);
    },
    render: (h: SimWebhook) => ({
      id: h.id,
      isActive: h.isActive,
      webhookUrl: h.webhookUrl,
      deactivationUrl: h.deactivationUrl,
      name: h.name,
      webhookGUID: h.webhookGUID,
      isReady: h.fields.length > 0,
      isSubscribedToCreateEvents: h.subscribeCreate,
      isSubscribedToUpdateEvents: h.subscribeUpdate,
      isSubscribedToDeleteEvents: h.subscribeDelete,
      ownerResourceID: 29682885,
      secretKey: null,
    }),
  };
}

export type SimWebhooks = ReturnType<typeof createSimWebhooks>;
