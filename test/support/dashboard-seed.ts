import { eq } from 'drizzle-orm';
import { tickets } from '../../src/db/schema/index.ts';
import { ASSIGN, CLOSE, createTicket, mutate, RESOLVE, type TicketView } from './ops.ts';
import { CW_ID, RT_ID, type SyncTestHub } from './sync-hub.ts';

export interface SeededTicket extends TicketView {
  /** Ids in the two tools, once the hub has delivered the ticket there. */
  cwId?: number;
  rtId?: string;
}

const LINKS = `query($id: ID!) { ticket(id: $id) { links { connectionId externalId } } }`;

/**
 * A believable shared queue for the browser tests and the README picture: tickets of both
 * parties in every column, some handed off, one confidential to the internal team, and a few
 * closures and reassignments already in the feed. Everything goes through the public API and
 * is mirrored to ConnectWise and Request Tracker before this returns.
 */
export async function seedQueue(hub: SyncTestHub) {
  const person = (party: 'internal' | 'msp', name: string, email: string) =>
    hub.createPerson(party, name, email);
  const people = {
    priya: await person('internal', 'Priya Shah', 'priya.shah@contoso.example'),
    tom: await person('internal', 'Tom Becker', 'tom.becker@contoso.example'),
    asha: await person('msp', 'Asha Kumar', 'akumar@contoso-msp.example'),
    john: await person('msp', 'John Smith', 'jsmith@contoso-msp.example'),
  };
  await person('msp', 'Maria Garcia', 'mgarcia@contoso-msp.example');
  const internal = hub.tokens.internalAgent;
  const make = (input: Record<string, unknown>) => createTicket(hub, internal, input);
  const t = {
    backups: await make({
      title: 'Nightly backups failing on FS01',
      priority: 'CRITICAL',
      ownerParty: 'msp',
    }),
    vpn: await make({
      title: 'VPN drops every 20 minutes for remote staff',
      priority: 'HIGH',
      ownerParty: 'msp',
      status: 'IN_PROGRESS',
    }),
    firewall: await make({ title: 'Firewall firmware 7.4.3 rollout', ownerParty: 'msp', status: 'OPEN' }),
    laptop: await make({ title: 'New starter laptop for Finance', status: 'OPEN', assigneeId: people.priya }),
    printer: await make({
      title: '3rd floor printer jams on duplex',
      priority: 'LOW',
      status: 'WAITING',
      assigneeId: people.tom,
    }),
    outlook: await make({ title: 'Outlook add-in crashes after update', priority: 'HIGH' }),
    payroll: await make({
      title: 'Payroll share: review HR permissions',
      confidential: true,
      assigneeId: people.priya,
    }),
    tls: await make({ title: 'Renew wildcard TLS certificate', priority: 'HIGH', ownerParty: 'msp' }),
    mfa: await make({ title: 'Reset MFA for the CFO', priority: 'HIGH' }),
    wifi: await make({ title: 'Guest Wi-Fi portal certificate warning', priority: 'LOW', ownerParty: 'msp' }),
  };
  await hub.settle();
  await mutate(hub, hub.tokens.mspAgent, ASSIGN, { input: { id: t.vpn.id, assigneeId: people.asha } });
  await mutate(hub, hub.tokens.mspAgent, ASSIGN, { input: { id: t.firewall.id, assigneeId: people.john } });
  await mutate(hub, hub.tokens.mspAgent, RESOLVE, { id: t.tls.id });
  await mutate(hub, internal, CLOSE, { id: t.mfa.id });
  await mutate(hub, internal, ASSIGN, { input: { id: t.outlook.id, ownerParty: 'msp' } });
  await hub.settle();
  // Real queues are not minutes old: spread the opening times over a few days (nothing reads
  // created_at but the API and the never-changed-field case of conflict resolution).
  const hoursAgo: Partial<Record<keyof typeof t, number>> = {
    printer: 99,
    vpn: 51,
    laptop: 28,
    backups: 7,
    firewall: 5,
    outlook: 3,
  };
  for (const [name, hours] of Object.entries(hoursAgo) as [keyof typeof t, number][]) {
    const uuid = Buffer.from(t[name].id, 'base64url').toString().split(':')[1]!;
    await hub.database.db
      .update(tickets)
      .set({ createdAt: new Date(Date.now() - hours * 3_600_000) })
      .where(eq(tickets.id, uuid));
  }
  await hub.engine.pullNow(CW_ID);
  await hub.engine.pullNow(RT_ID);
  await hub.settle();
  const out = {} as Record<keyof typeof t, SeededTicket>;
  for (const [name, ticket] of Object.entries(t) as [keyof typeof t, TicketView][]) {
    const res = await hub.gql<{ ticket: { links: { connectionId: string; externalId: string }[] } }>(
      internal,
      LINKS,
      {
        id: ticket.id,
      },
    );
    const links = Object.fromEntries(
      (res.data?.ticket.links ?? []).map((l) => [l.connectionId, l.externalId]),
    );
    out[name] = { ...ticket, cwId: links[CW_ID] ? Number(links[CW_ID]) : undefined, rtId: links[RT_ID] };
  }
  return out;
}
