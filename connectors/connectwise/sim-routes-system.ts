/**
 * The simulator's lookup and system routes: system info, boards and their statuses, priorities,
 * members, companies, and `/system/callbacks`.
 */
import { toCwTimestamp } from './query.ts';
import { badRequest, invalidField, notFound } from './sim-errors.ts';
import { filterAndSort, paginate } from './sim-list.ts';
import type { SimEnv, SimRequest, SimRoute } from './sim-routes.ts';

type Json = Record<string, unknown>;

function list(req: SimRequest, env: SimEnv, items: Json[]) {
  return paginate(req.url, env.publicOrigin, filterAndSort(req.url, items, req.forwardOnly), req.forwardOnly);
}

export const systemRoutes: SimRoute[] = [
  {
    method: 'GET',
    path: '/system/info',
    handle: () => ({
      body: {
        version: 'v2025.1.104578',
        isCloud: true,
        serverTimeZone: 'Eastern Standard Time',
        cloudRegion: 'NA',
      },
    }),
  },
  {
    method: 'GET',
    path: '/service/boards',
    handle: (req, env) =>
      list(
        req,
        env,
        env.store.seed.boards.map((b) => env.store.render.board(b.id)),
      ),
  },
  {
    method: 'GET',
    path: '/service/boards/{id}',
    handle(req, env) {
      const id = req.params[0]!;
      if (!env.store.seed.boards.some((b) => b.id === id)) throw notFound('Board', id);
      return { body: env.store.render.board(id) };
    },
  },
  {
    method: 'GET',
    path: '/service/boards/{id}/statuses',
    handle(req, env) {
      const id = req.params[0]!;
      if (!env.store.seed.boards.some((b) => b.id === id)) throw notFound('Board', id);
      const statuses = env.store.seed.statuses.filter((s) => s.boardId === id).map(env.store.render.status);
      return list(req, env, statuses);
    },
  },
  {
    method: 'GET',
    path: '/service/boards/{id}/types',
    handle(req, env) {
      const id = req.params[0]!;
      if (!env.store.seed.boards.some((b) => b.id === id)) throw notFound('Board', id);
      const types = env.store.seed.types
        .filter((t) => t.boardId === id)
        .map((t) => ({ id: t.id, name: t.name, board: { id, name: env.store.render.board(id)['name'] } }));
      return list(req, env, types);
    },
  },
  {
    method: 'GET',
    path: '/service/priorities',
    handle: (req, env) => list(req, env, env.store.seed.priorities.map(env.store.render.priority)),
  },
  {
    method: 'GET',
    path: '/system/members',
    handle: (req, env) => list(req, env, env.store.seed.members.map(env.store.render.member)),
  },
  {
    method: 'GET',
    path: '/system/members/{id}',
    handle(req, env) {
      const member = env.store.seed.members.find((m) => m.id === req.params[0]);
      if (!member) throw notFound('Member', req.params[0]!);
      return { body: env.store.render.member(member) };
    },
  },
  {
    method: 'GET',
    path: '/company/companies',
    handle: (req, env) => list(req, env, env.store.seed.companies.map(env.store.render.company)),
  },
  {
    method: 'GET',
    path: '/system/callbacks',
    handle: (req, env) =>
      list(
        req,
        env,
        env.callbacks.entries.map((e) => ({ ...e })),
      ),
  },
  {
    method: 'POST',
    path: '/system/callbacks',
    handle(req, env) {
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        throw badRequest('callbackEntry body must be a JSON object');
      }
      return {
        status: 201,
        body: env.callbacks.create(req.body as Json, req.actor.id, req.actor.identifier),
      };
    },
  },
  {
    method: 'GET',
    path: '/system/callbacks/{id}',
    handle: (req, env) => ({ body: env.callbacks.find(req.params[0]!) }),
  },
  {
    method: 'PATCH',
    path: '/system/callbacks/{id}',
    handle(req, env) {
      const entry = env.callbacks.find(req.params[0]!);
      if (!Array.isArray(req.body)) throw badRequest('PATCH body must be a JSON Patch array');
      const editable = ['description', 'url', 'inactiveFlag', 'isSelfSuppressedFlag'] as const;
      for (const op of req.body as Json[]) {
        const path = String(op?.['path'] ?? '').replace(/^\//, '');
        const field = editable.find((f) => f.toLowerCase() === path.toLowerCase());
        if (!field)
          throw invalidField('callbackEntry', path, 'InvalidField', `field '${path}' cannot be patched`);
        Object.assign(entry, { [field]: op['value'] });
      }
      entry._info = { lastUpdated: toCwTimestamp(new Date()), updatedBy: req.actor.identifier };
      return { body: entry };
    },
  },
  {
    method: 'DELETE',
    path: '/system/callbacks/{id}',
    handle(req, env) {
      env.callbacks.remove(req.params[0]!);
      return { status: 204 };
    },
  },
];
