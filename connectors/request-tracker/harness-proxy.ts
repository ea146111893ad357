/**
 * A pass-through HTTP proxy in front of a real RT, on port 0, so the conformance suite can
 * count requests and change data right after a `/tickets` page is served (`onNextPageServed`)
 * against the real server. It forwards bytes unchanged; it never fakes an answer.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RtProxy {
  url: string;
  requestCount(): number;
  onNextPageServed(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export async function startRtProxy(target: string): Promise<RtProxy> {
  const upstream = new URL(target);
  let requests = 0;
  let pageHook: (() => Promise<void> | void) | null = null;

  const server = createServer((req, res) => {
    requests += 1;
    const headers = { ...req.headers, host: upstream.host };
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      async (answer) => {
        const chunks: Buffer[] = [];
        for await (const chunk of answer) chunks.push(chunk as Buffer);
        const isListPage = req.method === 'GET' && /^\/REST\/2\.0\/tickets\/?(\?|$)/.test(req.url ?? '');
        if (isListPage && pageHook) {
          const hook = pageHook;
          pageHook = null;
          // A failing hook must not hang the pull; the check notices the missing change.
          await Promise.resolve()
            .then(hook)
            .catch((err: unknown) => console.warn('onNextPageServed hook failed', err));
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(Buffer.concat(chunks));
      },
    );
    forward.on('error', () => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'proxy could not reach RT' }));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requestCount: () => requests,
    onNextPageServed(fn) {
      pageHook = fn;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
