/**
 * The simulator's JSON, shaped like RT 5.0.3 REST2 answers (compare `fixtures/`): string ids
 * in collections and refs but numeric ids on single records, numbers as strings, unset dates
 * as the epoch, `fields=` and `fields[Owner]=` expansions, and paged envelopes with links.
 */
import type { SimQueue, SimTicket, SimUser } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';

export interface RenderContext {
  /** `http://127.0.0.1:PORT/REST/2.0` */
  base: string;
  store: SimStore;
  params: URLSearchParams;
}

export const EPOCH = '1970-01-01T00:00:00Z';
export const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function subfields(ctx: RenderContext, param: string): string[] {
  return (ctx.params.get(param) ?? '').split(',').filter((f) => f !== '');
}

export function userRef(
  ctx: RenderContext,
  user: SimUser | undefined,
  param: string,
): Record<string, unknown> {
  const name = user?.name ?? 'Nobody';
  const ref: Record<string, unknown> = { type: 'user', id: name, _url: `${ctx.base}/user/${name}` };
  const values: Record<string, unknown> = {
    Name: name,
    EmailAddress: user?.email ?? '',
    RealName: user?.realName ?? '',
    id: name,
  };
  for (const field of subfields(ctx, param)) ref[field] = values[field] ?? '';
  return ref;
}

export function queueRef(
  ctx: RenderContext,
  queue: SimQueue | undefined,
  param: string,
): Record<string, unknown> {
  const ref: Record<string, unknown> = {
    type: 'queue',
    id: String(queue?.id ?? 0),
    _url: `${ctx.base}/queue/${queue?.id}`,
  };
  for (const field of subfields(ctx, param)) ref[field] = field === 'Name' ? (queue?.name ?? '') : '';
  return ref;
}

export const ticketRef = (ctx: RenderContext, id: number) => ({
  type: 'ticket',
  id: String(id),
  _url: `${ctx.base}/ticket/${id}`,
});

function customFieldsOf(ctx: RenderContext, ticket: SimTicket): unknown[] {
  const queue = ctx.store.queues.find((q) => q.id === ticket.queueId);
  return (queue?.customFieldIds ?? []).map((id) => ({
    type: 'customfield',
    id: String(id),
    _url: `${ctx.base}/customfield/${id}`,
    name: ctx.store.customFields.find((cf) => cf.id === id)?.name ?? '',
    values: [...(ticket.customFields.get(id) ?? [])],
  }));
}

/** One ticket field as `fields=...` expands it; unknown fields are '' like RT's. */
export function ticketField(ctx: RenderContext, ticket: SimTicket, field: string): unknown {
  const user = (id: number) => ctx.store.userById(id);
  switch (field) {
    case 'Subject':
      return ticket.subject;
    case 'Status':
      return ticket.status;
    case 'Priority':
      return String(ticket.priority);
    case 'InitialPriority':
    case 'FinalPriority':
    case 'TimeLeft':
    case 'TimeWorked':
    case 'TimeEstimated':
      return '0';
    case 'Created':
      return iso(ticket.created);
    case 'LastUpdated':
      return iso(ticket.lastUpdated);
    case 'Started':
      return ticket.started ? iso(ticket.started) : EPOCH;
    case 'Resolved':
      return ticket.resolved ? iso(ticket.resolved) : EPOCH;
    case 'Told':
      return ticket.told ? iso(ticket.told) : undefined;
    case 'Due':
    case 'Starts':
      return EPOCH;
    case 'Owner':
    case 'Creator':
    case 'LastUpdatedBy': {
      const id =
        field === 'Owner' ? ticket.ownerId : field === 'Creator' ? ticket.creatorId : ticket.lastUpdatedById;
      return userRef(ctx, user(id), `fields[${field}]`);
    }
    case 'Queue':
      return queueRef(
        ctx,
        ctx.store.queues.find((q) => q.id === ticket.queueId),
        'fields[Queue]',
      );
    case 'Requestor':
      return ticket.requestorIds.map((id) => userRef(ctx, user(id), 'fields[Requestor]'));
    case 'Cc':
    case 'AdminCc':
      return [];
    case 'CustomFields':
      return customFieldsOf(ctx, ticket);
    case 'EffectiveId':
      return ticketRef(ctx, ticket.id);
    case 'Type':
      return 'ticket';
    default:
      return '';
  }
}

export function ticketItem(ctx: RenderContext, ticket: SimTicket): Record<string, unknown> {
  const item: Record<string, unknown> = ticketRef(ctx, ticket.id);
  for (const field of subfields(ctx, 'fields')) item[field] = ticketField(ctx, ticket, field) ?? '';
  return item;
}

const FULL_TICKET_FIELDS = [
  'Subject',
  'Status',
  'Priority',
  'InitialPriority',
  'FinalPriority',
  'Owner',
  'Creator',
  'LastUpdatedBy',
  'Queue',
  'Requestor',
  'Cc',
  'AdminCc',
  'Created',
  'LastUpdated',
  'Resolved',
  'Due',
  'Starts',
  'Started',
  'TimeLeft',
  'TimeWorked',
  'TimeEstimated',
  'Type',
  'EffectiveId',
  'CustomFields',
  'Told',
];

/** `GET /ticket/:id`: every field, a numeric id, and hypermedia links. */
export function ticketRecord(ctx: RenderContext, ticket: SimTicket): Record<string, unknown> {
  const record: Record<string, unknown> = { id: ticket.id };
  for (const field of FULL_TICKET_FIELDS) {
    const value = ticketField(ctx, ticket, field);
    if (value !== undefined) record[field] = value;
  }
  const url = `${ctx.base}/ticket/${ticket.id}`;
  record._hyperlinks = [
    { ref: 'self', type: 'ticket', id: ticket.id, _url: url },
    { ref: 'history', _url: `${url}/history` },
    { ref: 'correspond', _url: `${url}/correspond` },
    { ref: 'comment', _url: `${url}/comment` },
  ];
  return record;
}
