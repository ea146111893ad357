import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getHeader, hmac, safeEqual, verifyHmac, withinReplayWindow } from './signatures.ts';

describe('hmac', () => {
  it('matches node:crypto in every encoding', () => {
    const expected = createHmac('sha256', 'k').update('body').digest('hex');
    expect(hmac('sha256', 'k', 'body', 'hex')).toBe(expected);
    expect(hmac('sha1', 'k', Buffer.from('body'), 'base64')).toBe(
      createHmac('sha1', 'k').update('body').digest('base64'),
    );
  });
});

describe('safeEqual', () => {
  it('compares strings and buffers of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual(Buffer.from('abc'), 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'a')).toBe(false);
  });
});

describe('verifyHmac', () => {
  const payload = '{"id":42}';
  const key = 'whsec';

  it('accepts the vendor signature with its prefix, in any hex case', () => {
    const signature = `sha256=${hmac('sha256', key, payload, 'hex').toUpperCase()}`;
    expect(
      verifyHmac({ algorithm: 'sha256', key, payload, signature, encoding: 'hex', prefix: 'sha256=' }),
    ).toBe(true);
    const sha1 = `SHA1=${hmac('sha1', key, payload, 'base64')}`;
    expect(
      verifyHmac({ algorithm: 'sha1', key, payload, signature: sha1, encoding: 'base64', prefix: 'sha1=' }),
    ).toBe(true);
  });

  it('rejects a tampered body, a wrong key, a missing prefix and an empty signature', () => {
    const good = hmac('sha256', key, payload, 'base64');
    const base = { algorithm: 'sha256', key, payload, encoding: 'base64' } as const;
    expect(verifyHmac({ ...base, signature: good })).toBe(true);
    expect(verifyHmac({ ...base, payload: '{"id":43}', signature: good })).toBe(false);
    expect(verifyHmac({ ...base, key: 'other', signature: good })).toBe(false);
    expect(verifyHmac({ ...base, signature: good, prefix: 'sha256=' })).toBe(false);
    expect(verifyHmac({ ...base, signature: '' })).toBe(false);
    expect(verifyHmac({ ...base, signature: undefined })).toBe(false);
  });

  it('does not accept a truncated hex signature that decodes to a prefix of the digest', () => {
    const full = hmac('sha256', key, payload, 'hex');
    const base = { algorithm: 'sha256', key, payload, encoding: 'hex' } as const;
    expect(verifyHmac({ ...base, signature: `${full}zz` })).toBe(false);
    expect(verifyHmac({ ...base, signature: full.slice(0, 10) })).toBe(false);
  });
});

describe('withinReplayWindow', () => {
  const now = new Date('2025-03-01T12:00:00Z');

  it('accepts times within the window on either side and rejects older or unreadable ones', () => {
    expect(withinReplayWindow(new Date(now.getTime() - 299_000), now, 300_000)).toBe(true);
    expect(withinReplayWindow(now.getTime() + 60_000, now, 300_000)).toBe(true);
    expect(withinReplayWindow(new Date(now.getTime() - 3_600_000), now, 300_000)).toBe(false);
    expect(withinReplayWindow(new Date('garbage'), now, 300_000)).toBe(false);
  });
});

describe('getHeader', () => {
  it('finds a header whatever its case', () => {
    expect(getHeader({ 'x-hook-signature': 'a' }, 'X-Hook-Signature')).toBe('a');
    expect(getHeader({ 'X-Hook-Signature': 'b' }, 'x-hook-signature')).toBe('b');
    expect(getHeader({}, 'x')).toBeUndefined();
  });
});
