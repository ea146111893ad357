import { describe, expect, it } from 'vitest';
import { decidePacing, thresholdReadDue, waitBeforeNext } from './pacing.ts';

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
    expect(thresholdReadDue(0, 0, 60_000, options)).toBe(true);
  });
});
