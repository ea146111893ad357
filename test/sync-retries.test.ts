/**
 * Deliveries through a vendor outage (#14, sync item 5): retried for the whole retry window with
 * capped backoff and `Retry-After` honoured, never parked after a short outage, nothing stuck
 * behind a parked row, health saying why rows wait, and a call the tool refuses for good parked
 * at once with the reason. The outage is ConnectWise's fault injection; time is the engine's
 * controllable clock, so an hour passes without waiting for it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { createTicket, mutate, type TicketView, UPDATE } from './support/ops.ts';
import { CW_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();
const MINUTE = 60_000;

type Health = {
  syncConnections: {
    id: string;
    health: {
      lastError: string | null;
      pendingDeliveries: number;
      parkedDeliveries: number;
      failingDeliveries: number;
      nextDeliveryAttemptAt: string | null;
      lastDeliveryError: string | null;
    };
  }[];
};
const HEALTH = `{ syncConnections { id health { lastError pendingDeliveries parkedDeliveries
  failingDeliveries nextDeliveryAttemptAt lastDeliveryError } } }`;

describe.each(backends)('delivery retries and parking on %s', (backend) => {
  let hub: SyncTestHub;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  beforeAll(async () => {
    hub = await startSyncHub(backend, { engine: { now } });
  });
  afterAll(async () => hub?.stop());

  const uuidOf = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1]!;
  const cwTicket = (uuid: string) =>
    hub.cw.listTickets().find((x) => (x as { externalXRef?: string }).externalXRef === uuid) as {
      id: number;
      summary: string;
    };
  const handOff = async (title: string) => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title, ownerParty: 'msp' });
    await hub.settle();
    return t;
  };
  const retitle = async (t: TicketView, title: string): Promise<TicketView> => {
    const data = await mutate<{ updateTicket: { ticket: TicketView } }>(
      hub,
      hub.tokens.internalAgent,
      UPDATE,
      {
        input: { id: t.id, expectedVersion: t.version, title },
      },
    );
    return data.updateTicket.ticket;
  };
  const health = async () => {
    const res = await hub.gql<Health>(hub.tokens.internalAdmin, HEALTH);
    return res.data!.syncConnections.find((c) => c.id === CW_ID)!.health;
  };
  const outbox = async () => {
    const res = await hub.database.db.execute(
      sql`select state, attempts, permanent, last_error, next_attempt_at, claimed_by from sync_outbox where connection_id = ${CW_ID} order by id`,
    );
    return (res as unknown as { rows: Record<string, unknown>[] }).rows;
  };
  /** Delivers what is due, then waits for the engine's own loop to finish what it claimed. */
  const deliverDue = async () => {
    await hub.engine.drain();
    for (let i = 0; i < 200 && (await outbox()).some((r) => r.claimed_by !== null); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('rides out a 70-minute outage without parking; later changes do not wait; once back, all arrive without a replay', async () => {
    const tickets = [await handOff('Outage A'), await handOff('Outage B'), await handOff('Outage C')];
    hub.cw.injectServerError(1_000_000, 500);
    const failingFrom = now().getTime();
    let current = await Promise.all(tickets.map((t, i) => retitle(t, `Outage ${i} first change`)));
    await deliverDue();
    const waiting = await health();
    expect(waiting.lastError).toMatch(/vendor unavailable/);
    expect(waiting.failingDeliveries).toBe(3);
    expect(waiting.lastDeliveryError).toMatch(/500/);
    // The first backoff step has full jitter and may be a few milliseconds: it can already have
    // passed when health is read, so compare with when the failures began, not with now.
    expect(new Date(waiting.nextDeliveryAttemptAt!).getTime()).toBeGreaterThan(failingFrom);

    // An hour and ten minutes of retries, five simulated minutes at a time (the backoff cap).
    for (let minute = 0; minute < 70; minute += 5) {
      offset += 5 * MINUTE;
      if (minute === 30)
        current = await Promise.all(current.map((t, i) => retitle(t, `Outage ${i} second change`)));
      await deliverDue();
    }
    const rows = await outbox();
    expect(rows.filter((r) => r.state === 'parked')).toEqual([]);
    expect(Math.max(...rows.map((r) => Number(r.attempts)))).toBeGreaterThan(8);

    hub.cw.clearFaults();
    offset += 5 * MINUTE;
    await hub.settle();
    for (const [i, t] of tickets.entries())
      expect(cwTicket(uuidOf(t.id)).summary).toBe(`Outage ${i} second change`);
    expect(await outbox()).toEqual([]);
    const after = await health();
    expect(after.failingDeliveries).toBe(0);
    expect(after.parkedDeliveries).toBe(0);
  });

  it('honours a Retry-After longer than the backoff cap', async () => {
    const t = await handOff('Rate limited');
    await retitle(t, 'Rate limited, later');
    hub.cw.injectRateLimit(1, 1800);
    await deliverDue();
    const [row] = await outbox();
    expect(row!.state).toBe('pending');
    const wait = new Date(row!.next_attempt_at as string).getTime() - now().getTime();
    expect(wait).toBeGreaterThan(29 * MINUTE);
    offset += 31 * MINUTE;
    await hub.settle();
    expect(cwTicket(uuidOf(t.id)).summary).toBe('Rate limited, later');
  });

  it('parks a call the tool refuses for good at once, with the reason, and later changes still go through', async () => {
    const t = await handOff('Refused once');
    const changed = await retitle(t, 'Refused once, first change');
    hub.cw.injectServerError(1, 400);
    await deliverDue();
    const [row] = await outbox();
    expect(row).toMatchObject({ state: 'parked', attempts: 1, permanent: true });
    expect(String(row!.last_error)).toMatch(/refused.*400/);
    const link = await hub.gql<{ ticket: { links: { syncError: string | null }[] } }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { links { syncError } } }',
      { id: t.id },
    );
    expect(link.data!.ticket.links.map((l) => l.syncError)).toContainEqual(expect.stringMatching(/refused/));
    expect((await health()).parkedDeliveries).toBe(1);

    await retitle(changed, 'Refused once, second change');
    await hub.settle();
    expect(cwTicket(uuidOf(t.id)).summary).toBe('Refused once, second change');
  });
});
