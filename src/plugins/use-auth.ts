import type { Plugin } from 'graphql-yoga';
import { extractToken, type TokenResolver, type Viewer } from '../auth/tokens.ts';

export const MISSING_TOKEN =
  'Missing API token: send "Authorization: Bearer <token>". An admin creates one with `npm run hub -- token create --party <slug> --role agent`.';
export const INVALID_TOKEN =
  'Invalid or revoked API token. Check that you copied all of it, or ask an admin for a new one.';

function unauthorized(fetchAPI: { Response: typeof Response }, message: string): Response {
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }),
    {
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="ticket-hub"' },
    },
  );
}

/**
 * Every GraphQL request carries a token; the viewer it resolves to is remembered per
 * request for the context factory. Only the GraphiQL page itself (GET text/html) is open.
 */
export function useAuth(
  resolver: TokenResolver,
  viewers: WeakMap<Request, Viewer>,
  graphqlPath: string,
): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath || request.method === 'OPTIONS') return;
      if (request.method === 'GET' && request.headers.get('accept')?.includes('text/html')) return;
      const token = extractToken(request.headers.get('authorization'));
      if (!token) return endResponse(unauthorized(fetchAPI, MISSING_TOKEN));
      const viewer = await resolver.resolve(token);
      if (!viewer) return endResponse(unauthorized(fetchAPI, INVALID_TOKEN));
      viewers.set(request, viewer);
    },
  };
}
