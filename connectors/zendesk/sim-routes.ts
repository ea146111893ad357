/**
 * The Zendesk API routes the simulator serves, below `/api/v2`. Handlers get the authenticated
 * agent and answer Zendesk's envelopes; the plumbing (auth, limits, faults) is in `sim-server.ts`.
 */
import { badRequest, SimHttpError } from './sim-errors.ts';
import { exportTickets } from './sim-export.ts';
import { renderComment, renderTicket, renderWrite, sideloadUsers, ticketPeople } from './sim-render.ts';
import { userRoutes } from './sim-routes-users.ts';
import type { SimStore, SimUser, TicketChanges, WriteResult } from './sim-store.ts';

export interface SimEnv {
  store: SimStore;
  apiBase: string;
  now: () => Date;
  exclusionSeconds: number;
  /** Runs queued `onNextPageServed` hooks after an export page is built. */
  afterExportPage(): Promise<void>;
  /** A write made through the API (fires webhooks). */
  onWrite(result: WriteResult): void;
}

export interface SimRequest {
  url: URL;
  params: string[];
  body: unknown;
  actor: SimUser | null;
}

export interface SimResponse {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface SimRoute {
  method: string;
  pattern: RegExp;
  /** `METHOD /path/{id}` used by write counters. */
  key: string;
  /** `users/me` answers anonymous callers; everything else needs an agent. */
  anonymous?: boolean;
  handle(req: SimRequest, env: SimEnv): Promise<SimResponse> | SimResponse;
}

const includesUsers = (url: URL) => url.searchParams.get('include')?.split(',').includes('users') ?? false;

function ticketEnvelope(env: SimEnv, url: URL, id: number) {
  const ticket = env.store.requireTicket(id);
  const body: Record<string, unknown> = { ticket: renderTicket(ticket, env.apiBase) };
  if (includesUsers(url)) body.users = sideloadUsers(env.store, ticketPeople(ticket), env.apiBase);
  return body;
}

function ticketInput(body: unknown): TicketChanges & { requester?: unknown } {
  const ticket = (body as { ticket?: unknown } | undefined)?.ticket;
  if (typeof ticket !== 'object' || ticket === null)
    throw badRequest('The request body needs a ticket object', 'InvalidEndpoint');
  return ticket as TicketChanges & { requester?: unknown };
}

function paging(url: URL, max: number) {
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const perPage = Math.min(max, Math.max(1, Number(url.searchParams.get('per_page') ?? max) || max));
  const next = (count: number) => {
    if (page * perPage >= count) return null;
    const params = new URLSearchParams(url.searchParams);
    params.set('page', String(page + 1));
    return `${url.origin}${url.pathname}?${params}`;
  };
  return { start: (page - 1) * perPage, perPage, next };
}

const incremental: SimRoute = {
  method: 'GET',
  pattern: /^\/incremental\/tickets\/cursor\.json$/,
  key: 'GET /incremental/tickets/cursor.json',
  handle: async ({ url }, env) => {
    const nowMs = env.now().getTime();
    const body = exportTickets(env.store, {
      query: url.searchParams,
      nowMs,
      exclusionSeconds: env.exclusionSeconds,
      apiBase: env.apiBase,
    });
    await env.afterExportPage();
    return { body };
  },
};

const listTickets: SimRoute = {
  method: 'GET',
  pattern: /^\/tickets\.json$/,
  key: 'GET /tickets.json',
  handle: ({ url }, env) => {
    const externalId = url.searchParams.get('external_id');
    const all = [...env.store.tickets.values()]
      .filter((t) => externalId === null || t.externalId === externalId)
      .sort((a, b) => a.id - b.id);
    const { start, perPage, next } = paging(url, 100);
    const page = all.slice(start, start + perPage);
    const body: Record<string, unknown> = {
      tickets: page.map((t) => renderTicket(t, env.apiBase)),
      next_page: next(all.length),
      previous_page: null,
      count: all.length,
    };
    if (includesUsers(url)) body.users = sideloadUsers(env.store, page.flatMap(ticketPeople), env.apiBase);
    return { body };
  },
};

const createTicket: SimRoute = {
  method: 'POST',
  pattern: /^\/tickets\.json$/,
  key: 'POST /tickets.json',
  handle: ({ body, actor }, env) => {
    const input = ticketInput(body);
    const requester = input.requester as { email?: unknown; name?: unknown } | undefined;
    let requesterId: number | undefined;
    if (requester && typeof requester.email === 'string') {
      const email = requester.email;
      requesterId = (
        env.store.userByEmail(email) ?? env.store.addUser({ email, name: String(requester.name ?? email) })
      ).id;
    }
    const result = env.store.createTicket({ ...input, requesterId }, actor!.id);
    env.onWrite(result);
    return {
      status: 201,
      body: renderWrite(result, env.apiBase),
      headers: { location: `${env.apiBase}/tickets/${result.ticket.id}.json` },
    };
  },
};

const showTicket: SimRoute = {
  method: 'GET',
  pattern: /^\/tickets\/(\d+)\.json$/,
  key: 'GET /tickets/{id}.json',
  handle: ({ url, params }, env) => ({ body: ticketEnvelope(env, url, Number(params[0])) }),
};

const updateTicket: SimRoute = {
  method: 'PUT',
  pattern: /^\/tickets\/(\d+)\.json$/,
  key: 'PUT /tickets/{id}.json',
  handle: ({ params, body, actor }, env) => {
    const result = env.store.updateTicket(Number(params[0]), ticketInput(body), actor!.id);
    env.onWrite(result);
    return { body: renderWrite(result, env.apiBase) };
  },
};

const listComments: SimRoute = {
  method: 'GET',
  pattern: /^\/tickets\/(\d+)\/comments\.json$/,
  key: 'GET /tickets/{id}/comments.json',
  handle: ({ url, params }, env) => {
    const order = url.searchParams.get('sort_order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc')
      throw new SimHttpError(400, { error: 'InvalidValue', description: 'sort_order' });
    const all = [...env.store.commentsOf(Number(params[0]))];
    if (order === 'desc') all.reverse();
    const { start, perPage, next } = paging(url, 100);
    const page = all.slice(start, start + perPage);
    const body: Record<string, unknown> = {
      comments: page.map((c) => renderComment(c)),
      next_page: next(all.length),
      previous_page: null,
      count: all.length,
    };
    if (includesUsers(url))
      body.users = sideloadUsers(
        env.store,
        page.map((c) => c.authorId),
        env.apiBase,
      );
    return { body };
  },
};

export const simRoutes: SimRoute[] = [
  ...userRoutes,
  incremental,
  listTickets,
  createTicket,
  showTicket,
  updateTicket,
  listComments,
];
