/**
 * The simulator's `/v1.0/...` routes. Bodies are translated into store calls; answers are
 * Autotask JSON: `{item}` by id, `{items, pageDetails}` from queries, `{itemId}` from writes.
 */
import { badRequest, invalid, SimAtError } from './sim-errors.ts';
import type { SimRecord } from './sim-filter.ts';
import type { SimLimits } from './sim-limits.ts';
import { fieldsInfo } from './sim-metadata.ts';
import { countQuery, parseQuery, queryPage } from './sim-query.ts';
import { COMPANIES, CONTACTS } from './sim-seed.ts';
import type { SimEntityType, SimStore, TicketFields } from './sim-store.ts';
import type { SimWebhooks } from './sim-webhooks.ts';

type Json = Record<string, unknown>;

export interface SimEnv {
  store: SimStore;
  webhooks: SimWebhooks;
  limits: SimLimits;
  /** Runs the `onNextPageServed` hooks once a Tickets query page is computed. */
  afterTicketPage: () => Promise<void>;
}

export interface SimRequest {
  method: string;
  params: string[];
  url: URL;
  body: unknown;
  /** Absolute URL of `.../v1.0/{Entity}/query` as the client spelled the entity. */
  queryUrl: (entity: string) => string;
  /** The resource the change is attributed to (the API user, or ImpersonationResourceId). */
  personId: number;
}

export interface SimResponse {
  status?: number;
  body?: unknown;
}

export interface SimRoute {
  method: string;
  pattern: RegExp;
  /** Write-counter key, e.g. `POST /Tickets`. */
  key: string;
  handle(req: SimRequest, env: SimEnv): SimResponse | Promise<SimResponse>;
}

const r = (method: string, path: string, key: string, handle: SimRoute['handle']): SimRoute => ({
  method,
  pattern: new RegExp(`^${path}/?$`, 'i'),
  key,
  handle,
});

function asObject(body: unknown): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('The request body must be a JSON object.');
  return body as Json;
}

/** Case-insensitive field access: Autotask does not care how a client cases field names. */
function lower(body: Json): Json {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k.toLowerCase(), v]));
}

function ticketFields(body: Json): TicketFields & { title?: string } {
  const b = lower(body);
  const out: Record<string, unknown> = {};
  const names = [
    'title',
    'description',
    'status',
    'priority',
    'queueID',
    'issueType',
    'companyID',
    'contactID',
    'assignedResourceID',
    'assignedResourceRoleID',
    'externalID',
  ];
  for (const name of names) if (b[name.toLowerCase()] !== undefined) out[name] = b[name.toLowerCase()];
  const udfs = b['userdefinedfields'];
  if (Array.isArray(udfs))
    out['udfs'] = Object.fromEntries(
      udfs.map((u: Json) => [String(u['name']), u['value'] === null ? null : String(u['value'])]),
    );
  return out as TicketFields;
}

function collection(entity: string, env: SimEnv): readonly SimRecord[] {
  const { store, webhooks } = env;
  const hooks = (type: SimEntityType) =>
    webhooks.hooks.filter((h) => h.entityType === type).map(webhooks.render);
  const sources: Record<string, () => readonly SimRecord[]> = {
    tickets: () => store.ticketRows(),
    // Shared rows: the query copies the records it answers with.
    ticketnotes: () => store.noteRows() as unknown as readonly SimRecord[],
    resources: () => store.resources.map((x) => ({ ...x })),
    resourceservicedeskroles: () => store.roles.map((x) => ({ ...x })),
    contacts: () => CONTACTS.map((x) => ({ ...x })),
    companies: () => COMPANIES.map((x) => ({ ...x })),
    ticketwebhooks: () => hooks('Ticket'),
    ticketnotewebhooks: () => hooks('TicketNote'),
  };
  const source = sources[entity.toLowerCase()];
  if (!source) throw new SimAtError(404, [`The entity ${entity} does not support queries.`]);
  return source();
}

/**
 * The notes a query can match when it has a top-level `ticketID` eq/in condition, found through
 * the store's index the way a database would use one; the full filter is still applied.
 */
