import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketLinks } from '../src/db/schema/index.ts';
import { availableBackends } from './support/backends.ts';
import { collect } from './support/hub.ts';
import { ASSIGN, mutate } from './support/ops.ts';
import { addMspDispatcher, CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

/** Replies on an RT ticket as the simulator stores them: "Correspond:<text>" or "Comment:<text>". */
function rtReplies(hub: SyncTestHub, rtId: string): string[] {
  const { transactions, attachments } = hub.rt.store;
  return transactions
    .filter((t) => String(t.ticketId) === rtId && (t.type === 'Correspond' || t.type === 'Comment'))
    .map(
      (t) =>
        `${t.type}:${attachments
          .filter((a) => a.transactionId === t.id)
          .map((a) => a.content)
          .join('')}`,
    );
}

type Ev = {
  ticketEvents: {
    type: string;
    side: string;
    source: string;
    ticket: { id: string; status: string; assignee: { name: string } | null };
  };
};
const SUB = `subscription($f: TicketEventFilter) { ticketEvents(filter: $f) {
  type side source ticket { id status assignee { name } } } }`;

describe.each(backends)('ConnectWise <-> Request Tracker end to end on %s', (backend) => {
  let hub: SyncTestHub;
  let ticketId: string; // hub global id
  let hubUuid: string;
  let rtId: string;
  let cwId: number;

  beforeAll(async () => {
    hub = await startSyncHub(backend);
    await addMspDispatcher(hub);
    for (const m of ['jsmith', 'akumar', 'mgarcia'])
      await hub.createPerson('msp', m, `${m}@contoso-msp.example`);
  });
  afterAll(async () => hub?.stop());

  async function links(uuid: string) {
    return hub.database.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, uuid));
  }

  it('1. an RT ticket assigned to the MSP appears in the hub and in ConnectWise, linked both ways', async () => {
    rtId = hub.rt.createTicket({
      subject: 'Nightly backup failed on FS01',
      owner: 'msp-dispatch',
      content: 'Veeam job 7 red',
    });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const res = await hub.gql<{
      tickets: {
        edges: {
          node: {
            id: string;
            ownerParty: { slug: string };
            shared: boolean;
            links: { connectionId: string; externalId: string }[];
          };
        }[];
      };
    }>(
      hub.tokens.internalAgent,
      '{ tickets(filter: { search: "FS01" }) { edges { node { id ownerParty { slug } shared links { connectionId externalId } } } } }',
    );
    const node = res.data!.tickets.edges[0]!.node;
    ticketId = node.id;
    hubUuid = Buffer.from(ticketId, 'base64url').toString().split(':')[1]!;
    expect(node.ownerParty.slug).toBe('msp');
    expect(node.shared).toBe(true);
    const byConn = Object.fromEntries(node.links.map((l) => [l.connectionId, l.externalId]));
    expect(byConn[RT_ID]).toBe(rtId);
    cwId = Number(byConn[CW_ID]);
    const cwTicket = hub.cw.getTicket(cwId);
    expect(cwTicket?.summary).toBe('Nightly backup failed on FS01');
    expect((cwTicket?.board as { name?: string } | undefined)?.name).toBe('Help Desk');
    expect(cwTicket?.externalXRef).toBe(hubUuid);
    expect((await links(hubUuid)).length).toBe(2);
  });

  it('2. the MSP closes it in ConnectWise: hub CLOSED, an internal subscriber hears it, RT resolved', async () => {
    const sub = collect<Ev>(hub, hub.ws(hub.tokens.internalViewer), SUB, { f: { ticketId } });
    await sub.ready;
    hub.cw.updateTicket(cwId, { status: 'Closed' }, { by: 'jsmith' });
    await hub.settle();
    const items = await sub.until(1);
    await sub.stop();
    expect(items.map((i) => [i.ticketEvents.type, i.ticketEvents.side, i.ticketEvents.source])).toEqual([
      ['CLOSED', 'MSP', CW_ID],
    ]);
    expect(hub.rt.ticket(rtId)?.status).toBe('resolved');
  });

  it('3. the MSP reassigns it in ConnectWise (REASSIGNED); the internal team takes it back and ConnectWise shows it', async () => {
    const sub = collect<Ev>(hub, hub.ws(hub.tokens.internalViewer), SUB, {
      f: { ticketId, types: ['REASSIGNED'] },
    });
    await sub.ready;
    hub.cw.updateTicket(cwId, { owner: 'akumar' }, { by: 'jsmith' });
    await hub.settle();
    const items = await sub.until(1);
    await sub.stop();
    expect(items.map((i) => [i.ticketEvents.type, i.ticketEvents.ticket.assignee?.name])).toEqual([
      ['REASSIGNED', 'akumar'],
    ]);

    await mutate(hub, hub.tokens.internalAgent, ASSIGN, { input: { id: ticketId, ownerParty: 'internal' } });
    await hub.settle();
    const cwTicket = hub.cw.getTicket(cwId) as { owner?: unknown } | undefined;
    expect(cwTicket?.owner ?? null).toBeNull();
  });

  // The CW edit is the newer one: whichever order the webhook, the RT pull and the deliveries
  // interleave in, every copy ends with it (the forced interleavings are in sync-merge-races).
  it('4. the same ticket edited on both sides at once ends with the same values everywhere', async () => {
    hub.rt.updateTicket(rtId, { subject: 'FS01 backups (edited in RT)' });
    await new Promise((r) => setTimeout(r, 2100)); // both tools keep whole seconds: make the CW edit clearly later
    hub.cw.updateTicket(cwId, {
      summary: 'FS01 backups (edited in CW)',
      priority: 'Priority 1 - Emergency Response',
    });
    await hub.cw.flushCallbacks();
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    await hub.engine.pullNow(RT_ID);
    await hub.engine.pullNow(CW_ID);
    await hub.settle();
    const res = await hub.gql<{ ticket: { title: string; priority: string } }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { title priority } }',
      { id: ticketId },
    );
    expect(res.data!.ticket).toEqual({ title: 'FS01 backups (edited in CW)', priority: 'CRITICAL' });
    expect(hub.rt.ticket(rtId)?.subject).toBe('FS01 backups (edited in CW)');
    expect((hub.cw.getTicket(cwId) as { summary: string }).summary).toBe('FS01 backups (edited in CW)');
  });

  it('5. a public comment crosses once each way; an internal note stays on its side', async () => {
    hub.cw.addNote(cwId, { text: 'Replaced the failed disk', kind: 'discussion' }, { by: 'akumar' });
    hub.cw.addNote(cwId, { text: 'MSP only: vendor RMA #4411', kind: 'internal' }, { by: 'akumar' });
    await hub.settle();
    await hub.engine.pullNow(CW_ID);
    await hub.settle();
    let rtBodies = rtReplies(hub, rtId);
    expect(rtBodies.filter((b) => b.includes('Replaced the failed disk'))).toHaveLength(1);
    expect(rtBodies.find((b) => b.includes('Replaced the failed disk'))).toMatch(/^Correspond:/);
    expect(rtBodies.some((b) => b.includes('RMA #4411'))).toBe(false);
    // The copied reply did not reopen the ticket the MSP closed (RT's scrip would have).
    expect(hub.rt.ticket(rtId)?.status).toBe('resolved');

    hub.rt.reply(rtId, 'Thanks, users confirm restores work');
    hub.rt.reply(rtId, 'Internal: CFO asked about cost', { internal: true });
    for (let i = 0; i < 2; i++) {
      await hub.engine.pullNow(RT_ID);
      await hub.engine.pullNow(CW_ID);
      await hub.settle();
    }
    rtBodies = rtReplies(hub, rtId);
    expect(rtBodies.filter((b) => b.includes('Replaced the failed disk'))).toHaveLength(1);

    const notes = hub.cw.listNotes(cwId) as { text: string; internalAnalysisFlag?: boolean }[];
    expect(notes.filter((n) => n.text.includes('users confirm restores work'))).toHaveLength(1);
    expect(notes.some((n) => n.text.includes('CFO asked'))).toBe(false);

    const q = await hub.gql<{
      ticket: {
        comments: { edges: { node: { body: string; visibility: string; party: { slug: string } } }[] };
      };
    }>(
      hub.tokens.mspAgent,
      'query($id: ID!) { ticket(id: $id) { comments(first: 100) { edges { node { body visibility party { slug } } } } } }',
      { id: ticketId },
    );
    const seenByMsp = q.data!.ticket.comments.edges.map((e) => e.node.body);
    expect(seenByMsp.some((b) => b.includes('CFO asked'))).toBe(false);
    expect(seenByMsp.some((b) => b.includes('RMA #4411'))).toBe(true);
  });
});
