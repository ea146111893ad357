import type { Plugin } from 'graphql-yoga';
import { extractToken, TokenCheckError, type TokenResolver, type Viewer } from '../auth/tokens.ts';
import type { Logger } from '../logger.ts';

export const MISSING_TOKEN =
  'Missing API token: send "Authorization: Bearer <token>". An admin creates one with `npm run hub -- token create --party <slug> --role agent`.';
export const INVALID_TOKEN =
  'Invalid or revoked API token. Check that you copied all of it, or ask an admin for a new one.';

export const TOKEN_CHECK_FAILED =
  'The hub could not check your API token because its database is not answering. Try again shortly.';

/**
 * Resolves a token for HTTP and WebSocket alike. A failure to check it is logged without the
 * statement, the token's hash or a stack, and reported to the caller as the error it was.
 */
export async function resolveViewer(
  resolver: TokenResolver,
  token: string,
  log: Logger,
): Promise<Viewer | null> {
  try {
    return await resolver.resolve(token);
  } catch (err) {
    const safe = err instanceof TokenCheckError ? err : new TokenCheckError(err);
    log.error({ err: { type: safe.name, message: safe.message, cause: safe.detail } }, 'token check failed');
    throw safe;
  }
}

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
  log: Logger,
): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath || request.method === 'OPTIONS') return;
      if (request.method === 'GET' && request.headers.get('accept')?.includes('text/html')) return;
      const token = extractToken(request.headers.get('authorization'));
      if (!token) return endResponse(unauthorized(fetchAPI, MISSING_TOKEN));
      let viewer: Viewer | null;
      try {
        viewer = await resolveViewer(resolver, token, log);
      } catch {
        return endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [{ message: TOKEN_CHECK_FAILED, extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
            }),
            { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '5' } },
          ),
        );
      }
      if (!viewer) return endResponse(unauthorized(fetchAPI, INVALID_TOKEN));
      viewers.set(request, viewer);
    },
  };
}
