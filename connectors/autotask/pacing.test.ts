import { describe, expect, it } from 'vitest';
import {
  decidePacing,
  estimateUsed,
  ownFreedInMs,
  ownInWindow,
  thresholdReadDue,
  waitBeforeNext,
} from './pacing.ts';

const hour = 3_600_000;
const policy = { startRatio: 0.5, reserve: 200, maxWaitMs: 30_000 };

describe('decidePacing', () => {
  it('lets requests go at once below the start ratio', () => {
    expect(decidePacing({ threshold: 10_000, timeframeMs: hour, used: 4_999 }, 0, policy)).toEqual({
      action: 'go',
      spacingMs: 0,
    });
  });

  it('spreads the rest of the budget over a whole timeframe above it', () => {
    // 10,000 - 200 reserve - 5,000 used = 4,800 left: one request every 750 ms.
    expect(decidePacing({ threshold: 10_000, timeframeMs: hour, used: 5_000 }, 0, policy)).toEqual({
      action: 'go',
      spacingMs: 750,
    });
    expect(decidePacing({ threshold: 10_000, timeframeMs: hour, used: 9_000 }, 0, policy)).toEqual({
      action: 'go',
      spacingMs: 4_500,
    });
  });

  it('counts the requests sent since the snapshot was read', () => {
    const snapshot = { threshold: 10_000, timeframeMs: hour, used: 4_000 };
    expect(decidePacing(snapshot, 999, policy)).toEqual({ action: 'go', spacingMs: 0 });
    expect(decidePacing(snapshot, 1_000, policy)).toEqual({ action: 'go', spacingMs: 750 });
  });

  it('defers once the budget (threshold minus reserve) is used, with a retry-after estimate', () => {
    const decision = decidePacing({ threshold: 10_000, timeframeMs: hour, used: 9_800 }, 0, policy);
    expect(decision).toEqual({ action: 'defer', retryAfterSeconds: 1 });
    const over = decidePacing({ threshold: 10_000, timeframeMs: hour, used: 10_000 }, 0, policy);
    expect(over.action).toBe('defer');
    expect(over.action === 'defer' && over.retryAfterSeconds).toBe(73);
  });

  it('defers instead of sleeping longer than maxWaitMs', () => {
    // 9,700 used: 100 left, one per 36 s, longer than the 30 s policy.
    expect(decidePacing({ threshold: 10_000, timeframeMs: hour, used: 9_700 }, 0, policy)).toEqual({
      action: 'defer',
      retryAfterSeconds: 36,
    });
  });

  it('treats nonsense snapshots conservatively', () => {
    expect(
      decidePacing({ threshold: 0, timeframeMs: hour, used: 5 }, 0, { ...policy, reserve: 0 }).action,
    ).toBe('defer');
    // An unreadable start ratio paces from the first request; a negative count reads as 0.
    const unsure = { startRatio: Number.NaN, reserve: 0, maxWaitMs: 60_000 };
    expect(decidePacing({ threshold: 100, timeframeMs: hour, used: -5 }, 0, unsure)).toEqual({
      action: 'go',
      spacingMs: 36_000,
    });
  });
});

describe('waitBeforeNext and thresholdReadDue', () => {
  it('waits out the spacing since the previous start', () => {
    expect(waitBeforeNext(null, 1_000, 500)).toBe(0);
    expect(waitBeforeNext(1_000, 1_200, 500)).toBe(300);
    expect(waitBeforeNext(1_000, 2_000, 500)).toBe(0);
    expect(waitBeforeNext(1_000, 1_200, 0)).toBe(0);
  });

  it('re-reads when never read, after `every` requests, or when the snapshot is old', () => {
    const options = { every: 50, maxAgeMs: 60_000 };
    expect(thresholdReadDue(null, 0, 0, options)).toBe(true);
    expect(thresholdReadDue(0, 49, 59_999, options)).toBe(false);
    expect(thresholdReadDue(0, 50, 1, options)).toBe(true);
    expect(thresholdReadDue(0, 1, 60_000, options)).toBe(true);
    // An old snapshot is not re-read while nothing was sent since.
    expect(thresholdReadDue(0, 0, 60_000, options)).toBe(false);
  });
});

describe('own accounting between threshold reads', () => {
  const snapshot = { threshold: 100, timeframeMs: 10_000, used: 60 };

  it('keeps the usage of others from the snapshot and counts our requests as they enter and leave', () => {
    // Read at t=5,000 with 60 used, 20 of them ours (t=1,000..1,950).
    const ours = Array.from({ length: 20 }, (_, i) => 1_000 + i * 50);
    expect(ownInWindow(ours, 5_000, 10_000)).toBe(20);
    expect(estimateUsed(snapshot, 5_000, ours, 5_000)).toBe(60);
    // Ten more of ours after the read, one of them given a slot in the future.
    const more = [...ours, ...Array.from({ length: 10 }, (_, i) => 6_000 + i * 100)];
    expect(estimateUsed(snapshot, 5_000, more, 6_500)).toBe(70);
    // At t=11,450 our first ten (t <= 1,450) have left the window.
    expect(estimateUsed(snapshot, 5_000, more, 11_450)).toBe(60);
  });

  it('tells when enough of our own requests leave the window, or that it cannot', () => {
    const ours = [3_000, 1_000, 2_000];
    expect(ownFreedInMs(ours, 9_000, 10_000, 1)).toBe(2_001);
    expect(ownFreedInMs(ours, 9_000, 10_000, 2)).toBe(3_001);
    expect(ownFreedInMs(ours, 9_000, 10_000, 4)).toBeNull();
    expect(ownFreedInMs(ours, 11_500, 10_000, 1)).toBe(501);
  });

  it('does not re-read for age alone until enough requests went out, but does once stale', () => {
    const options = { every: 50, maxAgeMs: 5_000, minSent: 5, staleMs: 30_000 };
    expect(thresholdReadDue(0, 4, 6_000, options)).toBe(false);
    expect(thresholdReadDue(0, 5, 6_000, options)).toBe(true);
    expect(thresholdReadDue(0, 0, 30_000, options)).toBe(true);
    expect(thresholdReadDue(0, 50, 1, options)).toBe(true);
  });
});
