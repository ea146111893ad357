/**
 * propagate: a change made in the ConnectWise simulator -> signed callback -> the hub's webhook
 * -> fetch, merge, commit -> 100 graphql-ws subscribers, at a constant 10 changes/s; against a
 * minimal `node:http` -> `pg` insert + NOTIFY -> `ws.send` pipeline fed by the same callbacks.
 * Simulator + driver, hub, baseline and subscribers each live in their own child processes.
 * Latency = subscriber receive - the driver's stamp (carried in the ticket title).
 */
import type { ChildProcess } from 'node:child_process';
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
import { describeGaps, type StageClocks, stageGaps } from '../lib/propagate-stages.ts';
import { median, percentile, summarize } from '../lib/stats.ts';

const RATE = 10;
const SUBSCRIBERS = 100;
const CLIENT_PROCS = 2;
const POOL = 100;
const COLLECT_MS = 30_000;
export const PROPAGATE_QUERY =
  'subscription { ticketEvents { id type ticket { id key title status priority assignee { name } } } }';
const lib = (file: string) => new URL(`../lib/${file}`, import.meta.url);

interface Driven {
  markers: string[];
  ackMs: number[];
  failed: number;
  deliveries: number;
  late: number[];
}
interface Collected {
  latencies: Record<string, number[]>;
  repeats: number;
  strays: number;
  errors: number;
}
interface SideRun {
  all: number[];
  perMarker: Record<string, number[]>;
  ackMs: number[];
  sent: number;
  lost: number;
  repeats: number;
  strays: number;
  failed: number;
  lateP99: number;
  clocks: StageClocks | null;
  /** Hub only: SQL statements sent by the hub process, and its comment reads (ms each). */
  queries: number;
  commentReads: number[];
  workerBusyMs: number;
  loopDelayP99: number;
  statementP50: number;
  statementP99: number;
}

/** Replies are named after the request (`stats` -> `stats`), except these. */
const REPLY: Record<string, string> = { drive: 'driven', collect: 'collected', register: 'registered' };

function ask<T>(child: ChildProcess, type: string, timeoutMs = 60_000, extra: object = {}): Promise<T> {
  const reply = nextMessage<T>(child, REPLY[type] ?? type, timeoutMs);
  child.send({ type, ...extra });
  return reply;
}

async function spawnClients(mode: 'gql' | 'raw', url: string, token: string): Promise<ChildProcess[]> {
  const per = SUBSCRIBERS / CLIENT_PROCS;
  const children = Array.from({ length: CLIENT_PROCS }, () =>
    spawnChild(lib('propagate-clients.ts'), [mode, url, token, String(per), PROPAGATE_QUERY]),
  );
  await Promise.all(children.map((c) => nextMessage(c, 'ready', 120_000)));
  return children;
}

