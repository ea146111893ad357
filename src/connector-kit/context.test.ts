import { describe, expect, it } from 'vitest';
import { createConnectorContext, mergeMappings } from './context.ts';
import { createMemoryConnector } from './testing/memory-connector.ts';
import { memoryMappings } from './testing/memory-mapping.ts';

describe('mergeMappings', () => {
  it('overlays a connection override entry by entry, both directions', () => {
    const maps = mergeMappings(memoryMappings, {
      status: {
        toCanonical: { 'waiting-on-vendor': 'WAITING' },
        fromCanonical: { WAITING: 'waiting-on-vendor' },
      },
      priority: { fromCanonical: { CRITICAL: '0' } },
    });
    expect(maps.status.toCanonical['waiting-on-vendor']).toBe('WAITING');
    expect(maps.status.toCanonical.stalled).toBe('WAITING');
    expect(maps.status.fromCanonical.WAITING).toBe('waiting-on-vendor');
    expect(maps.status.fromCanonical.OPEN).toBe('open');
    expect(maps.priority.fromCanonical).toEqual({ CRITICAL: '0', HIGH: '2', MEDIUM: '3', LOW: '4' });
  });

  it("never changes the connector's shared defaults, and ignores undefined entries", () => {
    const before = structuredClone(memoryMappings);
    const maps = mergeMappings(memoryMappings, {
      status: { fromCanonical: { OPEN: undefined, NEW: 'fresh' } },
    });
    expect(maps.status.fromCanonical.OPEN).toBe('open');
    expect(memoryMappings).toEqual(before);
  });
});

describe('createConnectorContext', () => {
  it('gives a silent logger, a real clock and one HTTP client per distinct option set', () => {
    const connector = createMemoryConnector();
    const config = { baseUrl: 'http://127.0.0.1:1', apiToken: 't', webhookSecret: 'whsec-123', pageSize: 5 };
    const ctx = createConnectorContext(connector, { connectionId: 'c1', config });
    expect(ctx.maps).toEqual(memoryMappings);
    expect(() => ctx.log.warn({ a: 1 }, 'quiet')).not.toThrow();
    expect(ctx.now()).toBeInstanceOf(Date);
    expect(ctx.http({ baseURL: config.baseUrl })).toBe(ctx.http({ baseURL: config.baseUrl }));
    const other = createConnectorContext(connector, { connectionId: 'c2', config });
    expect(other.http({ baseURL: config.baseUrl })).not.toBe(ctx.http({ baseURL: config.baseUrl }));
  });
});
