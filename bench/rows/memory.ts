/**
 * memory: resident memory per idle subscriber. The hub runs in its own process; RSS is taken
 * after forced GC with no subscribers and with N idle graphql-ws subscribers (one socket and
 * one subscription each, two parties), repeated; the figure is (RSS_N - RSS_0) / N.
 */
import { type BenchRow, figure, sleep, stopChild } from '../lib/harness.ts';
import { startHubProc } from '../lib/hub-client.ts';
import { summarize } from '../lib/stats.ts';
import { spawnSubscribers, waitActive } from './fanout.ts';

export const memoryRow: BenchRow = {
  id: 'memory',
  what: 'resident memory per idle subscriber',
  async run(ctx) {
    const n = ctx.size === 'full' ? 10_000 : 5_000;
    const hub = await startHubProc();
    const perSub: number[] = [];
    const heapPer: number[] = [];
    try {
      // Warm-up: one cycle so lazily loaded code and pools are already resident.
      for (let rep = -1; rep < ctx.reps; rep++) {
        await waitIdle(hub);
        const before = await hub.mem();
        const subs = await spawnSubscribers(
          'gql',
          hub.wsUrl,
          [hub.tokens.internalViewer, hub.tokens.mspViewer],
          n,
        );
        await waitActive(hub, n);
        await sleep(1000);
        const after = await hub.mem();
        if (rep >= 0) {
          perSub.push((after.rss - before.rss) / n);
          heapPer.push((after.heap - before.heap) / n);
        }
        for (const c of subs) c.send({ type: 'close' });
        await Promise.all(subs.map(stopChild));
      }
    } finally {
      await hub.stop();
    }
    const kb = summarize(perSub.map((b) => b / 1024));
    return {
      baseline: 'none (absolute)',
      target: '<= 16 KB per idle subscriber',
      ratio: kb,
      ratioLabel: 'KB RSS per subscriber',
      figures: [
        figure('RSS per subscriber', 'KB', 'lower', kb),
        figure('heap per subscriber', 'KB', 'lower', summarize(heapPer.map((b) => b / 1024))),
      ],
      checks: [{ name: '<= 16 KB', ok: kb.median <= 16, detail: `${kb.median.toFixed(1)} KB (N=${n})` }],
      notes: [`N=${n} idle subscribers, 1 subscription per socket; RSS after global.gc() x3`],
    };
  },
};

async function waitIdle(hub: Awaited<ReturnType<typeof startHubProc>>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await hub.stats()).active > 0 && Date.now() < deadline) await sleep(100);
}
