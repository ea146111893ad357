import type { CORSOptions, Plugin } from 'graphql-yoga';

/** Request bodies that may carry an operation. Multipart joins this list if uploads arrive. */
const OPERATION_TYPES = ['application/json', 'application/graphql-response+json'];

/**
 * Only a JSON body may carry an operation. A page on another site can send a form or a
 * `text/plain` body without a CORS preflight (a "simple request"), but never JSON; refusing
 * everything else means no cross-site page can make the hub run a mutation. GET never runs
 * a mutation either (yoga refuses it with 405).
 */
export function useJsonOperations(graphqlPath: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath || request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (OPERATION_TYPES.includes(type)) return;
      endResponse(
        fetchAPI.Response.json(
          {
            errors: [
              {
                message: `Send the operation as JSON with "Content-Type: application/json" (got ${type ? `"${type.slice(0, 80)}"` : 'none'}).`,
                extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
              },
            ],
          },
          { status: 415 },
        ),
      );
    },
  };
}

/**
 * CORS for the hub's own origin, PUBLIC_URL's and the configured ones; any other origin gets
 * no CORS headers, so browsers keep its pages from reading answers. No credentials: the API
 * takes bearer tokens, never cookies.
 */
export function corsFor(origins: readonly string[], publicUrl?: string) {
  const allowed = new Set(origins);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return (request: Request): CORSOptions => {
    const origin = request.headers.get('origin');
    if (!origin || (!allowed.has(origin) && origin !== new URL(request.url).origin)) return false;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'accept'],
      maxAge: 600,
    };
  };
}
