import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.ts';
import { inScope, resolveCreateScope, scopeIsEmpty } from './scope.ts';

const ctx = (scopeKeys: readonly string[] | null) => ({ connectionId: 'cw-main', scopeKeys });

describe('resolveCreateScope', () => {
  it('takes the draft key, else the only scope key, else the fallback', () => {
    expect(resolveCreateScope(ctx(['acme', 'globex']), { scopeKey: 'globex' })).toBe('globex');
    expect(resolveCreateScope(ctx(['acme']), { scopeKey: null }, 'other')).toBe('acme');
    expect(resolveCreateScope(ctx(null), {}, 'fallback')).toBe('fallback');
    expect(resolveCreateScope(ctx(null), {})).toBeNull();
  });

  it('refuses a key outside the scope with a non-retryable error naming key and scope', () => {
    const err = (() => {
      try {
        resolveCreateScope(ctx(['acme']), { scopeKey: 'globex' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).retryable).toBe(false);
    expect((err as Error).message).toContain('"globex"');
    expect((err as Error).message).toContain('scoped to "acme"');
  });

  it('refuses a create naming no customer on a connection serving several, and any on an empty scope', () => {
    expect(() => resolveCreateScope(ctx(['acme', 'globex']), {})).toThrow(/names none/);
    expect(() => resolveCreateScope(ctx(['acme', 'globex']), {}, 'initech')).toThrow(/"initech"/);
    expect(() => resolveCreateScope(ctx([]), { scopeKey: 'acme' })).toThrow(/scoped to no customer/);
  });
});

describe('inScope and scopeIsEmpty', () => {
  it('an unscoped connection holds every key; a scoped one only its own', () => {
    expect(inScope(ctx(null), 'x')).toBe(true);
    expect(inScope(ctx(['a']), 'a')).toBe(true);
    expect(inScope(ctx(['a']), 'b')).toBe(false);
    expect(inScope(ctx(['a']), null)).toBe(false);
    expect(scopeIsEmpty(ctx([]))).toBe(true);
    expect(scopeIsEmpty(ctx(null))).toBe(false);
  });
});
