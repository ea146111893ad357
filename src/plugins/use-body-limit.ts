import type { Plugin } from 'graphql-yoga';

/** The body, or null once it passed `maxBytes`: counted while it streams, chunked or not. */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Buffer | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Content-Length can be absent (chunked) or lie: stop reading at the limit either way.
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function tooLarge(fetchAPI: { Response: typeof Response }, maxBytes: number): Response {
  return fetchAPI.Response.json(
    {
      errors: [
        {
          message: `Request body is over the limit of ${maxBytes} bytes (MAX_BODY_BYTES). Send less, e.g. page through large inputs.`,
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        },
      ],
    },
    { status: 413, headers: { connection: 'close' } },
  );
}

/**
 * Refuse oversized bodies before anything parses them. The body is read here, counting bytes
 * as they arrive, and handed on as a buffer: checking Content-Length alone let a 20 MB chunked
 * body through to the JSON parser.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    async onRequest({ request, setRequest, endResponse, fetchAPI }) {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
      const body = await readBodyLimited(request, maxBytes);
      if (!body) return endResponse(tooLarge(fetchAPI, maxBytes));
      setRequest(
        new fetchAPI.Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: new Uint8Array(body),
        }),
      );
    },
  };
}
