import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of __NAME__'s API on port 0. Start here: implement the vendor's paths, auth headers,
 * envelopes, pagination, error shapes, 429 + Retry-After and webhook signatures, closely
 * enough that a published client library would work against it (connectors/README.md).
 */
export async function create__PASCAL__Simulator() {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(501, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'TODO(__ID__): the simulator serves nothing yet (connectors/__ID__/simulator.ts)' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: 'sim-api-key',
    requestCount: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
