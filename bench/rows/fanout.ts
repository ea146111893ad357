/**
 * fanout: one committed change to N graphql-ws subscribers (two parties, so two groups),
 * against a raw `ws` server broadcasting the same payload. Subscribers live in child
 * processes; the hub in its own process.
 */
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import {
  type BenchRow,
  type Check,
  figure,
  interleave,
  nextMessage,
  sleep,
  spawnChild,
  stopChild,
} from '../lib/harness.ts';
import { type HubProc, startHubProc } from '../lib/hub-client.ts';
import { type Figure, percentile, summarize } from '../lib/stats.ts';

export const FANOUT_QUERY =
  'subscription { ticketEvents { type ticket { id key title status priority assignee { name } } } }';
const UPDATE = `mutation($id: ID!, $v: Int!, $t: String!) {
  updateTicket(input: { id: $id, expectedVersion: $v, title: $t }) { ticket { version } } }`;
const CHILDREN = 4;
const now = () => performance.timeOrigin + performance.now();

export async function spawnSubscribers(
  mode: 'gql' | 'raw',
  url: string,
  tokens: string[],
  n: number,
): Promise<ChildProcess[]> {
  const per = Math.ceil(n / CHILDREN);
  const children = Array.from({ length: CHILDREN }, (_, i) =>
    spawnChild(new URL('../lib/ws-clients.ts', import.meta.url), [
      mode,
      url,
      tokens[i % tokens.length]!,
      String(Math.min(per, n - i * per)),
      FANOUT_QUERY,
    ]),
  );
  await Promise.all(children.map((c) => nextMessage(c, 'ready', 300_000)));
  return children;
}

export async function gather(children: ChildProcess[], marker: string, timeoutMs: number): Promise<number[]> {
  const replies = await Promise.all(
    children.map((c) => {
      const p = nextMessage<{ latencies: number[] }>(c, 'got', timeoutMs + 30_000);
      c.send({ type: 'expect', marker, timeoutMs });
      return p;
    }),
  );
  return replies.flatMap((r) => r.latencies);
}

export async function waitActive(hub: HubProc, n: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await hub.stats()).active < n) {
    if (Date.now() > deadline)
      throw new Error(`only ${(await hub.stats()).active} of ${n} subscriptions live`);
    await sleep(100);
  }
}

export const fanoutRow: BenchRow = {
  id: 'fanout',
  what: 'one event to N graphql-ws subscribers (2 parties = 2 groups)',
  async run(ctx) {
    const sizes = ctx.size === 'full' ? [1_000, 10_000] : [1_000, 5_000];
    const hub = await startHubProc();
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const rawUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const figures: Figure[] = [];
    const checks: Check[] = [];
    const notes: string[] = [];
    let headline = null;
    try {
      let version = (
        await hub.gql<{ ticket: { version: number } }>(
          hub.tokens.internalAgent,
          'query($id: ID!) { ticket(id: $id) { version } }',
          { id: hub.ticketId },
        )
      ).ticket.version;
      for (const n of sizes) {
        const subs = await spawnSubscribers(
          'gql',
          hub.wsUrl,
          [hub.tokens.internalViewer, hub.tokens.mspViewer],
          n,
        );
        const raws = await spawnSubscribers('raw', rawUrl, ['-'], n);
        try {
          await waitActive(hub, n);
          const timeoutMs = n >= 10_000 ? 20_000 : 10_000;
          let lost = 0;
          let executions = 0;
          let events = 0;
          const runs = await interleave(
            ctx,
            async () => {
              const before = await hub.stats();
              const marker = now().toFixed(3);
              const data = await hub.gql<{ updateTicket: { ticket: { version: number } } }>(
                hub.tokens.internalAgent,
                UPDATE,
                {
                  id: hub.ticketId,
                  v: version,
                  t: `t:${marker}`,
                },
              );
              version = data.updateTicket.ticket.version;
              const lat = await gather(subs, marker, timeoutMs);
              const after = await hub.stats();
              lost += n - lat.length;
              executions += after.executions - before.executions;
              events++;
              return lat;
            },
            async () => {
              const marker = now().toFixed(3);
              const payload = JSON.stringify({
                id: '1',
                type: 'next',
                payload: {
                  data: {
                    ticketEvents: {
                      type: 'UPDATED',
                      ticket: {
                        id: hub.ticketId,
                        key: 'HUB-1',
                        title: `t:${marker}`,
                        status: 'NEW',
                        priority: 'MEDIUM',
                        assignee: null,
                      },
                    },
                  },
                },
              });
              for (const client of wss.clients) client.send(payload);
              return gather(raws, marker, timeoutMs);
            },
          );
          const hp99 = runs.a.map((l) => percentile(l, 99));
          const bp99 = runs.b.map((l) => percentile(l, 99));
          const ratio = summarize(hp99.map((h, i) => h / bp99[i]!));
          if (n === sizes[0]) headline = ratio;
          const p99S = summarize(hp99);
          figures.push(
            figure(`N=${n} p99 ratio`, 'x', 'lower', ratio),
            figure(`N=${n} hub p50`, 'ms', 'lower', summarize(runs.a.map((l) => percentile(l, 50)))),
            figure(`N=${n} hub p99`, 'ms', 'lower', p99S),
            figure(`N=${n} raw p50`, 'ms', 'lower', summarize(runs.b.map((l) => percentile(l, 50)))),
            figure(`N=${n} raw p99`, 'ms', 'lower', summarize(bp99)),
          );
          // Targets are stated at 1,000 (250 ms) and 10,000 (1 s); the small run's 5,000 is held to the 10,000 bound.
          const limit = n > 1_000 ? 1000 : 250;
          const perEvent = executions / Math.max(1, events);
          checks.push(
            {
              name: `N=${n} p99 <= ${limit} ms`,
              ok: p99S.median <= limit,
              detail: `${p99S.median.toFixed(1)} ms`,
            },
            { name: `N=${n} <= 4x raw p99`, ok: ratio.median <= 4, detail: `${ratio.median.toFixed(2)}x` },
            {
              name: `N=${n} zero lost`,
              ok: lost === 0,
              detail: `${lost} lost over ${events} events (warm-up included)`,
            },
            {
              name: `N=${n} one execution per group`,
              ok: perEvent === 2,
              detail: `${perEvent} executions/event for 2 groups (not ${n})`,
            },
          );
        } finally {
          for (const c of [...subs, ...raws]) c.send({ type: 'close' });
          await Promise.all([...subs, ...raws].map(stopChild));
          await sleep(500);
        }
        notes.push(
          `N=${n}: subscribers in ${CHILDREN} + ${CHILDREN} child processes, hub in its own process`,
        );
      }
      return {
        baseline: 'raw ws broadcast of the same payload',
        target: 'p99 <= 250 ms @1k, <= 1 s @10k, <= 4x raw, 0 lost, 1 exec/group',
        ratio: headline,
        ratioLabel: `p99 hub/raw at N=${sizes[0]}`,
        figures,
        checks,
        notes,
      };
    } finally {
      wss.close();
      await hub.stop();
    }
  },
};
