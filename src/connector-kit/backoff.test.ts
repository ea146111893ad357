import { describe, expect, it } from 'vitest';
import { computeBackoffMs, parseRetryAfter } from './backoff.ts';
import { createRequestLimiter } from './limiter.ts';

describe('computeBackoffMs', () => {
  const half = () => 0.5;

  it('doubles the step each attempt and draws uniformly below it (full jitter)', () => {
    expect(
      [0, 1, 2, 3].map((a) => computeBackoffMs(a, { baseMs: 100, maxMs: 10_000, random: half })),
    ).toEqual([50, 100, 200, 400]);
  });

  it('never exceeds the ceiling, whatever the attempt', () => {
    const almostOne = () => 0.999_999;
    expect(computeBackoffMs(50, { baseMs: 100, maxMs: 1000, random: almostOne })).toBeLessThan(1000);
    expect(computeBackoffMs(5000, { baseMs: 100, maxMs: 1000, random: half })).toBe(500);
  });

  it('can be zero, which is what spreads synchronized clients out', () => {
    expect(computeBackoffMs(2, { baseMs: 100, maxMs: 1000, random: () => 0 })).toBe(0);
  });

  it('uses Retry-After as given, without jitter or ceiling', () => {
    expect(computeBackoffMs(0, { baseMs: 100, maxMs: 1000, retryAfterMs: 5000, random: half })).toBe(5000);
    expect(computeBackoffMs(3, { baseMs: 100, maxMs: 1000, retryAfterMs: 0, random: half })).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-03-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('createRequestLimiter', () => {
  it('queues beyond the concurrency cap and hands slots over in arrival order', async () => {
    const limiter = createRequestLimiter({ maxConcurrency: 2 });
    const order: number[] = [];
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    const third = limiter.acquire().then((release) => {
      order.push(3);
      return release;
    });
    const fourth = limiter.acquire().then((release) => {
      order.push(4);
      return release;
    });
    await Promise.resolve();
    expect(limiter.inFlight).toBe(2);
    expect(order).toEqual([]);
    first();
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(limiter.inFlight).toBe(0);
  });

  it('spaces starts by the per-second limit', async () => {
    // Only a lower bound is asserted: a slow machine can make this slower, never faster.
    const limiter = createRequestLimiter({ maxConcurrency: 10, maxRequestsPerSecond: 50 });
    const startedAt = performance.now();
    const releases = await Promise.all([1, 2, 3, 4, 5].map(() => limiter.acquire()));
    const elapsed = performance.now() - startedAt;
    for (const release of releases) release();
    expect(elapsed).toBeGreaterThanOrEqual(4 * 20 - 5);
    expect(limiter.inFlight).toBe(0);
  });
});
