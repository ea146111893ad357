/**
 * Child process: `count` WebSocket subscribers, either graphql-transport-ws clients of the
 * hub (`gql`) or plain sockets of a raw `ws` server (`raw`). Each message's ticket title
 * carries the sender's timestamp (`t:<epoch ms with fraction>`); latency is receive minus send,
 * on the same machine clock. IPC: `ready` once all are subscribed; on `expect` {marker,
 * timeoutMs} it answers `got` with the latencies of that marker (partial after the timeout).
 */
import WebSocket from 'ws';

const [mode, url, token, countArg, query] = process.argv.slice(2) as [string, string, string, string, string];
const count = Number(countArg);
const now = () => performance.timeOrigin + performance.now();
const latencies = new Map<string, number[]>();
let waiter: { marker: string; resolve: () => void } | null = null;
const sockets: WebSocket[] = [];

function onPayload(text: string): void {
  const at = now();
  const m = /"title":"t:([0-9.]+)"/.exec(text);
  if (!m) return;
  const marker = m[1]!;
  const list = latencies.get(marker) ?? [];
  latencies.set(marker, list);
  list.push(at - Number(marker));
  if (waiter && waiter.marker === marker && list.length >= count) waiter.resolve();
}

function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, mode === 'gql' ? 'graphql-transport-ws' : undefined);
    sockets.push(ws);
    ws.on('error', reject);
    ws.on('open', () => {
      if (mode === 'gql')
        ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      else resolve();
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (mode === 'gql' && text.startsWith('{"type":"connection_ack"')) {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve();
        return;
      }
      onPayload(text);
    });
  });
}

for (let i = 0; i < count; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, count - i) }, open));
}
process.send?.({ type: 'ready' });

process.on('message', async (msg: { type: string; marker?: string; timeoutMs?: number }) => {
  if (msg.type === 'expect') {
    const marker = msg.marker!;
    if ((latencies.get(marker)?.length ?? 0) < count) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, msg.timeoutMs ?? 10_000);
        waiter = {
          marker,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
      waiter = null;
    }
    process.send?.({ type: 'got', marker, latencies: latencies.get(marker) ?? [] });
    latencies.delete(marker);
  } else if (msg.type === 'close') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
