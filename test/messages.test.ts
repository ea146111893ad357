import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, postgresUnavailable } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { runCli } from './support/processes.ts';

/** Issue #14: messages that say what went wrong and what to do, never cut off, never raw SQL. */

function closeOf(url: string, payload: Record<string, unknown>): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on('error', reject);
    setTimeout(() => reject(new Error('socket was not closed')), 5000).unref();
  });
}

describe('WebSocket close reasons', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('pglite');
  });
  afterAll(async () => hub?.stop());

  it('are whole sentences that fit the 123-byte limit', async () => {
    for (const payload of [{}, { authorization: `Bearer hub_${'B'.repeat(43)}` }]) {
      const { reason } = await closeOf(hub.wsUrl, payload);
      expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
      expect(reason).toMatch(/\.$/);
    }
    expect((await closeOf(hub.wsUrl, {})).reason).toMatch(/connection_init/);
  });
});

const noPostgres = await postgresUnavailable();
if (noPostgres) console.warn(`[skip postgres] ${noPostgres}`);

describe.skipIf(noPostgres !== null)('CLI messages', () => {
  let db: { url: string; drop: () => Promise<void> };
  const cli = (...args: string[]) => runCli(args, { DATABASE_URL: db.url });
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  const noSql = (text: string) => {
    expect(text).not.toMatch(/Failed query|insert into|select |params:/i);
  };

  it('a duplicate party is named, not printed as SQL', async () => {
    const res = await cli('party', 'create', '--slug', 'msp', '--name', 'Again', '--kind', 'MSP');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/a party with slug "msp" already exists/);
    noSql(res.stderr);
  }, 60_000);

  it('a duplicate person is named, not printed as SQL', async () => {
    const args = ['person', 'create', '--party', 'msp', '--name', 'Tess', '--email', 'tess@msp.example'];
    expect((await cli(...args)).code).toBe(0);
    const res = await cli(...args);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/a person with e-mail tess@msp\.example already exists/);
    noSql(res.stderr);
  }, 60_000);

  it('a malformed token id says what an id looks like, not SQL', async () => {
    const res = await cli('token', 'revoke', '--id', 'not-a-uuid');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--id "not-a-uuid" is not a token id; token list shows them/);
    noSql(res.stderr);
  }, 60_000);
});
