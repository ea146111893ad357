/**
 * The simulator's JSON for transactions, attachments and queues, and the paged envelope every
 * REST2 collection shares (`count`, `total`, `per_page`, `page`, `pages`, `next_page`...).
 */
import type { SimAttachment, SimQueue, SimTransaction } from './sim-model.ts';
import { iso, type RenderContext, subfields, ticketRef, userRef } from './sim-render.ts';

/** RT's attachment collections answer 500 when asked for `Parent` (an RT 5.0.3 bug, kept). */
export class SimServerError extends Error {}

function transactionField(ctx: RenderContext, txn: SimTransaction, field: string): unknown {
  const values: Record<string, unknown> = {
    Type: txn.type,
    Created: iso(txn.created),
    Field: txn.field,
    OldValue: txn.oldValue,
    NewValue: txn.newValue,
    Data: txn.data,
    Description: '',
    TimeTaken: '0',
    ObjectType: 'RT::Ticket',
    ObjectId: String(txn.ticketId),
  };
  if (field === 'Creator') return userRef(ctx, ctx.store.userById(txn.creatorId), 'fields[Creator]');
  if (field === 'Object') return ticketRef(ctx, txn.ticketId);
  return values[field] ?? '';
}

export function transactionItem(ctx: RenderContext, txn: SimTransaction): Record<string, unknown> {
  const item: Record<string, unknown> = {
    type: 'transaction',
    id: String(txn.id),
    _url: `${ctx.base}/transaction/${txn.id}`,
  };
  for (const field of subfields(ctx, 'fields')) item[field] = transactionField(ctx, txn, field);
  return item;
}

export function transactionRecord(ctx: RenderContext, txn: SimTransaction): Record<string, unknown> {
  const record: Record<string, unknown> = { id: txn.id };
  for (const field of ['Type', 'Created', 'Data', 'Object', 'Creator', 'TimeTaken']) {
    record[field] = transactionField(ctx, txn, field);
  }
  const links = ctx.store.attachments
    .filter((a) => a.transactionId === txn.id)
    .map((a) => ({ ref: 'attachment', _url: `${ctx.base}/attachment/${a.id}` }));
  record._hyperlinks = [
    { ref: 'self', type: 'transaction', id: txn.id, _url: `${ctx.base}/transaction/${txn.id}` },
    ...links,
  ];
  return record;
}

export function attachmentItem(ctx: RenderContext, attachment: SimAttachment): Record<string, unknown> {
  const item: Record<string, unknown> = {
    type: 'attachment',
    id: String(attachment.id),
    _url: `${ctx.base}/attachment/${attachment.id}`,
  };
  const values: Record<string, unknown> = {
    TransactionId: String(attachment.transactionId),
    ContentType: attachment.contentType,
    Content: attachment.content,
    Filename: attachment.filename,
    Created: iso(attachment.created),
    Subject: '',
    Headers: '',
  };
  for (const field of subfields(ctx, 'fields')) {
    if (field === 'Parent') throw new SimServerError('Can\'t call method "can" on an undefined value');
    item[field] =
      field === 'Creator'
        ? userRef(ctx, ctx.store.userById(attachment.creatorId), 'fields[Creator]')
        : (values[field] ?? '');
  }
  return item;
}

export function queueRecord(ctx: RenderContext, queue: SimQueue): Record<string, unknown> {
  const url = `${ctx.base}/queue/${queue.id}`;
  return {
    id: queue.id,
    Name: queue.name,
    Description: queue.description,
    Created: iso(queue.created),
    LastUpdated: iso(queue.created),
    Creator: userRef(ctx, ctx.store.userById(1), 'fields[Creator]'),
    LastUpdatedBy: userRef(ctx, ctx.store.userById(1), 'fields[LastUpdatedBy]'),
    Lifecycle: 'default',
    Disabled: '0',
    SortOrder: '0',
    SLADisabled: '1',
    CorrespondAddress: '',
    CommentAddress: '',
    Cc: [],
    AdminCc: [],
    CustomFields: [],
    TicketTransactionCustomFields: [],
    TicketCustomFields: queue.customFieldIds.map((id) => ({
      ref: 'customfield',
      type: 'customfield',
      id: String(id),
      name: ctx.store.customFields.find((cf) => cf.id === id)?.name ?? '',
      _url: `${ctx.base}/customfield/${id}`,
    })),
    _hyperlinks: [
      { ref: 'self', type: 'queue', id: queue.id, _url: url },
      { ref: 'history', _url: `${url}/history` },
    ],
  };
}

/** RT's `per_page` (default 20, at most 100) and `page` (default 1) rules. */
function pageParams(params: URLSearchParams): { perPage: number; page: number } {
  const rawPer = params.get('per_page') ?? '';
  const per = /^\d+$/.test(rawPer) && Number(rawPer) > 0 ? Math.min(Number(rawPer), 100) : 20;
  const rawPage = params.get('page') ?? '';
  return { perPage: per, page: /^\d+$/.test(rawPage) && Number(rawPage) > 0 ? Number(rawPage) : 1 };
}

/** The paged envelope, with `next_page`/`prev_page` built from the request like RT's. */
export function collection<T>(
  ctx: RenderContext,
  requestUrl: URL,
  all: T[],
  render: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const { perPage, page } = pageParams(ctx.params);
  const items = all.slice((page - 1) * perPage, page * perPage).map(render);
  const pages = Math.ceil(all.length / perPage);
  const result: Record<string, unknown> = {
    count: items.length,
    total: all.length,
    per_page: perPage,
    page,
    pages,
    items,
  };
  const link = (to: number) => {
    const url = new URL(requestUrl.toString());
    url.searchParams.delete('page');
    url.searchParams.append('page', String(to));
    return `${ctx.base.replace(/\/REST\/2\.0$/, '')}${url.pathname}${url.search}`;
  };
  if (pages > 0 && page < pages) result.next_page = link(page + 1);
  if (pages > 0 && page > 1) result.prev_page = link(page > pages ? pages : page - 1);
  return result;
}
