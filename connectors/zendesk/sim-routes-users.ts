/** The user routes the simulator serves: who am I, search by email, show. */
import { notFound } from './sim-errors.ts';
import { renderUser } from './sim-render.ts';
import type { SimRoute } from './sim-routes.ts';

const me: SimRoute = {
  method: 'GET',
  pattern: /^\/users\/me\.json$/,
  key: 'GET /users/me.json',
  anonymous: true,
  handle: ({ actor }, env) => ({
    body: {
      user: actor
        ? renderUser(actor, env.apiBase)
        : { id: null, url: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user' },
    },
  }),
};

const searchUsers: SimRoute = {
  method: 'GET',
  pattern: /^\/users\/search\.json$/,
  key: 'GET /users/search.json',
  handle: ({ url }, env) => {
    const query = (url.searchParams.get('query') ?? '').trim();
    const email = query.replace(/^email:/i, '').replace(/^"|"$/g, '');
    const found = email ? env.store.userByEmail(email) : undefined;
    const users = found ? [renderUser(found, env.apiBase)] : [];
    return { body: { users, next_page: null, previous_page: null, count: users.length } };
  },
};

const showUser: SimRoute = {
  method: 'GET',
  pattern: /^\/users\/(\d+)\.json$/,
  key: 'GET /users/{id}.json',
  handle: ({ params }, env) => {
    const user = env.store.users.get(Number(params[0]));
    if (!user) throw notFound();
    return { body: { user: renderUser(user, env.apiBase) } };
  },
};

export const userRoutes: SimRoute[] = [me, searchUsers, showUser];
