/**
process.env.NODE_ENV ??= 'production';
 * `npm run bench [-- --size small|full] [--only read,fanout] [--reps 5] [--self-test]`
 *
 * Runs each row (hub vs a raw baseline, interleaved, in the same run), prints a table with
 * every ratio, its target and PASS/MISS, writes bench/results/<timestamp>.json and latest.json,
 * and flags any figure more than 20% worse than the previous run of the same size.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { BenchContext, BenchRow, RowResult, Size } from './lib/harness.ts';
import { machineInfo, printTable, saveAndCompare } from './lib/report.ts';

const ROWS: Record<string, () => Promise<BenchRow>> = {
  read: async () => (await import('./rows/read.ts')).readRow,
  fanout: async () => (await import('./rows/fanout.ts')).fanoutRow,
  memory: async () => (await import('./rows/memory.ts')).memoryRow,
  backfill: async () => (await import('./rows/backfill.ts')).backfillRow,
  idempotent: async () => (await import('./rows/backfill.ts')).idempotentRow,
  incremental: async () => (await import('./rows/incremental.ts')).incrementalRow,
  quota: async () => (await import('./rows/quota.ts')).quotaRow,
  propagate: async () => (await import('./rows/propagate.ts')).propagateRow,
  flood: async () => (await import('./rows/flood.ts')).floodRow,
};

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    only: { type: 'string' },
    reps: { type: 'string' },
    'self-test': { type: 'boolean', default: false },
  },
});

if (values['self-test']) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', new URL('./lib/stats.test.ts', import.meta.url).pathname],
    {
      stdio: 'inherit',
    },
  );
  process.exit(r.status ?? 1);
}

const size = values.size as Size;
if (size !== 'small' && size !== 'full') throw new Error(`--size must be small or full, got ${values.size}`);
const ids = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(ROWS);
const unknown = ids.filter((id) => !ROWS[id]);
if (unknown.length)
  throw new Error(`unknown rows: ${unknown.join(', ')} (known: ${Object.keys(ROWS).join(', ')})`);

const ctx: BenchContext = {
  size,
  reps: Math.max(5, Number(values.reps ?? 5)),
  log: (m) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${m}`),
};
const startedAt = new Date().toISOString();
const machine = machineInfo();
console.log(
  `bench --size ${size}, ${ctx.reps} reps, rows: ${ids.join(', ')}\nmachine: ${JSON.stringify(machine)}`,
);

const results: RowResult[] = [];
for (const id of ids) {
  const row = await ROWS[id]!();
  ctx.log(`row ${id}: ${row.what}`);
  const t0 = performance.now();
  try {
    const r = await row.run(ctx);
    const status = r.checks.every((c) => c.ok) ? 'PASS' : 'MISS';
    results.push({ id, what: row.what, ...r, status, seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    console.error(err);
    results.push({
      id,
      what: row.what,
      baseline: '-',
      target: '-',
      ratio: null,
      ratioLabel: '-',
      figures: [],
      checks: [],
      notes: [],
      status: 'ERROR',
      error: err instanceof Error ? err.message : String(err),
      seconds: (performance.now() - t0) / 1000,
    });
  }
  ctx.log(`row ${id}: ${results.at(-1)!.status} in ${results.at(-1)!.seconds!.toFixed(0)} s`);
}

printTable(results);
saveAndCompare({ startedAt, size, reps: ctx.reps, machine, rows: results });
process.exit(0);
