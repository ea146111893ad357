/**
 * The shared conformance suite against the Freshservice simulator, then what it does not cover:
 * the exact list queries, the race page numbers have inside one second, the correlation filter,
 * HTML bodies, notes versus replies, the agent directory and check() reasons.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import {
  type ConnectorContext,
  createConnectorContext,
  isConnectorError,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import type { FreshserviceConfig } from './config.ts';
import { createFreshserviceHarness } from './harness.ts';
import { freshservice } from './index.ts';
import {
  createFreshserviceSimulator,
  type FreshserviceSimulator,
  type FreshserviceSimulatorOptions,
} from './simulator.ts';

runConformanceSuite('freshservice', freshservice, createFreshserviceHarness, {
  exclude: {
    'a tampered body is invalid':
      'Freshservice does not sign webhook bodies (the automator sends a shared-secret header), so a changed body cannot be detected; the engine re-reads the ticket either way',
  },
});

const T1 = new Date('2030-05-01T09:00:00Z');
let sim: FreshserviceSimulator;
async function startSim(options: FreshserviceSimulatorOptions = {}) {
  sim = await createFreshserviceSimulator({ clock: T1, ...options });
}
afterEach(async () => {
  await sim?.close();
});

function contextFor(
  overrides: Partial<FreshserviceConfig> = {},
  warnings: string[] = [],
): ConnectorContext<FreshserviceConfig> {
  return createConnectorContext(freshservice, {
    connectionId: `fs-test-${randomUUID()}`,
    config: sim.connectorConfig({ pageSize: 3, ...overrides }),
    log: { debug() {}, info() {}, warn: (_obj, msg) => warnings.push(msg ?? '') },
  });
}

const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  hubTicketId: randomUUID(),
  title: 'Laptop will not dock',
  description: 'Docking station <USB-C> & monitors stay dark.',
  status: 'OPEN',
  priority: 'HIGH',
  assigneeExternalId: null,
  requesterEmail: null,
  ...overrides,
});

async function pullAll(ctx: ConnectorContext<FreshserviceConfig>, cursor: string | null) {
  const ids: string[] = [];
  let last: string | null = null;
  for await (const page of freshservice.pullTickets(ctx, cursor)) {
    ids.push(...page.records.map((r) => r.externalId));
    last = page.cursor;
  }
  return { ids, last };
}

const listQueries = () =>
  sim
    .requestLog()
    .filter((r) => r.method === 'GET' && r.path === '/tickets')
    .map((r) => r.query);

describe('pullTickets', () => {
  beforeEach(() => startSim());

  it('lists by updated_at ascending from the epoch, then restarts at the last time seen', async () => {
    sim.createTicket({ subject: 'a' });
    sim.advanceClock(1000);
    sim.createTicket({ subject: 'b' });
    sim.createTicket({ subject: 'c' });
    sim.createTicket({ subject: 'd' });
    await pullAll(contextFor(), null);
    const [first, second] = listQueries();
    expect(first).toEqual({
      updated_since: '1970-01-01T00:00:00Z',
      order_by: 'updated_at',
      order_type: 'asc',
      include: 'requester',
      per_page: '3',
      page: '1',
    });
    expect(second).toMatchObject({ updated_since: '2030-05-01T09:00:01Z', page: '1' });
  });

  it('starts an incremental pull overlapSeconds before the cursor', async () => {
    await pullAll(contextFor({ overlapSeconds: 90 }), '2030-05-01T09:00:00Z');
    expect(listQueries()[0]?.updated_since).toBe('2030-05-01T08:58:30Z');
  });

  it('keeps the cursor at a crowded second when a change there may have skipped a ticket', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => sim.createTicket({ subject: `same second ${i}` }));
    // After the second page is served (page 1 of the crowded second), a ticket on it changes: the
    // rest of the second shifts back by one place, and page 2 starts one ticket too late.
    sim.onNextPageServed(() =>
      sim.onNextPageServed(() => {
        sim.advanceClock(60_000);
        sim.updateTicket(ids[0]!, { subject: 'moved' });
      }),
    );
    const ctx = contextFor({ overlapSeconds: 0 });
    const during = await pullAll(ctx, null);
    const skipped = ids.map(String).filter((id) => !during.ids.includes(id));
    expect(skipped).toHaveLength(1);
    expect(during.last).toBe('2030-05-01T09:00:00Z');
    expect((await pullAll(ctx, during.last)).ids).toEqual(expect.arrayContaining(skipped));
  });

  it('restarts with a full pull, and says so, on an unreadable cursor', async () => {
    sim.createTicket({ subject: 'x' });
    const warnings: string[] = [];
    expect((await pullAll(contextFor({}, warnings), 'page=7')).ids).toEqual(['1']);
    expect(warnings).toEqual(['unreadable Freshservice cursor; starting a full pull']);
  });
});

describe('freshservice specifics', () => {
  beforeEach(() => startSim());

  it('creates with the correlation field, HTML description, requester and agent email', async () => {
    const ctx = contextFor();
    const maria = String(sim.people.maria.id);
    const d = draft({ assigneeExternalId: maria, requesterEmail: 'lee.chan@acme.example' });
    const record = await freshservice.createTicket(ctx, d);
    expect(record).toMatchObject({
      correlationId: d.hubTicketId,
      description: 'Docking station <USB-C> & monitors stay dark.',
      status: 'OPEN',
      rawStatus: '2',
      priority: 'HIGH',
      assignee: { externalId: maria, name: 'Maria Lopez', email: 'maria.lopez@acme.example' },
      requester: { email: 'lee.chan@acme.example' },
    });
    expect(sim.ticket(Number(record.externalId))['description']).toBe(
      '<div>Docking station &lt;USB-C&gt; &amp; monitors stay dark.</div>',
    );
    const filters = sim.requestLog().filter((r) => r.path === '/tickets/filter');
    expect(filters.map((r) => r.query)).toEqual([{ query: `"hub_ticket_id:'${d.hubTicketId}'"` }]);
  });

  it('a repeated create links the existing ticket without writing', async () => {
    const ctx = contextFor();
    const first = draft();
    await freshservice.createTicket(ctx, first);
    sim.resetCounters();
    await freshservice.createTicket(ctx, first);
    expect(sim.writeCount()).toBe(0);
  });

  it('an unknown agent is a bad_request, and an empty patch writes nothing', async () => {
    const ctx = contextFor();
    const { externalId } = await freshservice.createTicket(ctx, draft());
    const err = await freshservice
      .updateTicket(ctx, externalId, { assigneeExternalId: '42' })
      .catch((e: unknown) => e);
    expect(isConnectorError(err) && [err.kind, err.status]).toEqual(['bad_request', 400]);
    sim.resetCounters();
    await freshservice.updateTicket(ctx, externalId, {});
    expect(sim.writeCount()).toBe(0);
  });

  it('reads notes and replies with authors and visibility, since a time', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'conversations' });
    sim.addConversation(id, '<p>Reset the <b>dock</b> firmware</p>', {
      private: true,
      as: sim.people.tom.id,
    });
    sim.setClock(new Date('2030-05-02T00:00:00Z'));
    sim.addConversation(id, '<div>We are on it &amp; will call</div>', { private: false, reply: true });
    const all = await freshservice.listComments(ctx, String(id));
    expect(all.map((c) => [c.body, c.visibility, c.author?.email])).toEqual([
      ['Reset the dock firmware', 'INTERNAL', 'tom.becker@acme.example'],
      ['We are on it & will call', 'PUBLIC', 'maria.lopez@acme.example'],
    ]);
    const since = await freshservice.listComments(ctx, String(id), new Date('2030-05-01T12:00:00Z'));
    expect(since.map((c) => c.visibility)).toEqual(['PUBLIC']);
  });

  it('writes a hub comment as a note, keeping line breaks and the marker', async () => {
    const ctx = contextFor();
    const id = sim.createTicket({ subject: 'note' });
    sim.resetCounters();
    const body = 'Line one\nLine <two>\n\n[via co-managed hub]';
    const added = await freshservice.addComment(ctx, String(id), {
      body,
      visibility: 'INTERNAL',
      authorName: 'X',
    });
    expect(added).toMatchObject({ body, visibility: 'INTERNAL', fromHub: true });
    expect(sim.conversations(id).at(-1)).toMatchObject({ private: true, source: 2 });
    expect(sim.writeCounts()).toEqual({ 'POST /tickets/{id}/notes': 1 });
  });

  it('lists agents once per connection for several reads', async () => {
    const ctx = contextFor();
    const id = String(sim.createTicket({ subject: 'cache', responderId: sim.people.tom.id }));
    await freshservice.getTicket(ctx, id);
    await freshservice.getTicket(ctx, id);
    expect(sim.requestLog().filter((r) => r.path === '/agents')).toHaveLength(1);
  });

  it('check() names the missing correlation field and bad keys, and never throws', async () => {
    expect(await freshservice.check(contextFor())).toMatchObject({ ok: true });
    const noField = await freshservice.check(contextFor({ correlationField: 'cf_other' }));
    expect(noField).toMatchObject({ ok: false, reason: expect.stringContaining('cf_other') });
    const badKey = await freshservice.check(contextFor({ apiKey: 'nope' }));
    expect(badKey).toMatchObject({ ok: false, reason: expect.stringContaining('API key') });
  });
});
