/**
 * Tenant lookups, cached per connector context (i.e. per connection): the ticket picklists
 * (status, priority and queue values are tenant-specific and read from entity metadata, matched by
 * label), resources (for assignee emails) and each resource's default service desk role (Autotask
 * assigns a resource *with* a role). A label missing from the cache triggers one refresh, so a
 * status added in Autotask after start-up is still found.
 */
import { type ConnectorContext, ConnectorError } from '../../src/connector-kit/index.ts';
import { AtContact, AtResource, AtResourceServiceDeskRole } from './api-types.ts';
import { getFieldsInfo, queryAll } from './client.ts';
import type { AutotaskConfig } from './config.ts';
import { and, eq } from './filter.ts';
import type { AtApi } from './session.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

export interface Picklist {
  byValue: ReadonlyMap<number, string>;
  /** Lower-cased label -> value; active values win over inactive ones with the same label. */
  byLabel: ReadonlyMap<string, number>;
}

export interface TicketPicklists {
  status: Picklist;
  priority: Picklist;
  queueID: Picklist;
  issueType: Picklist;
}

interface Lookups {
  picklists?: Promise<TicketPicklists>;
  resources?: Promise<ReadonlyMap<number, AtResource>>;
  roles: Map<number, Promise<number>>;
}

const caches = new WeakMap<Ctx, Lookups>();

function lookupsOf(ctx: Ctx): Lookups {
  let lookups = caches.get(ctx);
  if (!lookups) {
    lookups = { roles: new Map() };
    caches.set(ctx, lookups);
  }
  return lookups;
}

/** Memoise a load; a failed one is forgotten so the next call retries. */
function remember<T>(
  get: () => Promise<T> | undefined,
  set: (p: Promise<T> | undefined) => void,
  load: () => Promise<T>,
) {
  const existing = get();
  if (existing) return existing;
  const promise = load();
  set(promise);
  promise.catch(() => {
    if (get() === promise) set(undefined);
  });
  return promise;
}

function toPicklist(values: Array<{ value: string; label: string; isActive?: boolean }>): Picklist {
  const byValue = new Map<number, string>();
  const byLabel = new Map<string, number>();
  const ordered = [...values].sort((a, b) => Number(b.isActive !== false) - Number(a.isActive !== false));
  for (const v of ordered) {
    const value = Number(v.value);
    if (!Number.isInteger(value)) continue;
    byValue.set(value, v.label);
    if (!byLabel.has(v.label.toLowerCase())) byLabel.set(v.label.toLowerCase(), value);
  }
  return { byValue, byLabel };
}

export function ticketPicklists(ctx: Ctx, api: AtApi, fresh = false): Promise<TicketPicklists> {
  const l = lookupsOf(ctx);
  if (fresh) l.picklists = undefined;
  return remember(
    () => l.picklists,
    (p) => {
      l.picklists = p;
    },
    async () => {
      const info = await getFieldsInfo(api, 'Tickets');
      const of = (name: string) =>
        toPicklist(
          info.fields.find((f) => f.name.toLowerCase() === name.toLowerCase())?.picklistValues ?? [],
        );
      return {
        status: of('status'),
        priority: of('priority'),
        queueID: of('queueID'),
        issueType: of('issueType'),
      };
    },
  );
}

/** The picklist value for `label`, refreshing the picklists once when it is not known. */
export async function resolvePicklistValue(
  ctx: Ctx,
  api: AtApi,
  field: keyof TicketPicklists,
  label: string,
): Promise<number> {
  const wanted = label.toLowerCase();
  const value = (await ticketPicklists(ctx, api))[field].byLabel.get(wanted);
  if (value !== undefined) return value;
  const refreshed = (await ticketPicklists(ctx, api, true))[field].byLabel.get(wanted);
  if (refreshed === undefined) {
    throw new ConnectorError('bad_request', `Autotask has no ticket ${field} labelled "${label}"`);
  }
  return refreshed;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/ResourcesEntity.htm
export function loadResources(ctx: Ctx, api: AtApi, fresh = false): Promise<ReadonlyMap<number, AtResource>> {
  const l = lookupsOf(ctx);
  if (fresh) l.resources = undefined;
  return remember(
    () => l.resources,
    (p) => {
      l.resources = p;
    },
    async () => {
      const body = { MaxRecords: 500, filter: [{ op: 'gte' as const, field: 'id', value: 0 }] };
      return new Map((await queryAll(api, 'Resources', body, AtResource)).map((r) => [r.id, r]));
    },
  );
}

/** The resource's default (else first active) service desk role: required with an assignee. */
// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/ResourceServiceDeskRolesEntity.htm
export function defaultRoleOf(ctx: Ctx, api: AtApi, resourceId: number): Promise<number> {
  const l = lookupsOf(ctx);
  return remember(
    () => l.roles.get(resourceId),
    (p) => (p ? l.roles.set(resourceId, p) : l.roles.delete(resourceId)),
    async () => {
      const filter = [and(eq('resourceID', resourceId), eq('isActive', true))];
      const roles = await queryAll(
        api,
        'ResourceServiceDeskRoles',
        { MaxRecords: 50, filter },
        AtResourceServiceDeskRole,
      );
      const role = roles.find((r) => r.isDefault === true) ?? roles[0];
      if (!role) {
        throw new ConnectorError(
          'bad_request',
          `Autotask resource ${resourceId} has no active service desk role`,
        );
      }
      return role.roleID;
    },
  );
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/ContactsEntity.htm
export async function findContactId(api: AtApi, companyId: number, email: string): Promise<number | null> {
  const filter = [and(eq('companyID', companyId), eq('emailAddress', email), eq('isActive', 1))];
  const contacts = await queryAll(api, 'Contacts', { MaxRecords: 1, filter }, AtContact);
  return contacts[0]?.id ?? null;
}
