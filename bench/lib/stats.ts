/**
 * The numbers every row reports. Pure functions, unit-tested in `stats.test.ts`: a benchmark
 * whose arithmetic is wrong is worse than none.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Middle value; the mean of the two middle ones for an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    median: median(samples),
    min: samples.length ? Math.min(...samples) : Number.NaN,
    max: samples.length ? Math.max(...samples) : Number.NaN,
    n: samples.length,
  };
}

/** One reported figure of a row; `better` says which way is good (for the regression check). */
export interface Figure {
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  value: Summary;
}

export interface Regression {
  row: string;
  figure: string;
  previous: number;
  current: number;
  /** Relative change in the bad direction (0.25 = 25% worse). */
  worseBy: number;
}

/** How much worse `current` is than `previous` (0 when equal or better). */
export function worsening(previous: number, current: number, better: 'higher' | 'lower'): number {
  if (!Number.isFinite(previous) || !Number.isFinite(current) || previous === 0) return 0;
  const change = better === 'higher' ? (previous - current) / previous : (current - previous) / previous;
  return Math.max(0, change);
}

/**
 * Figures whose median got worse by more than `threshold` between two runs of the same size.
 * Rows or figures present in only one run are skipped.
 */
export function findRegressions(
  previous: Record<string, Figure[]>,
  current: Record<string, Figure[]>,
  threshold = 0.2,
): Regression[] {
  const out: Regression[] = [];
  for (const [row, figures] of Object.entries(current)) {
    const before = previous[row];
    if (!before) continue;
    for (const fig of figures) {
      const old = before.find((f) => f.name === fig.name);
      if (!old) continue;
      const worseBy = worsening(old.value.median, fig.value.median, fig.better);
      if (worseBy > threshold) {
        out.push({ row, figure: fig.name, previous: old.value.median, current: fig.value.median, worseBy });
      }
    }
  }
  return out;
}
