/** What a row gets and returns, and the helpers every row shares (interleaving, children). */
import { type ChildProcess, fork } from 'node:child_process';
import type { Figure, Summary } from './stats.ts';

export type Size = 'small' | 'full';

export interface BenchContext {
  size: Size;
  /** Measured repetitions per side (after one warm-up each). */
  reps: number;
  log(message: string): void;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface RowResult {
  id: string;
  what: string;
  baseline: string;
  target: string;
  /** The headline ratio (hub / baseline, or whatever the row's target is stated in). */
  ratio: Summary | null;
  ratioLabel: string;
  /** p50/p99 and other figures; all of them feed the regression check. */
  figures: Figure[];
  checks: Check[];
  notes: string[];
  status: 'PASS' | 'MISS' | 'ERROR';
  error?: string;
  seconds?: number;
}

export interface BenchRow {
  id: string;
  what: string;
  run(ctx: BenchContext): Promise<Omit<RowResult, 'status' | 'id' | 'what'>>;
}

export function figure(name: string, unit: string, better: 'higher' | 'lower', value: Summary): Figure {
  return { name, unit, better, value };
}

/**
 * A then B, `reps` times, after one warm-up of each: both sides see the same machine noise
 * (other engineers share this box), so their ratio is steadier than either figure alone.
 */
export async function interleave<A, B>(
  ctx: BenchContext,
  a: (rep: number) => Promise<A>,
  b: (rep: number) => Promise<B>,
): Promise<{ a: A[]; b: B[] }> {
  await a(-1);
  await b(-1);
  const out = { a: [] as A[], b: [] as B[] };
  for (let i = 0; i < ctx.reps; i++) {
    out.a.push(await a(i));
    out.b.push(await b(i));
  }
  return out;
}

/** A TypeScript child process (`node --import tsx`) talking over IPC. */
export function spawnChild(script: URL, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  return fork(script.pathname, args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message of `type` from a child (fails after `timeoutMs` or if it exits). */
export function nextMessage<T = Record<string, unknown>>(
  child: ChildProcess,
  type: string,
  timeoutMs = 120_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`child did not send "${type}" in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (msg: { type?: string }) => {
      if (msg?.type === type) done(null, msg as T);
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before "${type}"`));
    function done(err: Error | null, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function ratioOf(hub: number[], base: number[]): number[] {
  return hub.map((h, i) => h / (base[i] ?? Number.NaN));
}
