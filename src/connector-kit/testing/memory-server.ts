/**
 * The memory vendor's HTTP API on port 0: bearer auth, `{ items, has_more }` list envelopes with
 * keyset pagination, JSON errors, injectable 429s with Retry-After, and a hook after each list page.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MEMORY_USERS,
  type MemoryTicket,
  type MemoryTicketFields,
  type MemoryVendor,
} from './memory-vendor.ts';

export interface MemoryServer {
  url: string;
  requestCount(): number;
  injectRateLimit(count: number, retryAfterSeconds: number): void;
  onNextPageServed(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

type Reply = { status: number; body: unknown };

export function toWireTicket(t: MemoryTicket) {
  return {
    id: t.id,
    subject: t.subject,
    body: t.body,
    state: t.state,
    urgency: t.urgency,
    owner: t.owner,
    xref: t.xref,
    customer: t.customer,
    kind: t.kind,
    created: t.created.toISOString(),
    updated: t.updated.toISOString(),
  };
}

export async function startMemoryServer(vendor: MemoryVendor, token: string): Promise<MemoryServer> {
  let requests = 0;
  let throttle = { remaining: 0, retryAfterSeconds: 0 };
  let pageHook: (() => Promise<void> | void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const body = await readBody(req);
    if (throttle.remaining > 0) {
      throttle.remaining -= 1;
      return send(res, { status: 429, body: { error: 'rate limit exceeded' } }, throttle.retryAfterSeconds);
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, { status: 401, body: { error: 'invalid or missing token' } });
    }
    const url = new URL(req.url ?? '/', 'http://memory');
    const reply = route(vendor, req.method ?? 'GET', url, body);
    if (
      reply.status === 200 &&
      url.pathname === '/api/tickets' &&
      !url.searchParams.has('xref') &&
      pageHook
    ) {
      // The page is computed before the hook runs, so the change lands between this page and the next.
      const hook = pageHook;
      pageHook = undefined;
      await hook();
    }
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, { status: 500, body: { error: 'internal error' } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requestCount: () => requests,
    injectRateLimit(count, retryAfterSeconds) {
      throttle = { remaining: count, retryAfterSeconds };
    },
    onNextPageServed(fn) {
      pageHook = fn;
    },
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

function route(vendor: MemoryVendor, method: string, url: URL, body: unknown): Reply {
  const parts = url.pathname.split('/').filter(Boolean);
  const id = Number(parts[2]);
  const input = (body ?? {}) as Record<string, unknown>;
  if (method === 'GET' && url.pathname === '/api/me') return { status: 200, body: { user: 'api' } };
  if (parts[0] !== 'api' || parts[1] !== 'tickets') return notFound();
  if (parts.length === 2 && method === 'GET') return listTickets(vendor, url.searchParams);
  if (parts.length === 2 && method === 'POST') {
    if (typeof input.subject !== 'string') return { status: 422, body: { error: 'subject is required' } };
    if (input.customer !== undefined && (typeof input.customer !== 'string' || input.customer === '')) {
      return { status: 422, body: { error: 'customer must be a non-empty string' } };
    }
    return { status: 201, body: { ticket: toWireTicket(vendor.create(fieldsFrom(input))) } };
  }
  const ticket = vendor.tickets.get(id);
  if (!ticket) return notFound();
  if (parts.length === 3 && method === 'GET') return { status: 200, body: { ticket: toWireTicket(ticket) } };
  if (parts.length === 3 && method === 'PATCH') {
    if (input.owner != null && !(MEMORY_USERS as readonly unknown[]).includes(input.owner)) {
      return { status: 422, body: { error: 'owner is not a user' } };
    }
    return { status: 200, body: { ticket: toWireTicket(vendor.update(id, fieldsFrom(input))!) } };
  }
  if (parts[3] === 'comments' && method === 'GET') {
    const comments = ticket.comments.map((c) => ({ ...c, created: c.created.toISOString() }));
    return { status: 200, body: { comments } };
  }
  if (parts[3] === 'comments' && method === 'POST') {
    const comment = vendor.comment(
      id,
      String(input.text ?? ''),
      input.private === true,
      String(input.author ?? 'api'),
    );
    return { status: 201, body: { comment: { ...comment, created: comment?.created.toISOString() } } };
  }
  return notFound();
}

function listTickets(vendor: MemoryVendor, params: URLSearchParams): Reply {
  const date = (name: string) => (params.has(name) ? new Date(params.get(name)!) : undefined);
  const { items, hasMore } = vendor.list({
    updatedSince: date('updated_since'),
    updatedAfter: date('updated_after'),
    afterId: params.has('after_id') ? Number(params.get('after_id')) : undefined,
    xref: params.get('xref') ?? undefined,
    // `customer=a,b`: the scope filter; an empty value matches no customer.
    customers: params.has('customer') ? params.get('customer')!.split(',').filter(Boolean) : undefined,
    offset: params.has('offset') ? Number(params.get('offset')) : undefined,
    limit: Math.min(Number(params.get('limit') ?? 50), 100),
  });
  return { status: 200, body: { items: items.map(toWireTicket), has_more: hasMore } };
}

/** Only known fields, only strings (or null where the field can be empty). */
function fieldsFrom(input: Record<string, unknown>): MemoryTicketFields {
  const fields: MemoryTicketFields = {};
  for (const key of ['subject', 'state', 'urgency'] as const) {
    if (typeof input[key] === 'string') fields[key] = input[key];
  }
  if (typeof input.customer === 'string' && input.customer !== '') fields.customer = input.customer;
  for (const key of ['body', 'owner', 'xref', 'kind'] as const) {
    if (typeof input[key] === 'string' || input[key] === null) fields[key] = input[key];
  }
  return fields;
}

function notFound(): Reply {
  return { status: 404, body: { error: 'not found' } };
}

function send(res: ServerResponse, reply: Reply, retryAfterSeconds?: number): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  res.writeHead(reply.status, headers);
  res.end(JSON.stringify(reply.body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
