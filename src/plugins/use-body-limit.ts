import type { Plugin } from 'graphql-yoga';

/** Refuse oversized bodies before anything parses them. */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > maxBytes) {
        endResponse(
          fetchAPI.Response.json(
            {
              errors: [
                {
                  message: `Request body is ${length} bytes; the limit is ${maxBytes} (MAX_BODY_BYTES).`,
                  extensions: { code: 'PAYLOAD_TOO_LARGE' },
                },
              ],
            },
            { status: 413 },
          ),
        );
      }
    },
  };
}
