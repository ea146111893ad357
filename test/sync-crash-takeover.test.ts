/**
 * Crash take-over (#14, sync item 6): a replica that dies mid-delivery loses its presence lock
 * with its database session, and a surviving or restarted replica finishes its work within
 * seconds, not after the 60 s lease. Exactly once: the dead replica's write is found in the
 * tool and not repeated. Postgres only: one process owns a PGlite folder, so there a crash takes
 * every session (and every claim's owner) with it and a restarted hub takes over at once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../src/connector-kit/contract.ts';
import { PRESENCE_LOCK_CLASS } from '../src/sync/presence.ts';
import { postgresUnavailable } from './support/backends.ts';
import { createTicket, mutate, UPDATE } from './support/ops.ts';
import { type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const skipReason = await postgresUnavailable();
if (skipReason) console.warn(`[skip take-over] ${skipReason}`);
console.warn(
  '[skip take-over on pglite] one process owns a PGlite folder: there is no surviving replica to test',
);
const describeIf = skipReason ? describe.skip : describe;

describeIf('a dead replica’s deliveries are taken over within seconds', () => {
  let hub: SyncTestHub;
  let hang = false;
  const hung: (() => void)[] = [];

  // The first engine writes to ConnectWise, then freezes before recording it (and is then killed).
  const wrap = (c: Connector<never>): Connector<never> => {
    if (c.id !== 'connectwise') return c;
    return {
      ...c,
      updateTicket: async (...args: Parameters<typeof c.updateTicket>) => {
        const result = await c.updateTicket(...args);
        if (hang) {
          hang = false;
          await new Promise<void>((resolve) => hung.push(resolve));
          throw new Error('the process died');
        }
        return result;
      },
    };
  };

  beforeAll(async () => {
    hub = await startSyncHub('postgres', { wrap, engine: { deliveryLeaseMs: 60_000 } });
  });
  afterAll(async () => {
    for (const release of hung) release();
    await hub?.stop();
  });

  it('finishes a killed replica’s delivery exactly once, long before its 60 s lease ends', async () => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title: 'Take-over', ownerParty: 'msp' });
    await hub.settle();
    const uuid = Buffer.from(t.id, 'base64url').toString().split(':')[1]!;
    const cw = hub.cw.listTickets().find((x) => (x as { externalXRef?: string }).externalXRef === uuid) as {
      id: number;
    };
    const patches = () => hub.cw.writeCounts()['PATCH /service/tickets/{id}'] ?? 0;
    const before = patches();
    hang = true;
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, priority: 'CRITICAL' },
    });
    const deadline = Date.now() + 10_000;
    while (hung.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(hung.length).toBe(1);

    // A second replica, alive all along, leaves the frozen (but alive) replica's claim alone.
    const survivor = await hub.newEngine();
    await survivor.drain();
    expect(patches() - before).toBe(1);
    expect(await claimedBy()).toBe(hub.engine.replicaId);

    // The first replica dies: its database session goes, and with it its presence lock.
    void hub.engine.stop();
    await hub.database.db.execute(sql`
      select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and classid::bigint = ${PRESENCE_LOCK_CLASS}
        and objid::bigint = (hashtext(${hub.engine.replicaId})::bigint & 4294967295)`);
    const takeOver = Date.now();
    while ((await pending()) > 0 && Date.now() - takeOver < 10_000) {
      await survivor.drain();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await pending()).toBe(0);
    expect((hub.cw.getTicket(cw.id) as { priority: { name: string } }).priority.name).toMatch(/Priority 1/);
    expect(patches() - before).toBe(1);
    await survivor.stop();
  });

  async function pending(): Promise<number> {
    const res = await hub.database.db.execute(
      sql`select count(*)::int as n from sync_outbox where state = 'pending'`,
    );
    return Number((res as unknown as { rows: { n: number }[] }).rows[0]!.n);
  }
  async function claimedBy(): Promise<string | null> {
    const res = await hub.database.db.execute(
      sql`select claimed_by from sync_outbox where state = 'pending' limit 1`,
    );
    return ((res as unknown as { rows: { claimed_by: string | null }[] }).rows[0]?.claimed_by ?? null) as
      | string
      | null;
  }
});
