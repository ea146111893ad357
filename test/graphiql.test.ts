import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './support/hub.ts';

// GraphiQL must work on a machine with no internet: every script and style it needs is served
// by the hub itself, never fetched from a CDN. PGlite only: the page does not touch the database.
describe('GraphiQL offline', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('pglite', { GRAPHIQL: 'true' });
  });
  afterAll(async () => hub?.stop());

  it('serves a page that loads nothing from another host', async () => {
    const res = await fetch(hub.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/graphiql/i);
    // Attributes may be unquoted in yoga's page (`src=https://unpkg.com/...`).
    const external = [
      ...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\/[^"'\s>]+/gi),
    ].map((m) => m[0]);
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr|esm\.sh/);
    // The bundled renderer inlines GraphiQL itself: the page is large and self-contained.
    expect(html.length).toBeGreaterThan(100_000);
  });

  it('is off when GRAPHIQL=false', async () => {
    const off = await startTestHub('pglite', { GRAPHIQL: 'false' });
    try {
      const res = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(await res.text()).not.toMatch(/graphiql/i);
    } finally {
      await off.stop();
    }
  });
});
