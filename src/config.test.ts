import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('has working defaults: embedded database, port 4000, GraphiQL outside production', () => {
    const cfg = parseConfig({});
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.HUB_DATA_DIR).toBe('./.hub-data');
    expect(cfg.PORT).toBe(4000);
    expect(cfg.graphiql).toBe(true);
    expect(parseConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
  });

  it('reports every bad value at once, by name', () => {
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/DATABASE_URL: must start with postgres/);
      expect(msg).toMatch(/LOG_LEVEL/);
    }
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(4000);
  });

  it('reads CORS_ORIGINS as a list of origins and refuses paths and other schemes', () => {
    expect(parseConfig({}).CORS_ORIGINS).toEqual([]);
    expect(
      parseConfig({ CORS_ORIGINS: 'https://ops.example.com, http://localhost:5173/' }).CORS_ORIGINS,
    ).toEqual(['https://ops.example.com', 'http://localhost:5173']);
    expect(() => parseConfig({ CORS_ORIGINS: 'https://ops.example.com/app' })).toThrow(
      /CORS_ORIGINS.*origin/,
    );
    expect(() => parseConfig({ CORS_ORIGINS: 'ftp://files.example.com' })).toThrow(/CORS_ORIGINS/);
  });

  it('defaults TOKEN_RECHECK_MS to 30 s', () => {
    expect(parseConfig({}).TOKEN_RECHECK_MS).toBe(30_000);
  });
});