async function waitActive(child: ChildProcess, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { active } = await ask<{ active: number }>(child, 'stats');
    if (active >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${active} of ${n} subscribers live`);
    await sleep(100);
  }
}

async function runSide(
  target: 'hub' | 'base',
  sim: ChildProcess,
  subs: ChildProcess[],
  seconds: number,
  hub: ChildProcess | null,
): Promise<SideRun> {
  const driven = await ask<Driven>(sim, 'drive', (seconds + 120) * 1000, { target, rate: RATE, seconds });
  const replies = await Promise.all(
    subs.map((c) =>
      ask<Collected>(c, 'collect', COLLECT_MS + 30_000, { markers: driven.markers, timeoutMs: COLLECT_MS }),
    ),
  );
  const perMarker: Record<string, number[]> = {};
  for (const r of replies)
    for (const [m, l] of Object.entries(r.latencies)) perMarker[m] = [...(perMarker[m] ?? []), ...l];
  const all = Object.values(perMarker).flat();
  const work = hub
    ? await ask<{
        stages: StageClocks;
        queries: number;
        commentReads: number[];
        workerBusyMs: number;
        loopDelayP99: number;
        statementP50: number;
        statementP99: number;
      }>(hub, 'stages')
    : null;
  return {
    all,
    perMarker,
    ackMs: driven.ackMs,
    sent: driven.markers.length,
    lost: driven.markers.length * SUBSCRIBERS - all.length,
    repeats: replies.reduce((a, r) => a + r.repeats, 0),
    strays: replies.reduce((a, r) => a + r.strays + r.errors, 0),
    failed: driven.failed,
    lateP99: percentile(driven.late, 99),
    clocks: work?.stages ?? null,
    queries: work?.queries ?? 0,
    commentReads: work?.commentReads ?? [],
    workerBusyMs: work?.workerBusyMs ?? 0,
    loopDelayP99: work?.loopDelayP99 ?? 0,
    statementP50: work?.statementP50 ?? 0,
    statementP99: work?.statementP99 ?? 0,
  };
}

export const propagateRow: BenchRow = {
  id: 'propagate',
  what: 'simulator change -> webhook -> hub -> 100 subscribers at 10/s',
  async run(ctx) {
    const seconds = ctx.size === 'full' ? 60 : 10;
    const services: ChildProcess[] = [];
    const clients: ChildProcess[] = [];
    const spawn = (file: string, args: string[] = []) => {
      const c = spawnChild(lib(file), args);
      services.push(c);
      return c;
    };
    try {
      const sim = spawn('propagate-sim.ts', [String(POOL)]);
      const { config } = await nextMessage<{ config: unknown }>(sim, 'ready');
      const hub = spawn('propagate-hub.ts');
      await nextMessage(hub, 'listening');
      hub.send({ type: 'config', config });
      const hubReady = await nextMessage<{
        wsUrl: string;
        webhookUrl: string;
        token: string;
        linked: number;
      }>(hub, 'ready', 300_000);
      if (hubReady.linked < POOL) throw new Error(`hub backfilled ${hubReady.linked} of ${POOL} tickets`);
      const base = spawn('propagate-base.ts');
      const baseReady = await nextMessage<{ wsUrl: string; webhookUrl: string }>(base, 'ready');
      await ask(sim, 'register', 10_000, { hub: hubReady.webhookUrl, base: baseReady.webhookUrl });
      const hubSubs = await spawnClients('gql', hubReady.wsUrl, hubReady.token);
      const baseSubs = await spawnClients('raw', baseReady.wsUrl, '-');
      clients.push(...hubSubs, ...baseSubs);
      await waitActive(hub, SUBSCRIBERS);
      await waitActive(base, SUBSCRIBERS);
      ctx.log(`propagate: ${seconds} s per run at ${RATE}/s, ${SUBSCRIBERS} subscribers per side`);

      const warm = { hub: null as SideRun | null, base: null as SideRun | null };
      const runs = await interleave(
        ctx,
        async (rep) => {
          const r = await runSide('hub', sim, hubSubs, seconds, hub);
          if (rep < 0) warm.hub = r;
          return r;
        },
        async (rep) => {
          const r = await runSide('base', sim, baseSubs, seconds, null);
          if (rep < 0) warm.base = r;
          return r;
        },
      );
      return report(runs.a, runs.b, warm, seconds);
    } finally {
      // `stop` lets the hub and the baseline drop their databases; `close` ends a subscriber child.
      const all = [...clients, ...services];
      for (const c of all) if (c.connected) c.send({ type: clients.includes(c) ? 'close' : 'stop' });
      const exited = (c: ChildProcess) =>
        c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r));
      await Promise.all(all.map((c) => Promise.race([exited(c), sleep(20_000)])));
      await Promise.all(all.map(stopChild));
    }
  },
};

function report(
  hub: SideRun[],
  base: SideRun[],
  warm: { hub: SideRun | null; base: SideRun | null },
  seconds: number,
) {
  const p = (runs: SideRun[], q: number, key: 'all' | 'ackMs' = 'all') =>
    runs.map((r) => percentile(r[key], q));
  const [h50, h99, b50, b99] = [p(hub, 50), p(hub, 99), p(base, 50), p(base, 99)];
  const ratio99 = summarize(h99.map((h, i) => h / b99[i]!));
  const ratio50 = summarize(h50.map((h, i) => h / b50[i]!));
  const [hAck50, hAck99, bAck99] = [
    summarize(p(hub, 50, 'ackMs')),
    summarize(p(hub, 99, 'ackMs')),
    summarize(p(base, 99, 'ackMs')),
  ];
  const hubAll = [...(warm.hub ? [warm.hub] : []), ...hub];
  const baseAll = [...(warm.base ? [warm.base] : []), ...base];
  const sum = (runs: SideRun[], k: 'lost' | 'repeats' | 'strays' | 'failed' | 'sent') =>
    runs.reduce((a, r) => a + r[k], 0);
  const [p50S, p99S] = [summarize(h50), summarize(h99)];
  const lost = sum(hubAll, 'lost');
  const checks: Check[] = [
    { name: 'hub p50 <= 50 ms', ok: p50S.median <= 50, detail: `${p50S.median.toFixed(1)} ms` },
    { name: 'hub p99 <= 250 ms', ok: p99S.median <= 250, detail: `${p99S.median.toFixed(1)} ms` },
    { name: 'webhook ack p99 <= 100 ms', ok: hAck99.median <= 100, detail: `${hAck99.median.toFixed(1)} ms` },
    { name: 'p99 <= 3x baseline', ok: ratio99.median <= 3, detail: `${ratio99.median.toFixed(2)}x` },
    { name: 'p50 <= 3x baseline', ok: ratio50.median <= 3, detail: `${ratio50.median.toFixed(2)}x` },
    {
      name: 'nothing lost, nothing twice',
      ok: lost === 0 && sum(hubAll, 'repeats') === 0 && sum(hubAll, 'failed') === 0,
      detail: `${lost} of ${sum(hubAll, 'sent') * SUBSCRIBERS} deliveries lost, ${sum(hubAll, 'repeats')} repeated, ${sum(hubAll, 'failed')} callbacks refused (warm-up included)`,
    },
  ];
  const gaps = stageGaps(
    hub.map((r) => r.clocks ?? {}),
    hub.map((r) => r.perMarker),
  );
  return {
    baseline: 'node:http -> pg insert + NOTIFY -> ws.send to 100 raw ws clients, same callbacks',
    target: 'p50 <= 50 ms, p99 <= 250 ms, ack p99 <= 100 ms, <= 3x baseline, 0 lost',
    ratio: ratio99,
    ratioLabel: 'p99 hub/baseline, change to subscriber',
    figures: [
      figure('p99 ratio', 'x', 'lower', ratio99),
      figure('p50 ratio', 'x', 'lower', ratio50),
      figure('hub p50', 'ms', 'lower', p50S),
      figure('hub p99', 'ms', 'lower', p99S),
      figure('baseline p50', 'ms', 'lower', summarize(b50)),
      figure('baseline p99', 'ms', 'lower', summarize(b99)),
      figure('hub webhook ack p50', 'ms', 'lower', hAck50),
      figure('hub webhook ack p99', 'ms', 'lower', hAck99),
      figure('baseline webhook ack p99', 'ms', 'lower', bAck99),
    ],
    checks,
    notes: [
      `${seconds} s per run at ${RATE} changes/s (${seconds * RATE} changes) to ${SUBSCRIBERS} subscribers per side${seconds < 60 ? "; --size small shortens the issue's 60 s, --size full runs 60 s" : ''}`,
      `baseline: ${sum(baseAll, 'lost')} deliveries lost, ${sum(baseAll, 'repeats')} repeated; strays/errors hub ${sum(hubAll, 'strays')}, baseline ${sum(baseAll, 'strays')}`,
      `driver start slip p99 (max over runs): hub ${Math.max(...hub.map((r) => r.lateP99)).toFixed(1)} ms, baseline ${Math.max(...base.map((r) => r.lateP99)).toFixed(1)} ms`,
      hubWorkNote(hub, seconds),
      `hub, where the time goes (all measured runs): ${describeGaps(gaps)}`,
      'simulator + driver, hub, baseline and subscribers (2 + 2 processes) each in their own child process; one party (msp viewers, one subscription group)',
    ],
  };
}

/** What the hub did per change, and how busy and starved it was (see propagate-hub.ts). */
function hubWorkNote(hub: SideRun[], seconds: number): string {
  const sent = Math.max(
    1,
    hub.reduce((a, r) => a + r.sent, 0),
  );
  const total = (k: 'queries' | 'workerBusyMs') => hub.reduce((a, r) => a + r[k], 0);
  const reads = hub.flatMap((r) => r.commentReads);
  const busy = total('workerBusyMs') / (hub.length * seconds * 1000);
  const loop = summarize(hub.map((r) => r.loopDelayP99));
  return [
    `hub work per change: ${(total('queries') / sent).toFixed(1)} SQL statements (whole hub process; round trip p50 ${median(hub.map((r) => r.statementP50)).toFixed(1)} / p99 ${median(hub.map((r) => r.statementP99)).toFixed(1)} ms)`,
    `${(reads.length / sent).toFixed(2)} comment reads (p50 ${percentile(reads, 50).toFixed(1)} ms)`,
    `inbound worker busy ${(busy * 100).toFixed(0)}% of the run (${(total('workerBusyMs') / sent).toFixed(1)} ms per change)`,
    `hub event-loop delay p99 ${loop.median.toFixed(1)} ms [${loop.min.toFixed(1)}..${loop.max.toFixed(1)}]`,
  ].join('; ');
}
