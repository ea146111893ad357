// Run with: node --import tsx --test bench/lib/stats.test.ts   (or `npm run bench -- --self-test`)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRegressions, median, percentile, summarize, worsening } from './stats.ts';

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('nearest-rank percentiles', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([5], 99), 5);
  assert.equal(percentile([10, 1], 0), 1);
});

test('summary keeps min, max and count', () => {
  assert.deepEqual(summarize([2, 9, 4]), { median: 4, min: 2, max: 9, n: 3 });
});

test('worsening respects direction', () => {
  assert.equal(worsening(100, 70, 'higher'), 0.3);
  assert.equal(worsening(100, 130, 'higher'), 0);
  assert.ok(Math.abs(worsening(10, 13, 'lower') - 0.3) < 1e-9);
  assert.equal(worsening(10, 8, 'lower'), 0);
});

test('regressions over 20% are flagged, smaller ones are not', () => {
  const fig = (name: string, m: number, better: 'higher' | 'lower') => ({
    name,
    unit: 'x',
    better,
    value: { median: m, min: m, max: m, n: 5 },
  });
  const prev = { read: [fig('throughput', 1000, 'higher'), fig('p99', 10, 'lower')] };
  const cur = { read: [fig('throughput', 850, 'higher'), fig('p99', 13, 'lower')], other: [] };
  const found = findRegressions(prev, cur, 0.2);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.figure, 'p99');
});
