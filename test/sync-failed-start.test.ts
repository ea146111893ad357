/**
 * A start that fails part-way (#14, sync item 7): here the port is taken, after the engine has
 * registered its webhooks and started pulling. Nothing may linger: the callback it created is
 * removed (one another replica registered stays), no pull lease or presence lock is held.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { availableBackends } from './support/backends.ts';
import { CW_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

describe.each(backends)('a failed start cleans up after itself on %s', (backend) => {
  let hub: SyncTestHub;
  beforeAll(async () => {
    hub = await startSyncHub(backend);
  });
  afterAll(async () => hub?.stop());

  const startOnTakenPort = async (publicUrl: string, replicaId: string) => {
    const engine = await hub.newEngine(undefined, { publicUrl, autoPoll: true, replicaId });
    const log = createLogger('silent');
    const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app = createApp({ config, database: hub.database, log, sync: engine });
    const port = Number(new URL(hub.url).port);
    await expect(app.start(port)).rejects.toThrow(/EADDRINUSE/);
    return engine;
  };
  const leasesOf = async (owner: string) => {
    const res = await hub.database.db.execute(
      sql`select count(*)::int as n from connections where pull_lease_owner = ${owner}`,
    );
    return Number((res as unknown as { rows: { n: number }[] }).rows[0]!.n);
  };
  const presenceHeld = async (owner: string) => {
    const res = await hub.database.db.execute(sql`
      select count(*)::int as n from pg_locks where locktype = 'advisory' and granted
        and classid::bigint = 727002 and objid::bigint = (hashtext(${owner})::bigint & 4294967295)`);
    return Number((res as unknown as { rows: { n: number }[] }).rows[0]!.n) > 0;
  };

  it('removes the callback it registered and holds no pull lease or presence lock', async () => {
    const url = 'https://hub-b.example.test';
    const before = hub.cw.callbacks().length;
    await startOnTakenPort(url, 'replica-failed-1');
    expect(hub.cw.callbacks().filter((c) => c.url === `${url}/webhooks/${CW_ID}`)).toEqual([]);
    expect(hub.cw.callbacks()).toHaveLength(before);
    expect(await leasesOf('replica-failed-1')).toBe(0);
    expect(await presenceHeld('replica-failed-1')).toBe(false);
  });

  it('leaves a callback that was already registered (running replicas use it)', async () => {
    const url = 'https://hub-c.example.test';
    hub.cw.addCallback(`${url}/webhooks/${CW_ID}`);
    await startOnTakenPort(url, 'replica-failed-2');
    expect(hub.cw.callbacks().filter((c) => c.url === `${url}/webhooks/${CW_ID}`)).toHaveLength(1);
  });
});
