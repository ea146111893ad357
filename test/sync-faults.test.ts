import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../src/connector-kit/contract.ts';
import { availableBackends } from './support/backends.ts';
import { COMMENT, createTicket, mutate, UPDATE } from './support/ops.ts';
import { CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

/** What the "crash" does: the vendor call goes through, then the hub dies before recording it. */
type CrashMode = { method: 'createTicket' | 'updateTicket' | 'addComment'; kind: 'throw' | 'hang' } | null;

describe.each(backends)('sync faults and echo control on %s', (backend) => {
  let hub: SyncTestHub;
  let crash: CrashMode = null;
  const hung: (() => void)[] = [];

  // Wrap ConnectWise so a test can make the hub "die" right after a vendor write lands.
  const wrap = (c: Connector<never>): Connector<never> => {
    if (c.id !== 'connectwise') return c;
    const intercept =
      <A extends unknown[], R>(
        name: 'createTicket' | 'updateTicket' | 'addComment',
        fn: (...args: A) => Promise<R>,
      ) =>
      async (...args: A): Promise<R> => {
        const result = await fn(...args);
        if (crash?.method === name) {
          const mode = crash.kind;
          crash = null;
          if (mode === 'hang') await new Promise<void>((resolve) => hung.push(resolve));
          throw new Error('simulated crash after the vendor write');
        }
        return result;
      };
    return {
      ...c,
      createTicket: intercept('createTicket', c.createTicket.bind(c)),
      updateTicket: intercept('updateTicket', c.updateTicket.bind(c)),
      addComment: intercept('addComment', c.addComment.bind(c)),
    };
  };

  beforeAll(async () => {
    hub = await startSyncHub(backend, { wrap });
  });
  afterAll(async () => {
    for (const release of hung) release();
    await hub?.stop();
  });

  const handOff = async (title: string) => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title, ownerParty: 'msp' });
    await hub.settle();
    const uuid = Buffer.from(t.id, 'base64url').toString().split(':')[1]!;
    const cw = hub.cw.listTickets().find((x) => (x as { externalXRef?: string }).externalXRef === uuid) as {
      id: number;
    };
    return { t, uuid, cwId: cw.id };
  };

  it('6. a full round trip costs each tool exactly the writes the changes need: no echo loop', async () => {
    const cwBefore = hub.cw.writeCounts();
    const rtBefore = hub.rt.totalWrites();
    const { t, cwId } = await handOff('Printer queue stuck on PRN-3');
    hub.cw.updateTicket(cwId, { status: 'In Progress' }, { by: 'jsmith' });
    hub.cw.addNote(cwId, { text: 'Cleared the spooler', kind: 'discussion' }, { by: 'jsmith' });
    await mutate(hub, hub.tokens.internalAgent, COMMENT, {
      input: { ticketId: t.id, body: 'Thanks, printing again' },
    });
    await hub.settle();
    const delta = (key: string) => (hub.cw.writeCounts()[key] ?? 0) - (cwBefore[key] ?? 0);
    expect(delta('POST /service/tickets')).toBe(1);
    expect(delta('POST /service/tickets/{id}/notes')).toBe(1);
    // The status change was made in ConnectWise and the comment is a note: nothing the hub
    // holds differs from ConnectWise, so it is never patched, even when the hand-off's own
    // creation webhook is still in flight while the status changes.
    expect(delta('PATCH /service/tickets/{id}')).toBe(0);
    expect(hub.rt.totalWrites() - rtBefore).toBe(0);
    // Poll both sides twice more: everything they report now is an echo of known state, so no
    // tool receives another write.
    const settled = { cw: hub.cw.writeCount(), rt: hub.rt.totalWrites() };
    for (let i = 0; i < 2; i++) {
      await hub.engine.pullNow(CW_ID);
      await hub.engine.pullNow(RT_ID);
      await hub.settle();
    }
    expect({ cw: hub.cw.writeCount(), rt: hub.rt.totalWrites() }).toEqual(settled);
    const res = await hub.gql<{ ticket: { status: string; comments: { edges: unknown[] } } }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { status comments { edges { node { id } } } } }',
      { id: t.id },
    );
    expect(res.data!.ticket.status).toBe('IN_PROGRESS');
    expect(res.data!.ticket.comments.edges).toHaveLength(2);
  });

  it('7a. ConnectWise answering 429 and 500 for a while: the change arrives once, late but whole', async () => {
    const { t, cwId } = await handOff('Switch SW-2 flapping');
    const patches = hub.cw.writeCounts()['PATCH /service/tickets/{id}'] ?? 0;
    hub.cw.injectRateLimit(2, 1);
    hub.cw.injectServerError(3, 500);
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, title: 'Switch SW-2 flapping (port 12)' },
    });
    await hub.settle(30_000);
    expect((hub.cw.getTicket(cwId) as { summary: string }).summary).toBe('Switch SW-2 flapping (port 12)');
    expect((hub.cw.writeCounts()['PATCH /service/tickets/{id}'] ?? 0) - patches).toBe(1);
  });

  it('7b. a crash right after the vendor created the ticket: the retry links it, no duplicate', async () => {
    crash = { method: 'createTicket', kind: 'throw' };
    const { uuid } = await handOff('Crash during create');
    expect(hub.cw.countCorrelated(uuid)).toBe(1);
  });

  it('7c. a crash right after a comment was written: the retry finds it, no duplicate', async () => {
    const { t, cwId } = await handOff('Crash during comment');
    crash = { method: 'addComment', kind: 'throw' };
    await mutate(hub, hub.tokens.internalAgent, COMMENT, {
      input: { ticketId: t.id, body: 'Exactly once please' },
    });
    await hub.settle();
    const notes = (hub.cw.listNotes(cwId) as { text: string }[]).filter((n) =>
      n.text.includes('Exactly once please'),
    );
    expect(notes).toHaveLength(1);
  });

  it('7d. the hub dies in the middle of a delivery and a restarted hub finishes it exactly once', async () => {
    const { t, cwId } = await handOff('Crash during update');
    const patches = hub.cw.writeCounts()['PATCH /service/tickets/{id}'] ?? 0;
    crash = { method: 'updateTicket', kind: 'hang' };
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, priority: 'CRITICAL' },
    });
    // The first hub wrote to ConnectWise and then froze before recording it.
    const deadline = Date.now() + 10_000;
    while (hung.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(hung.length).toBe(1);
    // A dead process renews no leases (a live one keeps renewing while it works): stop the
    // first engine; its frozen delivery stays frozen.
    void hub.engine.stop();
    // A restarted hub (a new engine on the same database) waits out the lease, then takes over.
    const restarted = await hub.newEngine();
    await new Promise((r) => setTimeout(r, 1700));
    await restarted.drain();
    expect((hub.cw.getTicket(cwId) as { priority: { name: string } }).priority.name).toMatch(/Priority 1/);
    expect((hub.cw.writeCounts()['PATCH /service/tickets/{id}'] ?? 0) - patches).toBe(1);
    const pending = await hub.database.db.execute(
      "select count(*)::int as n from sync_outbox where state = 'pending'",
    );
    expect(Number((pending as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(0);
  });
});
