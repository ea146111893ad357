import type { BenchRow } from '../lib/harness.ts';

/** Not implemented in the first pass (see the README, "Benchmarks", "Not measured yet"). */
export const propagateRow: BenchRow = {
  id: 'propagate',
  what: 'simulator change -> webhook -> hub -> 100 subscribers at 10/s',
  async run() {
    throw new Error('not implemented yet: this row has no harness code in this pass');
  },
};
