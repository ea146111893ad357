import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.ts';
import { ticketLinks, tickets } from '../src/db/schema/index.ts';
import { applyInbound } from '../src/sync/apply.ts';
import type { ConnectionRuntime } from '../src/sync/runtime.ts';
import { availableBackends } from './support/backends.ts';
import { addMspDispatcher, CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

/**
 * The two interleavings that let an older edit in one tool beat a newer edit in the other
 * (scenario 4 of sync-e2e under load), each forced here step by step instead of by timing.
 * Both tools' clocks are frozen and moved by hand: the "newer" edit is newer by seconds.
 */
describe.each(backends)('merge races between two tools on %s', (backend) => {
  let hub: SyncTestHub;
  let uuid: string;
  let rtId: string;
  let cwId: number;
  let cw: ConnectionRuntime;
  let rt: ConnectionRuntime;
  let clock: number;

  const title = async () =>
    (await hub.database.db.select({ title: tickets.title }).from(tickets).where(eq(tickets.id, uuid)))[0]
      ?.title;
  const cwPatches = () => hub.cw.writeCounts()['PATCH /service/tickets/{id}'] ?? 0;
  /** Sets both tools' clocks `ms` after the scenario's start (whole seconds). */
  const at = (ms: number) => {
    hub.rt.setClock(new Date(clock + ms));
    hub.cw.setClock(new Date(clock + ms));
  };

  beforeAll(async () => {
    hub = await startSyncHub(backend);
    await addMspDispatcher(hub);
    rtId = hub.rt.createTicket({ subject: 'VPN drops every hour', owner: 'msp-dispatch' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const [rtLink] = await hub.database.db
      .select()
      .from(ticketLinks)
      .where(and(eq(ticketLinks.connectionId, RT_ID), eq(ticketLinks.externalId, rtId)));
    uuid = rtLink!.ticketId;
    const links = await hub.database.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, uuid));
    expect(links.map((l) => l.connectionId).sort()).toEqual([RT_ID, CW_ID].sort());
    cwId = Number(links.find((l) => l.connectionId === CW_ID)!.externalId);
    cw = hub.engine.runtime(CW_ID)!;
    rt = hub.engine.runtime(RT_ID)!;
    clock = Math.ceil(Date.now() / 1000) * 1000 + 2000;
  });
  afterAll(async () => hub?.stop());

  // PGlite is one connection: two merges cannot overlap there, so neither can this race.
  it.skipIf(backend !== 'postgres')(
    'an older edit merged while a newer one from the other tool commits does not overwrite it',
    async () => {
      const { db } = hub.database;
      // Nothing runs in the background while the two merges are lined up by hand.
      await hub.engine.setPaused(CW_ID, true);
      await hub.engine.setPaused(RT_ID, true);
      at(0);
      hub.rt.updateTicket(rtId, { subject: 'VPN drops (edited in RT)' });
      at(5000);
      hub.cw.updateTicket(cwId, { summary: 'VPN drops (edited in CW)' });
      await hub.cw.flushCallbacks();
      const older = (await rt.connector.getTicket(rt.ctx, rtId))!;
      const newer = (await cw.connector.getTicket(cw.ctx, String(cwId)))!;
      expect(newer.updatedAt.getTime() - older.updatedAt.getTime()).toBe(5000);

      // The RT merge starts while the CW merge holds the ticket; the CW merge commits first.
      let rtMerge: Promise<unknown> = Promise.resolve();
      await db.transaction(async (tx) => {
        await tx.select().from(tickets).where(eq(tickets.id, uuid)).for('update');
        rtMerge = applyInbound(db, rt, older, hub.engine.hooks);
        rtMerge.catch(() => {}); // awaited below, after this transaction ends
        await waitForTicketLockWaiter(db);
        await applyInbound(tx as unknown as Db, cw, newer, hub.engine.hooks);
      });
      await rtMerge;

      expect(await title()).toBe('VPN drops (edited in CW)');
      await hub.engine.setPaused(CW_ID, false);
      await hub.engine.setPaused(RT_ID, false);
      await hub.settle();
      expect(await title()).toBe('VPN drops (edited in CW)');
      expect(hub.rt.ticket(rtId)?.subject).toBe('VPN drops (edited in CW)');
      expect((hub.cw.getTicket(cwId) as { summary: string }).summary).toBe('VPN drops (edited in CW)');
    },
  );

  it('a page read before a delivery wrote to the tool, applied after it, changes nothing', async () => {
    const patches = cwPatches();
    // The CW edit waits in the inbound queue until the RT page below has been read.
    await hub.engine.setPaused(RT_ID, false);
    await hub.engine.setPaused(CW_ID, true);
    at(10_000);
    hub.rt.updateTicket(rtId, { subject: 'VPN drops again (edited in RT)' });
    at(15_000);
    hub.cw.updateTicket(cwId, { summary: 'VPN drops again (edited in CW)' });
    await hub.cw.flushCallbacks();
    hub.rt.onNextPageServed(async () => {
      // The page (with the RT edit) is computed; before it reaches the hub, the CW edit is
      // merged and delivered to RT, which merges the older RT edit and writes over it.
      at(16_000);
      await hub.engine.setPaused(CW_ID, false);
      await hub.settle();
      expect(hub.rt.ticket(rtId)?.subject).toBe('VPN drops again (edited in CW)');
    });
    await hub.engine.pullNow(RT_ID);
    expect(await title()).toBe('VPN drops again (edited in CW)');
    await hub.settle();
    expect(await title()).toBe('VPN drops again (edited in CW)');
    expect(hub.rt.ticket(rtId)?.subject).toBe('VPN drops again (edited in CW)');
    expect((hub.cw.getTicket(cwId) as { summary: string }).summary).toBe('VPN drops again (edited in CW)');
    // ConnectWise had the winning value all along: the stale page cost it no write.
    expect(cwPatches() - patches).toBe(0);
  });
});

/** Waits until another session is blocked on a row lock (here: the ticket row this test holds). */
async function waitForTicketLockWaiter(db: Db): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await db.execute(sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
    if (Number((res as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the RT merge never waited for the ticket lock');
}
