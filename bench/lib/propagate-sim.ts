/**
 * Child process: the ConnectWise simulator and the propagate row's driver. It seeds a pool of
 * tickets (no callbacks), registers one callback for the hub and one for the baseline (both
 * inactive), and on `drive` turns one of them on and changes tickets "as a technician in the
 * CW UI" at a constant rate: every change renames the ticket to `t:<stamp>` (the epoch ms at
 * which the change was made) and, in turn, also moves its status or its priority.
 *
 * The webhook ack time is the time from the simulator's callback `fetch` to the receiver's
 * answer. The simulator does not expose it, and its sender must stay as it is, so this process
 * (which fetches nothing else) wraps the global `fetch` the sender calls: same request, same
 * order, one clock read either side.
 *
 * IPC: `ready` {config, pool}; `register` {hub, base} -> `registered`;
 * `drive` {target, rate, seconds} -> `driven` {markers, ackMs, failed, late}; `stop` exits.
 */
import {
  createConnectWiseSimulator,
  type TicketChangeInput,
} from '../../connectors/connectwise/simulator.ts';

interface Ack {
  url: string;
  ms: number;
  status: number | null;
}

const acks: Ack[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const t0 = performance.now();
  try {
    const res = await realFetch(input, init);
    acks.push({ url, ms: performance.now() - t0, status: res.status });
    return res;
  } catch (err) {
    acks.push({ url, ms: performance.now() - t0, status: null });
    throw err;
  }
};

const POOL = Number(process.argv[2] ?? 100);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const cw = await createConnectWiseSimulator();
const ids = cw.seedTickets(POOL, { summary: 'Propagate', skipCallback: true }).map((t) => t.id as number);
const changesOf = new Map<number, number>();
const callbackIds: Record<string, number> = {};
let next = 0;

/** The k-th change of a ticket: summary only, then also status, then also priority (each flipping). */
function changeFor(id: number, marker: string): TicketChangeInput {
  const k = changesOf.get(id) ?? 0;
  changesOf.set(id, k + 1);
  const change: TicketChangeInput = { summary: `t:${marker}` };
  const ticket = cw.getTicket(id) as { status: { name: string }; priority: { name: string } };
  if (k % 3 === 1) change.status = ticket.status.name === 'In Progress' ? 'Assigned' : 'In Progress';
  if (k % 3 === 2)
    change.priority =
      ticket.priority.name === 'Priority 2 - Quick Response'
        ? 'Priority 3 - Normal Response'
        : 'Priority 2 - Quick Response';
  return change;
}

async function drive(target: string, rate: number, seconds: number) {
  for (const [name, id] of Object.entries(callbackIds))
    cw.updateCallback(id, { inactiveFlag: name !== target });
  const url = cw.callbacks().find((e) => e.id === callbackIds[target])!.url;
  const n = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const markers: string[] = [];
  const late: number[] = [];
  const firstAck = acks.length;
  const firstDelivery = cw.deliveries().length;
  const t0 = performance.now() + 10;
  for (let i = 0; i < n; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    late.push(Math.max(0, performance.now() - due));
    const stamp = now();
    const marker = stamp.toFixed(3);
    const id = ids[next++ % ids.length]!;
    cw.updateTicket(id, changeFor(id, marker));
    markers.push(marker);
  }
  await Promise.race([cw.flushCallbacks(), sleep(60_000)]);
  cw.updateCallback(callbackIds[target]!, { inactiveFlag: true });
  const mine = acks.slice(firstAck).filter((a) => a.url === url);
  const deliveries = cw.deliveries().slice(firstDelivery);
  return {
    markers,
    ackMs: mine.filter((a) => a.status !== null && a.status < 300).map((a) => a.ms),
    failed: deliveries.filter((d) => d.error || !d.status || d.status >= 300).length,
    deliveries: deliveries.length,
    late,
  };
}

process.on(
  'message',
  async (msg: {
    type: string;
    hub?: string;
    base?: string;
    target?: string;
    rate?: number;
    seconds?: number;
  }) => {
    if (msg.type === 'register') {
      for (const name of ['hub', 'base'] as const) {
        const entry = cw.addCallback(msg[name]!);
        cw.updateCallback(entry.id, { inactiveFlag: true });
        callbackIds[name] = entry.id;
      }
      process.send?.({ type: 'registered' });
    } else if (msg.type === 'drive') {
      process.send?.({ type: 'driven', ...(await drive(msg.target!, msg.rate!, msg.seconds!)) });
    } else if (msg.type === 'stop') {
      await cw.close();
      process.exit(0);
    }
  },
);

process.send?.({ type: 'ready', config: cw.connectorConfig({ pageSize: 1000 }), pool: ids.length });
