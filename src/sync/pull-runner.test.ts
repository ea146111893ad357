import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connector-kit/errors.ts';
import { nextPullDelay } from './pull-runner.ts';

describe('nextPullDelay', () => {
  const interval = 300_000;

  it('waits the poll interval after a pull that worked or failed without a hint', () => {
    expect(nextPullDelay(interval, null)).toBe(interval);
    expect(nextPullDelay(interval, new Error('socket hang up'))).toBe(interval);
    expect(nextPullDelay(interval, new ConnectorError('auth', 'bad key', {}))).toBe(interval);
  });

  it('comes back when the tool said, if that is sooner than the interval', () => {
    const deferred = new ConnectorError('rate_limited', 'budget used up', { retryAfterSeconds: 42 });
    expect(nextPullDelay(interval, deferred)).toBe(42_000);
    const late = new ConnectorError('rate_limited', 'come back tomorrow', { retryAfterSeconds: 86_400 });
    expect(nextPullDelay(interval, late)).toBe(interval);
  });
});
