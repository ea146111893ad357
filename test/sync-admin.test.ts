import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { createTicket } from './support/ops.ts';
import { CW_ID, RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

describe.each(backends)('webhook endpoint and sync administration on %s', (backend) => {
  let hub: SyncTestHub;
  let origin: string;
  beforeAll(async () => {
    hub = await startSyncHub(backend);
    origin = new URL(hub.url).origin;
  });
  afterAll(async () => hub?.stop());

  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : new Uint8Array(body),
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('accepts a correctly signed ConnectWise callback with 202 and only enqueues it', async () => {
    const seeded = hub.cw.seedTicket({ summary: 'Seeded for webhook', skipCallback: true }) as { id: number };
    const cb = hub.cw.signedCallback(seeded.id);
    const res = await post(`/webhooks/${CW_ID}`, cb.rawBody, cb.headers);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1 });
    await hub.settle();
    const found = await hub.gql<{ tickets: { totalCount: number } }>(
      hub.tokens.mspAgent,
      '{ tickets(filter: { search: "Seeded for webhook" }) { totalCount } }',
    );
    expect(found.data!.tickets.totalCount).toBe(1);
  });

  it('answers 401 with the reason to tampered or unsigned callbacks, and enqueues nothing', async () => {
    const seeded = hub.cw.seedTicket({ summary: 'Never via webhook', skipCallback: true }) as { id: number };
    const cb = hub.cw.signedCallback(seeded.id);
    const tampered = Buffer.from(cb.rawBody.toString().replace('"updated"', '"deleted"'));
    const bad = await post(`/webhooks/${CW_ID}`, tampered, cb.headers);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ reason: 'invalid' });
    const unsigned = await post(`/webhooks/${CW_ID}`, cb.rawBody);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ reason: 'missing_headers' });
    const queued = await hub.database.db.execute('select count(*)::int as n from inbound_queue');
    expect(Number((queued as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(0);
  });

  it('answers 404 for an unknown connection and 400 for a polled one', async () => {
    expect((await post('/webhooks/nope', '{}')).status).toBe(404);
    const rt = await post(`/webhooks/${RT_ID}`, '{}');
    expect(rt.status).toBe(400);
    expect((await rt.json()).error).toMatch(/polled/);
  });

  it('shows connections with health to admins only', async () => {
    const q =
      '{ syncConnections { id connector paused party { slug } health { lastSuccessAt pendingDeliveries parkedDeliveries lastError backfillDone } } }';
    const agent = await hub.gql(hub.tokens.mspAgent, q);
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await hub.engine.pullNow(RT_ID);
    const admin = await hub.gql<{
      syncConnections: { id: string; party: { slug: string }; health: { lastSuccessAt: string | null } }[];
    }>(hub.tokens.internalAdmin, q);
    expect(admin.data!.syncConnections.map((c) => [c.id, c.party.slug])).toEqual([
      [RT_ID, 'internal'],
      [CW_ID, 'msp'],
    ]);
    expect(admin.data!.syncConnections[0]!.health.lastSuccessAt).not.toBeNull();
    const json = JSON.stringify(admin.data);
    expect(json).not.toContain(hub.rt.token);
  });

  it('pauses a connection (changes queue, nothing is lost) and resumes it', async () => {
    const forbidden = await hub.gql(
      hub.tokens.internalAdmin,
      `mutation { pauseConnection(id: "${CW_ID}") { id } }`,
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const paused = await hub.gql<{ pauseConnection: { paused: boolean } }>(
      hub.tokens.internalAdmin,
      `mutation { pauseConnection(id: "${RT_ID}") { paused } }`,
    );
    expect(paused.data!.pauseConnection.paused).toBe(true);
    const before = hub.rt.totalWrites();
    await createTicket(hub, hub.tokens.internalAgent, { title: 'Made while RT is paused' });
    await hub.engine.drain();
    expect(hub.rt.totalWrites()).toBe(before);
    const health = await hub.gql<{
      syncConnections: { id: string; health: { pendingDeliveries: number } }[];
    }>(hub.tokens.internalAdmin, '{ syncConnections { id health { pendingDeliveries } } }');
    expect(health.data!.syncConnections.find((c) => c.id === RT_ID)!.health.pendingDeliveries).toBe(1);
    await hub.gql(hub.tokens.internalAdmin, `mutation { resumeConnection(id: "${RT_ID}") { paused } }`);
    await hub.settle();
    expect(hub.rt.totalWrites()).toBeGreaterThan(before);
  });

  it('parks a delivery that kept failing for the whole retry window, shows it on the ticket, and replays it', async () => {
    const t = await createTicket(hub, hub.tokens.internalAgent, { title: 'Will park' });
    const uuid = Buffer.from(t.id, 'base64url').toString().split(':')[1]!;
    // Make the row look like it has failed many times for longer than the retry window (6 h),
    // then fail it once more.
    await hub.settle();
    await hub.database.db.execute(
      `insert into sync_outbox (connection_id, ticket_id, kind, attempts, failing_since)
       values ('${RT_ID}', '${uuid}', 'ticket', 7, now() - interval '7 hours')`,
    );
    await hub.database.db.execute(
      `update ticket_links set remote_state = jsonb_set(remote_state, '{title}', '"stale"') where ticket_id = '${uuid}'`,
    );
    // Retry-After beyond the client's cap: no sleeping, the delivery fails at once.
    hub.rt.injectRateLimit(50, 600);
    await hub.engine.drain();
    const parked = await hub.gql<{
      syncConnections: { id: string; health: { parkedDeliveries: number; lastError: string | null } }[];
    }>(hub.tokens.internalAdmin, '{ syncConnections { id health { parkedDeliveries lastError } } }');
    const rt = parked.data!.syncConnections.find((c) => c.id === RT_ID)!;
    expect(rt.health.parkedDeliveries).toBe(1);
    expect(rt.health.lastError).toMatch(/429|rate/i);
    const onTicket = await hub.gql<{
      ticket: { links: { connectionId: string; syncError: string | null }[] };
    }>(hub.tokens.internalAgent, 'query($id: ID!) { ticket(id: $id) { links { connectionId syncError } } }', {
      id: t.id,
    });
    expect(onTicket.data!.ticket.links.find((l) => l.connectionId === RT_ID)!.syncError).toMatch(/429|rate/i);

    hub.rt.injectRateLimit(0, 0);
    const replay = await hub.gql<{ replayParkedDeliveries: { replayed: number } }>(
      hub.tokens.internalAdmin,
      `mutation { replayParkedDeliveries(id: "${RT_ID}") { replayed connection { health { parkedDeliveries } } } }`,
    );
    expect(replay.data!.replayParkedDeliveries.replayed).toBe(1);
    await hub.settle();
    const after = await hub.gql<{ ticket: { links: { connectionId: string; syncError: string | null }[] } }>(
      hub.tokens.internalAgent,
      'query($id: ID!) { ticket(id: $id) { links { connectionId syncError } } }',
      { id: t.id },
    );
    expect(after.data!.ticket.links.find((l) => l.connectionId === RT_ID)!.syncError).toBeNull();
  });
});
