/**
 * Ball in court and the clocks, end to end through two tools: the internal team in Request
 * Tracker, the MSP in ConnectWise. Hand-offs, WAITING and public comments made in either tool
 * move the court and the obligations exactly as the same changes made over GraphQL do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitmentPolicyRow } from '../src/db/schema/index.ts';
import { availableBackends } from './support/backends.ts';
import { clocksOf, defaultEngagement, seedExamplePair } from './support/commitments.ts';
import { ASSIGN, mutate } from './support/ops.ts';
import { addMspDispatcher, CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

const COURT = `query($id: ID!) { ticket(id: $id) { status ownerParty { slug } ballInCourt { party { slug } reason }
  clocks { policy { key } status } links { connectionId externalId } } }`;
type CourtView = {
  ticket: {
    status: string;
    ownerParty: { slug: string };
    ballInCourt: { party: { slug: string }; reason: string } | null;
    clocks: { policy: { key: string }; status: string }[];
    links: { connectionId: string; externalId: string }[];
  };
};

describe.each(backends)('ball in court through ConnectWise and Request Tracker on %s', (backend) => {
  let hub: SyncTestHub;
  let policies: { sla: CommitmentPolicyRow; ola: CommitmentPolicyRow };
  let ticketId: string;
  let hubUuid: string;
  let rtId: string;
  let cwId: number;

  beforeAll(async () => {
    hub = await startSyncHub(backend);
    await addMspDispatcher(hub);
    await hub.createPerson('msp', 'jsmith', 'jsmith@contoso-msp.example');
    policies = await seedExamplePair(hub.database.db, await defaultEngagement(hub.database.db));
  });
  afterAll(async () => hub?.stop());

  const view = async () =>
    (await hub.gql<CourtView>(hub.tokens.internalAgent, COURT, { id: ticketId })).data!.ticket;
  const clock = async (key: 'sla' | 'ola') =>
    (await clocksOf(hub.database.db, hubUuid)).find((c) => c.policyId === policies[key].id);
  const sync = async () => {
    await hub.settle();
    for (let i = 0; i < 2; i++) {
      await hub.engine.pullNow(RT_ID);
      await hub.engine.pullNow(CW_ID);
      await hub.settle();
    }
  };

  it('an RT ticket handed to the MSP puts the ball in its court and starts its SLA', async () => {
    rtId = hub.rt.createTicket({
      subject: 'VPN down for sales',
      owner: 'msp-dispatch',
      content: 'since 8am',
    });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    const res = await hub.gql<{ tickets: { edges: { node: { id: string } }[] } }>(
      hub.tokens.internalAgent,
      '{ tickets(filter: { search: "VPN down" }) { edges { node { id } } } }',
    );
    ticketId = res.data!.tickets.edges[0]!.node.id;
    hubUuid = Buffer.from(ticketId, 'base64url').toString().split(':')[1]!;
    await hub.settle();
    const t = await view();
    cwId = Number(t.links.find((l) => l.connectionId === CW_ID)!.externalId);
    expect(t.ownerParty.slug).toBe('msp');
    expect(t.ballInCourt).toEqual({ party: { slug: 'msp' }, reason: 'OWNER' });
    expect((await clock('sla'))?.status).toBe('RUNNING');
    expect(await clock('ola')).toBeUndefined();
  });

  it('WAITING set in ConnectWise puts the ball with the internal team and pauses the SLA', async () => {
    hub.cw.updateTicket(cwId, { status: 'Waiting Customer' }, { by: 'jsmith' });
    await hub.cw.flushCallbacks();
    await sync();
    const t = await view();
    expect(t.status).toBe('WAITING');
    expect(t.ballInCourt).toEqual({ party: { slug: 'internal' }, reason: 'WAITING' });
    expect((await clock('sla'))?.status).toBe('PAUSED');
  });

  it('a public reply in RT brings the ball back to the MSP; an internal note does not', async () => {
    hub.rt.reply(rtId, 'Internal: ask the sales VP first', { internal: true });
    await sync();
    expect((await view()).ballInCourt).toEqual({ party: { slug: 'internal' }, reason: 'WAITING' });
    hub.rt.reply(rtId, 'Here is the VPN client log');
    await sync();
    expect((await view()).ballInCourt).toEqual({ party: { slug: 'msp' }, reason: 'OWNER' });
  });

  it("the MSP's public note in ConnectWise meets its first response; a hand-back moves the court and starts the OLA", async () => {
    hub.cw.updateTicket(cwId, { status: 'In Progress' }, { by: 'jsmith' });
    hub.cw.addNote(cwId, { text: 'Restarted the concentrator', kind: 'discussion' }, { by: 'jsmith' });
    await hub.cw.flushCallbacks();
    await sync();
    expect((await clock('sla'))?.status).toBe('MET');
    await mutate(hub, hub.tokens.mspAgent, ASSIGN, { input: { id: ticketId, ownerParty: 'internal' } });
    await sync();
    const t = await view();
    expect(t.ballInCourt).toEqual({ party: { slug: 'internal' }, reason: 'OWNER' });
    expect((await clock('ola'))?.status).toBe('RUNNING');
    const history = await hub.gql<{ ticket: { history: { edges: { node: { type: string } }[] } } }>(
      hub.tokens.mspAgent,
      'query($id: ID!) { ticket(id: $id) { history(first: 100) { edges { node { type } } } } }',
      { id: ticketId },
    );
    const types = history.data!.ticket.history.edges.map((e) => e.node.type);
    expect(types.filter((x) => x === 'COURT_CHANGED')).toHaveLength(3);
    expect(types.filter((x) => x === 'SLA_MET')).toHaveLength(1);
  });
});
