import type { BenchRow } from '../lib/harness.ts';

/** Not implemented in the first pass (see the README, "Benchmarks", "Not measured yet"). */
export const quotaRow: BenchRow = {
  id: 'quota',
  what: '100k backfill against Autotask at 10,000 req/hour',
  async run() {
    throw new Error('not implemented yet: this row has no harness code in this pass');
  },
};
