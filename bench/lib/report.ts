/** The table on stdout and the JSON files under bench/results/. */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { RowResult, Size } from './harness.ts';
import { type Figure, findRegressions, type Regression, type Summary } from './stats.ts';

export const RESULTS_DIR = new URL('../results/', import.meta.url);

export interface RunFile {
  startedAt: string;
  size: Size;
  reps: number;
  machine: Record<string, string | number>;
  rows: RowResult[];
  regressions: Regression[];
}

export function machineInfo(): Record<string, string | number> {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memTotalGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    freeH: sh('free -h | sed -n 2p'),
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    node: process.version,
    postgres: sh(
      `psql "${process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'}" -Atc "show server_version"`,
    ),
  };
}

const fmt = (s: Summary | null) =>
  !s || Number.isNaN(s.median) ? '-' : `${num(s.median)} [${num(s.min)}..${num(s.max)}]`;
const num = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);

export function printTable(rows: RowResult[]): void {
  const header = ['row', 'ratio (median [min..max])', 'measure', 'target', 'status'];
  const lines = rows.map((r) => [r.id, fmt(r.ratio), r.ratioLabel, r.target, r.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const l of lines) console.log(line(l));
  for (const r of rows) {
    console.log(
      `\n[${r.id}] ${r.what}  (baseline: ${r.baseline}${r.seconds ? `, ${r.seconds.toFixed(0)} s` : ''})`,
    );
    if (r.error) console.log(`  ERROR: ${r.error}`);
    for (const c of r.checks) console.log(`  ${c.ok ? 'ok  ' : 'MISS'} ${c.name}: ${c.detail}`);
    for (const f of r.figures) console.log(`       ${f.name}: ${fmt(f.value)} ${f.unit}`);
    for (const n of r.notes) console.log(`  note: ${n}`);
  }
}

function figuresByRow(file: RunFile): Record<string, Figure[]> {
  return Object.fromEntries(file.rows.map((r) => [r.id, r.figures]));
}

/** Writes `<timestamp>.json` and `latest.json`; compares with the previous latest of the same size. */
export function saveAndCompare(run: Omit<RunFile, 'regressions'>, threshold = 0.2): RunFile {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const latest = new URL('latest.json', RESULTS_DIR);
  let previous: RunFile | null = null;
  if (existsSync(latest)) {
    try {
      previous = JSON.parse(readFileSync(latest, 'utf8')) as RunFile;
    } catch {
      previous = null;
    }
  }
  const regressions =
    previous && previous.size === run.size
      ? findRegressions(figuresByRow(previous), figuresByRow(run as RunFile), threshold)
      : [];
  const file: RunFile = { ...run, regressions };
  const stamp = run.startedAt.replace(/[:.]/g, '-');
  writeFileSync(new URL(`${stamp}.json`, RESULTS_DIR), JSON.stringify(file, null, 2));
  // Keep the previous latest's rows that this run did not measure (--only), so the next
  // comparison still has something to compare them with.
  const merged =
    previous && previous.size === run.size
      ? {
          ...file,
          rows: [...file.rows, ...previous.rows.filter((p) => !file.rows.some((r) => r.id === p.id))],
        }
      : file;
  writeFileSync(latest, JSON.stringify(merged, null, 2));
  if (previous && previous.size !== run.size)
    console.log(`\n(previous results were --size ${previous.size}: no comparison)`);
  else if (!previous) console.log('\n(no previous results: nothing to compare with)');
  else if (regressions.length === 0)
    console.log(`\nNo regression over ${threshold * 100}% against ${previous.startedAt}.`);
  for (const r of regressions) {
    console.log(
      `REGRESSION ${r.row} / ${r.figure}: ${num(r.previous)} -> ${num(r.current)} (${(r.worseBy * 100).toFixed(0)}% worse)`,
    );
  }
  return file;
}
