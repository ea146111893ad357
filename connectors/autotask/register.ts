/**
 * `webhook.register`: make sure Autotask calls the hub for ticket and ticket-note changes.
 * A webhook is created inactive, given its fields and the integration's own resource as an
 * excluded resource (so the hub's writes do not come back as callouts), then activated. An
 * inactive leftover (a half-finished registration, or one Autotask deactivated) is replaced.
 */
import { type ConnectorContext, ConnectorError } from '../../src/connector-kit/index.ts';
import { AtResource, AtWebhook } from './api-types.ts';
import { createEntity, getFieldsInfo, patchEntity, queryAll } from './client.ts';
import type { AutotaskConfig } from './config.ts';
import { eq } from './filter.ts';
import { type AtApi, withApi } from './session.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

interface WebhookSpec {
  entity: 'TicketWebhooks' | 'TicketNoteWebhooks';
  fieldsEntity: string;
  /** Field labels whose change fires a callout. */
  subscribed: string[];
  /** Field labels every callout carries. */
  displayAlways: string[];
  deletes: boolean;
}

const SPECS: WebhookSpec[] = [
  {
    entity: 'TicketWebhooks',
    fieldsEntity: 'TicketWebhookFields',
    subscribed: ['Title', 'Status', 'Priority', 'Assigned Resource', 'Queue', 'Company'],
    displayAlways: ['Company'],
    deletes: true,
  },
  {
    entity: 'TicketNoteWebhooks',
    fieldsEntity: 'TicketNoteWebhookFields',
    subscribed: ['Description', 'Publish'],
    displayAlways: ['Ticket'],
    deletes: false,
  },
];

/** Resources whose changes must not fire: the API user's own (and the impersonated one). */
async function ownResourceIds(ctx: Ctx, api: AtApi): Promise<number[]> {
  const filter = [eq('userName', ctx.config.username)];
  const own = await queryAll(api, 'Resources', { MaxRecords: 5, filter }, AtResource);
  const ids = new Set(own.map((r) => r.id));
  if (ctx.config.impersonationResourceId !== undefined) ids.add(ctx.config.impersonationResourceId);
  return [...ids];
}

async function ensureWebhook(ctx: Ctx, api: AtApi, spec: WebhookSpec, url: string, excluded: number[]) {
  const existing = await queryAll(
    api,
    spec.entity,
    { MaxRecords: 50, filter: [eq('webhookUrl', url)] },
    AtWebhook,
  );
  if (existing.some((w) => w.isActive === true)) return;
  // https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/Webhooks/REST_WebhooksEntity.htm
  for (const stale of existing) await api.http.delete(`/${spec.entity}/${stale.id}`);
  const id = await createEntity(api, `/${spec.entity}`, {
    IsActive: false,
    WebhookUrl: url,
    DeactivationUrl: url,
    Name: 'co-managed ticket hub',
    SecretKey: ctx.config.webhookSecretKey,
    IsSubscribedToCreateEvents: true,
    IsSubscribedToUpdateEvents: true,
    IsSubscribedToDeleteEvents: spec.deletes,
    SendThresholdExceededNotification: true,
  });
  // https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/Webhooks/REST_WebhookFieldsEntity.htm
  const info = await getFieldsInfo(api, spec.fieldsEntity);
  const picklist = info.fields.find((f) => f.name.toLowerCase() === 'fieldid')?.picklistValues ?? [];
  const fieldId = (label: string) =>
    picklist.find((v) => v.label.toLowerCase() === label.toLowerCase())?.value;
  const labels = new Set([...spec.subscribed, ...spec.displayAlways]);
  for (const label of labels) {
    const value = fieldId(label);
    if (value === undefined) {
      ctx.log.warn(
        { connectionId: ctx.connectionId, entity: spec.entity, label },
        'Autotask webhook field not offered',
      );
      continue;
    }
    await createEntity(api, `/${spec.entity}/${id}/Fields`, {
      FieldID: Number(value),
      IsSubscribedField: spec.subscribed.includes(label),
      IsDisplayAlwaysField: spec.displayAlways.includes(label),
    });
  }
  for (const resourceId of excluded) {
    await createEntity(api, `/${spec.entity}/${id}/ExcludedResources`, { ResourceID: resourceId });
  }
  await patchEntity(api, `/${spec.entity}`, { id, IsActive: true });
}

export async function registerWebhooks(ctx: Ctx, url: string): Promise<void> {
  if (!ctx.config.webhookSecretKey) {
    throw new ConnectorError('bad_request', 'set webhookSecretKey before registering Autotask webhooks');
  }
  await withApi(ctx, async (api) => {
    const excluded = await ownResourceIds(ctx, api);
    for (const spec of SPECS) await ensureWebhook(ctx, api, spec, url, excluded);
  });
}
