/**
 * The Freshservice API v2 routes the simulator serves, below `/api/v2`. Handlers get the agent
 * the API key belongs to and answer Freshservice's envelopes; plumbing is in `sim-server.ts`.
 */
import { notFound, SimHttpError } from './sim-errors.ts';
import { filterTickets, listTickets } from './sim-list.ts';
import { renderAgent, renderConversation, renderTicket } from './sim-render.ts';
import type { SimAgent, SimChange, SimStore, TicketInput } from './sim-store.ts';

export interface SimEnv {
  store: SimStore;
  now: () => Date;
  afterListPage(): Promise<void>;
  onChange(change: SimChange): void;
}

export interface SimRequest {
  url: URL;
  params: string[];
  body: unknown;
  actor: SimAgent;
}

export interface SimResponse {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface SimRoute {
  method: string;
  pattern: RegExp;
  key: string;
  handle(req: SimRequest, env: SimEnv): Promise<SimResponse> | SimResponse;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SimHttpError(400, {
      description: 'Validation failed',
      errors: [{ field: 'body', message: 'JSON object expected', code: 'invalid_json' }],
    });
  }
  return body as Record<string, unknown>;
}

function pageOf<T>(url: URL, items: T[], perPageMax: number) {
  const perPage = Math.min(perPageMax, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const headers: Record<string, string> = {};
  if (items.length > page * perPage) {
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    headers.link = `<${next}>; rel="next"`;
  }
  return { slice: items.slice((page - 1) * perPage, page * perPage), headers };
}

const ticketId = (params: string[]) => Number(params[0]);

export const simRoutes: SimRoute[] = [
  {
    method: 'GET',
    pattern: /^\/tickets$/,
    key: 'GET /tickets',
    async handle({ url }, env) {
      const answer = listTickets(env.store, url, env.now().getTime());
      await env.afterListPage();
      return answer;
    },
  },
  {
    method: 'GET',
    pattern: /^\/tickets\/filter$/,
    key: 'GET /tickets/filter',
    handle: ({ url }, env) => ({ body: filterTickets(env.store, url) }),
  },
  {
    method: 'POST',
    pattern: /^\/tickets$/,
    key: 'POST /tickets',
    handle({ body }, env) {
      const change = env.store.createTicket(objectBody(body) as TicketInput);
      env.onChange(change);
      return { status: 201, body: { ticket: renderTicket(env.store, change.ticket) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/tickets\/(\d+)$/,
    key: 'GET /tickets/{id}',
    handle: ({ url, params }, env) => ({
      body: {
        ticket: renderTicket(env.store, env.store.requireTicket(ticketId(params)), {
          requester: url.searchParams.get('include') === 'requester',
        }),
      },
    }),
  },
  {
    method: 'PUT',
    pattern: /^\/tickets\/(\d+)$/,
    key: 'PUT /tickets/{id}',
    handle({ params, body }, env) {
      const change = env.store.updateTicket(ticketId(params), objectBody(body) as TicketInput);
      env.onChange(change);
      return { body: { ticket: renderTicket(env.store, change.ticket) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/tickets\/(\d+)\/conversations$/,
    key: 'GET /tickets/{id}/conversations',
    handle({ url, params }, env) {
      env.store.requireTicket(ticketId(params));
      const all = env.store.conversations.get(ticketId(params)) ?? [];
      const { slice, headers } = pageOf(url, all, 100);
      return { body: { conversations: slice.map(renderConversation), meta: { count: all.length } }, headers };
    },
  },
  {
    method: 'POST',
    pattern: /^\/tickets\/(\d+)\/notes$/,
    key: 'POST /tickets/{id}/notes',
    handle({ params, body, actor }, env) {
      const { conversation, change } = env.store.addConversation(
        ticketId(params),
        objectBody(body),
        actor.id,
        2,
      );
      env.onChange(change);
      return { status: 201, body: { conversation: renderConversation(conversation) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/agents$/,
    key: 'GET /agents',
    handle({ url }, env) {
      const email = url.searchParams.get('email');
      const all = [...env.store.agents.values()].filter(
        (a) => !email || a.email.toLowerCase() === email.toLowerCase(),
      );
      const { slice, headers } = pageOf(url, all, 100);
      return { body: { agents: slice.map(renderAgent) }, headers };
    },
  },
  {
    method: 'GET',
    pattern: /^\/agents\/(\d+)$/,
    key: 'GET /agents/{id}',
    handle({ params }, env) {
      const agent = env.store.agents.get(Number(params[0]));
      if (!agent) throw notFound();
      return { body: { agent: renderAgent(agent) } };
    },
  },
];
