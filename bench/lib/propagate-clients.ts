/**
 * Child process: `count` subscribers for the propagate row, graphql-transport-ws clients of the
 * hub (`gql`) or plain sockets of the baseline's `ws` server (`raw`). Both sides send the same
 * message shape; its ticket title is `t:<stamp>`, the epoch ms (with fraction) at which the
 * driver made the change. Each socket keeps its first receive per stamp and counts repeats.
 *
 * IPC: `ready` once every socket is subscribed. `collect` {markers, timeoutMs} waits until every
 * socket holds every marker (or the timeout) and answers `collected` with, per marker, the
 * latencies (receive - stamp, ms) of the sockets that got it, plus repeats and strays (stamps
 * not asked for); then it forgets them. `close` ends the process.
 */
import WebSocket from 'ws';

const [mode, url, token, countArg, query] = process.argv.slice(2) as [string, string, string, string, string];
const count = Number(countArg);
const now = () => performance.timeOrigin + performance.now();

/** marker -> latencies of the sockets that received it (first receive only). */
let received = new Map<string, number[]>();
/** Per socket, the markers it already holds (a second copy is a repeat, not a delivery). */
const seen: Set<string>[] = [];
let repeats = 0;
let errors = 0;
let waiter: { expected: Set<string>; missing: number; resolve: () => void } | null = null;

function onMessage(socket: number, text: string): void {
  const at = now();
  let msg: { type?: string; payload?: { data?: { ticketEvents?: { ticket?: { title?: string } } } } };
  try {
    msg = JSON.parse(text);
  } catch {
    errors++;
    return;
  }
  if (msg.type !== 'next') {
    if (msg.type === 'error' || msg.type === 'complete') errors++;
    return;
  }
  const title = msg.payload?.data?.ticketEvents?.ticket?.title ?? '';
  if (!title.startsWith('t:')) return;
  const marker = title.slice(2);
  const mine = seen[socket]!;
  if (mine.has(marker)) {
    repeats++;
    return;
  }
  mine.add(marker);
  const list = received.get(marker) ?? [];
  if (list.length === 0) received.set(marker, list);
  list.push(at - Number(marker));
  if (waiter?.expected.has(marker) && --waiter.missing === 0) waiter.resolve();
}

function open(index: number): Promise<void> {
  seen[index] = new Set();
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
      onMessage(index, text);
    });
  });
}

const sockets: WebSocket[] = [];
await Promise.all(Array.from({ length: count }, (_, i) => open(i)));
process.send?.({ type: 'ready' });

async function collect(markers: string[], timeoutMs: number): Promise<void> {
  const expected = new Set(markers);
  let missing = 0;
  for (const m of expected) missing += count - (received.get(m)?.length ?? 0);
  if (missing > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      waiter = {
        expected,
        missing,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
    waiter = null;
  }
  const latencies: Record<string, number[]> = {};
  let strays = 0;
  for (const [marker, list] of received) {
    if (expected.has(marker)) latencies[marker] = list;
    else strays += list.length;
  }
  process.send?.({ type: 'collected', latencies, repeats, strays, errors });
  received = new Map();
  for (const s of seen) s.clear();
  repeats = 0;
  errors = 0;
}

process.on('message', (msg: { type: string; markers?: string[]; timeoutMs?: number }) => {
  if (msg.type === 'collect') void collect(msg.markers ?? [], msg.timeoutMs ?? 30_000);
  else if (msg.type === 'close') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
