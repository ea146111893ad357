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
});