function noteCandidates(env: SimEnv, body: unknown, url: URL): readonly SimRecord[] | null {
  let filter: unknown[];
  try {
    filter = parseQuery(body, url).filter;
  } catch {
    return null; // the query itself reports the error
  }
  for (const item of filter) {
    if (typeof item !== 'object' || item === null) continue;
    const { op, field, value } = item as { op?: unknown; field?: unknown; value?: unknown };
    if (typeof field !== 'string' || field.toLowerCase() !== 'ticketid') continue;
    const ids = op === 'eq' ? [value] : op === 'in' && Array.isArray(value) ? value : null;
    if (!ids) continue;
    const index = env.store.notesByTicket();
    const found = [...new Set(ids.map(Number))].flatMap((id) => index.get(id) ?? []);
    return found.sort((a, b) => a.id - b.id) as unknown as SimRecord[];
  }
  return null;
}

const webhookType = (name: string): SimEntityType =>
  name.toLowerCase() === 'ticketnote' ? 'TicketNote' : 'Ticket';

export const simRoutes: SimRoute[] = [
  r('GET', '/ThresholdInformation', 'GET /ThresholdInformation', (_req, env) => ({
    body: env.limits.info(),
  })),
  r('GET', '/(\\w+)/entityInformation/fields', 'GET /{Entity}/entityInformation/fields', (req) => ({
    body: fieldsInfo(req.params[0]!),
  })),
  r('POST', '/(\\w+)/query/count', 'POST /{Entity}/query/count', (req, env) => ({
    body: countQuery(collection(req.params[0]!, env), req.body, req.url),
  })),
  ...(['POST', 'GET'] as const).map((method) =>
    r(method, '/(\\w+)/query(?:/next)?', `${method} /{Entity}/query`, async (req, env) => {
      const entity = req.params[0]!;
      const candidates =
        entity.toLowerCase() === 'ticketnotes' ? noteCandidates(env, req.body, req.url) : null;
      const records = candidates ?? collection(entity, env);
      const page = queryPage(records, req.body, req.url, req.queryUrl(entity));
      if (entity.toLowerCase() === 'tickets') await env.afterTicketPage();
      return { body: page };
    }),
  ),
  r('GET', '/Tickets/(\\d+)', 'GET /Tickets/{id}', (req, env) => {
    const ticket = env.store.tickets.get(Number(req.params[0]));
    return { body: { item: ticket ? env.store.renderTicket(ticket) : null } };
  }),
  r('POST', '/Tickets', 'POST /Tickets', (req, env) => {
    const fields = ticketFields(asObject(req.body));
    if (fields.title === undefined) throw invalid('Value does not exist for the required field title.');
    return { body: { itemId: env.store.createTicket({ ...fields, title: fields.title }, req.personId).id } };
  }),
  r('PATCH', '/Tickets', 'PATCH /Tickets', (req, env) => {
    const body = asObject(req.body);
    const id = Number(lower(body)['id']);
    if (!Number.isInteger(id) || !env.store.tickets.has(id))
      throw invalid(`Ticket with id ${String(lower(body)['id'])} does not exist.`);
    return { body: { itemId: env.store.updateTicket(id, ticketFields(body), req.personId).id } };
  }),
  r('GET', '/Tickets/(\\d+)/Notes', 'GET /Tickets/{id}/Notes', (req, env) => {
    const ticketId = Number(req.params[0]);
    env.store.requireTicket(ticketId);
    const filter = [{ op: 'eq', field: 'ticketID', value: ticketId }];
    return {
      body: queryPage(collection('TicketNotes', env), { filter }, req.url, req.queryUrl('TicketNotes')),
    };
  }),
  r('GET', '/Tickets/(\\d+)/Notes/(\\d+)', 'GET /Tickets/{id}/Notes/{id}', (req, env) => {
    const note = env.store.notes.get(Number(req.params[1]));
    return { body: { item: note && note.ticketID === Number(req.params[0]) ? { ...note } : null } };
  }),
  r('POST', '/Tickets/(\\d+)/Notes', 'POST /Tickets/{id}/Notes', (req, env) => {
    const b = lower(asObject(req.body));
    const ticketId = Number(req.params[0]);
    if (b['ticketid'] !== undefined && Number(b['ticketid']) !== ticketId)
      throw invalid('ticketID does not match the parent ticket.');
    if (!env.store.tickets.has(ticketId)) throw invalid(`Ticket with id ${ticketId} does not exist.`);
    const note = env.store.addNote(
      ticketId,
      {
        title: String(b['title'] ?? ''),
        description: String(b['description'] ?? ''),
        noteType: Number(b['notetype'] ?? 1),
        publish: Number(b['publish']),
      },
      req.personId,
    );
    return { body: { itemId: note.id } };
  }),
  r('GET', '/Companies/(\\d+)', 'GET /Companies/{id}', (req) => ({
    body: { item: COMPANIES.find((c) => c.id === Number(req.params[0])) ?? null },
  })),
  r('POST', '/(Ticket|TicketNote)Webhooks', 'POST /{Entity}Webhooks', (req, env) => ({
    body: { itemId: env.webhooks.create(webhookType(req.params[0]!), asObject(req.body)).id },
  })),
  r('PATCH', '/(Ticket|TicketNote)Webhooks', 'PATCH /{Entity}Webhooks', (req, env) => {
    const b = lower(asObject(req.body));
    const hook = env.webhooks.find(webhookType(req.params[0]!), Number(b['id']));
    if (typeof b['isactive'] === 'boolean') hook.isActive = b['isactive'];
    if (typeof b['webhookurl'] === 'string') hook.webhookUrl = b['webhookurl'];
    return { body: { itemId: hook.id } };
  }),
  r('GET', '/(Ticket|TicketNote)Webhooks/(\\d+)', 'GET /{Entity}Webhooks/{id}', (req, env) => {
    const hook = env.webhooks.hooks.find(
      (h) => h.id === Number(req.params[1]) && h.entityType === webhookType(req.params[0]!),
    );
    return { body: { item: hook ? env.webhooks.render(hook) : null } };
  }),
  r('DELETE', '/(Ticket|TicketNote)Webhooks/(\\d+)', 'DELETE /{Entity}Webhooks/{id}', (req, env) => {
    env.webhooks.remove(webhookType(req.params[0]!), Number(req.params[1]));
    return { body: { itemId: Number(req.params[1]) } };
  }),
  r(
    'POST',
    '/(Ticket|TicketNote)Webhooks/(\\d+)/Fields',
    'POST /{Entity}Webhooks/{id}/Fields',
    (req, env) => {
      const hook = env.webhooks.find(webhookType(req.params[0]!), Number(req.params[1]));
      const b = lower(asObject(req.body));
      const fieldId = Number(b['fieldid']);
      if (
        !fieldsInfo(`${hook.entityType}WebhookFields`).fields[0]?.picklistValues.some(
          (v) => Number(v.value) === fieldId,
        )
      ) {
        throw invalid(`FieldID ${String(b['fieldid'])} is not a webhook field of ${hook.entityType}.`);
      }
      hook.fields.push({
        fieldId,
        subscribed: b['issubscribedfield'] === true,
        displayAlways: b['isdisplayalwaysfield'] === true,
      });
      return { body: { itemId: hook.id * 1000 + hook.fields.length } };
    },
  ),
  r(
    'POST',
    '/(Ticket|TicketNote)Webhooks/(\\d+)/ExcludedResources',
    'POST /{Entity}Webhooks/{id}/ExcludedResources',
    (req, env) => {
      const hook = env.webhooks.find(webhookType(req.params[0]!), Number(req.params[1]));
      const resourceId = Number(lower(asObject(req.body))['resourceid']);
      if (!env.store.resourceById(resourceId)) throw invalid(`Resource ${resourceId} does not exist.`);
      hook.excludedResourceIds.push(resourceId);
      return { body: { itemId: hook.id * 1000 + 500 + hook.excludedResourceIds.length } };
    },
  ),
];
