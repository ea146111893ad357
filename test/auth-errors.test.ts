import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { generateToken, hashToken } from '../src/auth/tokens.ts';
import { parseConfig } from '../src/config.ts';
import { createDatabase, type Database } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { availableBackends, createTestDatabase } from './support/backends.ts';

const backends = await availableBackends();

describe.each(backends)('authentication while the database is unreachable on %s', (backend) => {
  let app: App;
  let database: Database;
  let base: string;
  const lines: string[] = [];
  const token = generateToken();

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    const config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info' });
    const pgdb = backend === 'postgres' ? await createTestDatabase() : null;
    database = await createDatabase({ url: pgdb?.url, dataDir: 'memory://', log, poolMax: 2 });
    app = createApp({ config, database, log });
    base = `127.0.0.1:${await app.start(0)}/graphql`;
    // Then the database goes away under the running hub: dropped (its connections terminated)
    // on Postgres, closed on PGlite. Token checks for tokens not yet cached must now fail.
    if (pgdb) await pgdb.drop();
    else await database.close();
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close().catch(() => {});
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
