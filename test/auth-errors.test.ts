import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzleLite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { generateToken, hashToken } from '../src/auth/tokens.ts';
import { parseConfig } from '../src/config.ts';
import type { Database, Db } from '../src/db/client.ts';
import * as schema from '../src/db/schema/index.ts';
import { createLogger } from '../src/logger.ts';
import { availableBackends } from './support/backends.ts';

const backends = await availableBackends();

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A database the hub cannot reach: a pool pointed at a closed port, or a PGlite already closed. */
async function unreachable(backend: string): Promise<{ database: Database; stop(): Promise<void> }> {
  let db: Db;
  let stop = async () => {};
  if (backend === 'postgres') {
    const pool = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), user: 'postgres', max: 2 });
    pool.on('error', () => {});
    db = drizzlePg({ client: pool, schema }) as unknown as Db;
    stop = () => pool.end();
  } else {
    const client = await PGlite.create();
    await client.close();
    db = drizzleLite({ client, schema }) as unknown as Db;
  }
  const database: Database = {
    db,
    kind: backend === 'postgres' ? 'postgres' : 'pglite',
    listen: async () => async () => {},
    ping: async () => {
      throw new Error('database unreachable');
    },
    close: stop,
  };
  return { database, stop };
}

describe.each(backends)('authentication while the database is unreachable on %s', (backend) => {
  let app: App;
  let stopDb: () => Promise<void>;
  let base: string;
  const lines: string[] = [];
  const token = generateToken();

  beforeAll(async () => {
    const { database, stop } = await unreachable(backend);
    stopDb = stop;
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    const config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info' });
    app = createApp({ config, database, log });
    // Not app.start(): the event dispatcher would need the database this test takes away.
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await app?.stop();
    await stopDb?.();
  });

  const leaks = (text: string) => {
    expect(text).not.toMatch(/select|api_tokens|token_hash/i);
    expect(text).not.toContain(hashToken(token));
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/\n\s+at /);
  };

  it('answers a well-formed token with a masked JSON error and logs the failure', async () => {
    const res = await fetch(`http://${base}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    const text = await res.text();
    leaks(text);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(body.errors[0]?.message).toMatch(/try again/i);
    const logged = lines.filter((l) => l.includes('token check failed'));
    expect(logged).toHaveLength(1);
    leaks(logged.join('\n'));
  });

  it('closes a WebSocket with 1011 and a bare reason', async () => {
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const socket = new WebSocket(`ws://${base}`, 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(
          JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
        ),
      );
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      socket.on('error', reject);
    });
    leaks(closed.reason);
    expect(closed.code).toBe(1011);
    expect(lines.filter((l) => l.includes('token check failed'))).toHaveLength(2);
  });
});
