/**
 * Where the hub's time goes in the propagate row: per change, the gaps between the stage clocks
 * the hub child notes (see propagate-hub.ts), from the driver's stamp to the median
 * subscriber's receive. Pure functions over the collected timestamps.
 */
import type { Stage } from './propagate-hub.ts';
import { median, percentile } from './stats.ts';

export type StageClocks = Record<string, Partial<Record<Stage, number>>>;

const GAPS: Array<{ name: string; from: Stage | 'stamp'; to: Stage | 'received' }> = [
  { name: 'change -> webhook received', from: 'stamp', to: 'in' },
  { name: 'webhook verify + enqueue (ack)', from: 'in', to: 'ack' },
  { name: 'ack -> inbound worker fetches', from: 'ack', to: 'fetchStart' },
  { name: 'vendor fetch (GET ticket)', from: 'fetchStart', to: 'fetchEnd' },
  { name: 'merge + commit -> NOTIFY at dispatcher', from: 'fetchEnd', to: 'notified' },
  { name: 'dispatcher reads event -> publish', from: 'notified', to: 'published' },
  { name: 'publish -> median subscriber receives', from: 'published', to: 'received' },
];

/** Per gap, the ms it took for each change whose clocks were all noted. */
export function stageGaps(
  clocks: StageClocks[],
  latencies: Array<Record<string, number[]>>,
): Array<{ name: string; samples: number[] }> {
  const out = GAPS.map((g) => ({ name: g.name, samples: [] as number[] }));
  clocks.forEach((run, i) => {
    for (const [marker, at] of Object.entries(run)) {
      const got = latencies[i]?.[marker];
      if (!got?.length) continue;
      const stamp = Number(marker);
      const times: Record<string, number | undefined> = { ...at, stamp, received: stamp + median(got) };
      GAPS.forEach((g, k) => {
        const from = times[g.from];
        const to = times[g.to];
        if (from !== undefined && to !== undefined) out[k]!.samples.push(to - from);
      });
    }
  });
  return out;
}

export function describeGaps(gaps: Array<{ name: string; samples: number[] }>): string {
  return gaps
    .map(
      (g) =>
        `${g.name} p50 ${percentile(g.samples, 50).toFixed(1)} / p99 ${percentile(g.samples, 99).toFixed(1)} ms`,
    )
    .join('; ');
}
