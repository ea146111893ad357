import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDashboardFile, useDashboard } from './use-dashboard.ts';

const schema = createSchema({ typeDefs: 'type Query { ok: Boolean }' });
const serve = (dist: string) => createYoga({ schema, plugins: [useDashboard(dist)], logging: false });

describe('useDashboard', () => {
  let root: string;
  let dist: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hub-dashboard-'));
    dist = join(root, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>hub</title>');
    await writeFile(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(dist, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(root, 'secret.txt'), 'outside dist');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('serves the page and its assets with their content types', async () => {
    const yoga = serve(dist);
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/index.html']) {
      const res = await yoga.fetch(`http://hub${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await res.text()).toContain('<title>hub</title>');
    }
    const js = await yoga.fetch('http://hub/dashboard/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const css = await yoga.fetch('http://hub/dashboard/assets/index-abc.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await yoga.fetch('http://hub/dashboard', { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('answers 404 for unknown files and 405 for writes, and leaves other paths alone', async () => {
    const yoga = serve(dist);
    expect((await yoga.fetch('http://hub/dashboard/nope.js')).status).toBe(404);
    expect((await yoga.fetch('http://hub/dashboard/assets')).status).toBe(404);
    expect((await yoga.fetch('http://hub/dashboard', { method: 'POST' })).status).toBe(405);
    expect((await yoga.fetch('http://hub/dashboards')).status).toBe(404);
    expect((await yoga.fetch('http://hub/graphql?query={ok}')).status).toBe(200);
  });

  it('never leaves dist', async () => {
    const yoga = serve(dist);
    for (const path of [
      '/dashboard/..%2fsecret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/assets/..%5c..%5csecret.txt',
    ]) {
      const res = await yoga.fetch(`http://hub${path}`);
      expect(await res.text()).not.toContain('outside dist');
    }
    expect(toDashboardFile(dist, '/dashboard/..%2fsecret.txt')).toBeNull();
    expect(toDashboardFile(dist, '/dashboard/%2e%2e/secret.txt')).toBeNull();
    expect(toDashboardFile(dist, '/dashboard/a%00.js')).toBeNull();
    expect(toDashboardFile(dist, '/dashboard/%E0%A4%A')).toBeNull();
    expect(toDashboardFile(dist, '/dashboard/assets/x.js')).toBe(join(dist, 'assets', 'x.js'));
  });

  it('explains how to build the page when dist is missing', async () => {
    const res = await serve(join(root, 'missing')).fetch('http://hub/dashboard');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('npm run build:dashboard');
  });
});
