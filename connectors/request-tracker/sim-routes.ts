/**
 * The simulator's REST2 routes: the same paths, status codes and bodies as RT 5.0.3 for what
 * the connector (and a person poking with curl) uses. Paths are relative to `/REST/2.0`.
 */
import type { SimUser } from './sim-model.ts';
import { SIM_VERSION } from './sim-model.ts';
import { type RenderContext, ticketItem, ticketRecord } from './sim-render.ts';
import {
  attachmentItem,
  collection,
  queueRecord,
  transactionItem,
  transactionRecord,
} from './sim-render-records.ts';
import { searchTickets } from './sim-search.ts';
import type { SimCreateInput } from './sim-writes.ts';

export interface SimRequest {
  method: string;
  /** Path below /REST/2.0, e.g. `/ticket/7/history`. */
  path: string;
  url: URL;
  body: unknown;
  actor: SimUser;
  ctx: RenderContext;
  /** The RT-wide $Timezone, used when the actor has no preference of their own. */
  timeZone: string;
}

export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Which endpoint a write hit (`POST /ticket/:id/comment`), for the write counters. */
  write?: string;
  /** A `/tickets` page: the `onNextPageServed` hook runs after it is computed. */
  listPage?: boolean;
}

const notFound: SimResponse = { status: 404, body: { message: 'Not Found' } };
const asObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

function orderOf(params: URLSearchParams): Array<{ field: string; desc: boolean }> {
  const orders = params.getAll('order');
  return params.getAll('orderby').map((field, i) => ({ field, desc: orders[i]?.toUpperCase() === 'DESC' }));
}

export function route(req: SimRequest): SimResponse {
  const { method, path, ctx, actor } = req;
  const store = ctx.store;
  const parts = path.split('/').filter((p) => p !== '');
  const [resource, rawId, sub] = parts;
  const id = Number(rawId);

  if (method === 'GET' && parts.length === 1 && resource === 'rt') {
    return {
      status: 200,
      body: actor.superUser ? { Version: SIM_VERSION, Plugins: [] } : { Version: SIM_VERSION },
    };
  }
  if (method === 'GET' && parts.length === 1 && resource === 'tickets') {
    const zone = actor.timeZone ?? req.timeZone;
    const found = searchTickets(store, ctx.params.get('query') ?? '', zone, orderOf(ctx.params));
    return { status: 200, body: collection(ctx, req.url, found, (t) => ticketItem(ctx, t)), listPage: true };
  }
  if (method === 'POST' && parts.length === 1 && resource === 'ticket') {
    const result = store.createTicket(actor, asObject(req.body) as SimCreateInput);
    if (!result.ok)
      return { status: result.status, body: { message: result.message }, write: 'POST /ticket' };
    const url = `${ctx.base}/ticket/${result.id}`;
    return {
      status: 201,
      body: { type: 'ticket', id: String(result.id), _url: url },
      headers: { location: `/REST/2.0/ticket/${result.id}` },
      write: 'POST /ticket',
    };
  }
  if (method === 'POST' && parts.length === 1 && resource === 'users') {
    const found = searchUsers(store.users, req.body);
    if (found === null)
      return { status: 400, body: { message: 'JSON search must be an array of { field, value }' } };
    return { status: 200, body: collection(ctx, req.url, found, (u) => userItem(ctx, u)) };
  }
  if (resource === 'ticket' && /^\d+$/.test(rawId ?? '')) {
    return ticketRoutes(req, id, sub, parts.length);
  }
  if (resource === 'transaction' && /^\d+$/.test(rawId ?? '') && method === 'GET') {
    const txn = store.transactions.find((t) => t.id === id);
    if (parts.length === 2) return txn ? { status: 200, body: transactionRecord(ctx, txn) } : notFound;
    if (parts.length === 3 && sub === 'attachments') {
      const list = store.attachments.filter((a) => a.transactionId === id);
      return { status: 200, body: collection(ctx, req.url, list, (a) => attachmentItem(ctx, a)) };
    }
  }
  if (resource === 'queue' && parts.length === 2 && method === 'GET') {
    const queue = store.findQueue(decodeURIComponent(rawId ?? ''));
    if (queue) return { status: 200, body: queueRecord(ctx, queue) };
    return actor.superUser ? notFound : { status: 403, body: { message: 'Forbidden' } };
  }
  return notFound;
}

/** RT's JSON search over users (`[{ field, operator, value }]`, all terms ANDed); `=` ignores case. */
function searchUsers(users: SimUser[], body: unknown): SimUser[] | null {
  if (!Array.isArray(body)) return null;
  const fields: Record<string, (u: SimUser) => string> = {
    EmailAddress: (u) => u.email,
    Name: (u) => u.name,
    RealName: (u) => u.realName,
  };
  return users.filter((u) =>
    body.every((term: { field?: unknown; operator?: unknown; value?: unknown }) => {
      const read = fields[String(term?.field)];
      const value = String(term?.value ?? '').toLowerCase();
      const actual = read ? read(u).toLowerCase() : '';
      return term?.operator === 'LIKE' ? actual.includes(value) : actual === value;
    }),
  );
}

function userItem(ctx: RenderContext, user: SimUser): Record<string, unknown> {
  const item: Record<string, unknown> = {
    type: 'user',
    id: String(user.id),
    _url: `${ctx.base}/user/${user.id}`,
  };
  const values: Record<string, string> = {
    Name: user.name,
    EmailAddress: user.email,
    RealName: user.realName,
  };
  for (const field of (ctx.params.get('fields') ?? '').split(',').filter(Boolean))
    item[field] = values[field] ?? '';
  return item;
}

function ticketRoutes(req: SimRequest, id: number, sub: string | undefined, depth: number): SimResponse {
  const { method, ctx, actor } = req;
  const store = ctx.store;
  const ticket = store.tickets.get(id);
  if (depth === 2 && method === 'GET')
    return ticket ? { status: 200, body: ticketRecord(ctx, ticket) } : notFound;
  if (depth === 2 && method === 'PUT') {
    const result = store.updateTicket(actor, id, asObject(req.body));
    const write = 'PUT /ticket/:id';
    return result.ok
      ? { status: 200, body: result.messages, write }
      : { status: result.status, body: { message: result.message }, write };
  }
  if (depth === 3 && method === 'POST' && (sub === 'correspond' || sub === 'comment')) {
    const body = asObject(req.body);
    const write = `POST /ticket/:id/${sub}`;
    const contentType = typeof body.ContentType === 'string' ? body.ContentType : 'text/plain';
    const result = store.addMessage(actor, id, sub, String(body.Content ?? ''), contentType);
    if (!result.ok) return { status: result.status, body: { message: result.message }, write };
    return {
      status: 201,
      body: [sub === 'correspond' ? 'Correspondence added' : 'Comments added'],
      headers: { location: `/REST/2.0/transaction/${result.transactionId}` },
      write,
    };
  }
  // History and attachments of a ticket that does not exist are empty collections, as in RT.
  if (depth === 3 && method === 'GET' && sub === 'history') {
    const list = store.transactions.filter((t) => t.ticketId === id);
    return { status: 200, body: collection(ctx, req.url, list, (t) => transactionItem(ctx, t)) };
  }
  if (depth === 3 && method === 'GET' && sub === 'attachments') {
    const txnIds = new Set(store.transactions.filter((t) => t.ticketId === id).map((t) => t.id));
    const list = store.attachments.filter((a) => txnIds.has(a.transactionId));
    return { status: 200, body: collection(ctx, req.url, list, (a) => attachmentItem(ctx, a)) };
  }
  return notFound;
}
