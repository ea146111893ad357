/**
 * A backfill page written in bulk (`createPage`: one statement per table, the outbox planned in
 * one batch) must leave exactly the rows the per-record path (`applyInbound` + `syncCommentsIn`)
 * leaves: tickets, events in the same per-ticket order, comments, links with their remote state,
 * comment links and outbox rows. Both hubs pull the same ServiceNow incidents; one is assigned to
 * an MSP engineer (a hand-off), so the planner writes deliveries to the MSP's ConnectWise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectWiseSimulator,
  createConnectWiseSimulator,
} from '../connectors/connectwise/simulator.ts';
import { createServiceNowSimulator, type ServiceNowSimulator } from '../connectors/servicenow/simulator.ts';
import { createHttpFactory } from '../src/connector-kit/http.ts';
import { withOriginMarker } from '../src/connector-kit/records.ts';
import { CONNECTORS } from '../src/connectors.ts';
import type { Database } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { applyInbound } from '../src/sync/apply.ts';
import { syncCommentsIn } from '../src/sync/comments-in.ts';
import { parseConnections } from '../src/sync/connections-file.ts';
import { SyncEngine } from '../src/sync/engine.ts';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';

const backends = await availableBackends();
const SN_ID = 'internal-servicenow';
const CW_ID = 'msp-connectwise';

async function hubOver(
  backend: (typeof backends)[number],
  sn: ServiceNowSimulator,
  cw: ConnectWiseSimulator,
): Promise<TestHub & { engine: SyncEngine }> {
  const log = createLogger('silent');
  const { password, webhookSecret, ...snSettings } = sn.connectorConfig({ pageSize: 4 });
  const { privateKey, ...cwSettings } = cw.connectorConfig({ pageSize: 25 });
  let engine!: SyncEngine;
  const hub = await startTestHub(
    backend,
    {},
    {
      sync: async (database: Database) => {
        const definitions = parseConnections(
          {
            connections: [
              {
                id: SN_ID,
                connector: 'servicenow',
                party: 'internal',
                settings: {
                  ...snSettings,
                  password: { env: 'SN_PASSWORD' },
                  webhookSecret: { env: 'SN_HOOK' },
                },
                pollIntervalSeconds: 3600,
              },
              {
                id: CW_ID,
                connector: 'connectwise',
                party: 'msp',
                settings: { ...cwSettings, privateKey: { env: 'CW_KEY' } },
                pollIntervalSeconds: 3600,
              },
            ],
          },
          CONNECTORS,
          { SN_PASSWORD: password, SN_HOOK: webhookSecret ?? '', CW_KEY: privateKey },
        );
        engine = new SyncEngine({
          database,
          definitions,
          log,
          autoPoll: false,
          http: createHttpFactory({ baseDelayMs: 5, maxDelayMs: 50, log }),
        });
        await engine.init();
        return engine;
      },
    },
  );
  return Object.assign(hub, { engine });
}

async function rows(hub: TestHub, text: string): Promise<Record<string, unknown>[]> {
  return ((await hub.database.db.execute(text)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

/** Everything the backfill wrote, keyed by vendor ids and names instead of the hub's own ids. */
async function snapshot(hub: TestHub) {
  const ticketOf = `(select external_id from ticket_links l where l.ticket_id = t.id and l.connection_id = '${SN_ID}')`;
  return {
    tickets: await rows(
      hub,
      `select ${ticketOf} as ext, t.title, t.description, t.status, t.priority, o.slug as owner, g.slug as origin,
         a.email as assignee, r.name as requester, t.service_area, t.confidential, t.shared,
         t.created_at::text, t.updated_at::text, t.resolved_at::text, t.closed_at::text, t.field_changed_at, t.version
       from tickets t join parties o on o.id = t.owner_party_id join parties g on g.id = t.origin_party_id
         left join people a on a.id = t.assignee_id left join people r on r.id = t.requester_id
       order by ext`,
    ),
    events: await rows(
      hub,
      `select ${ticketOf} as ext, e.type, e.changes, e.ticket_version, p.slug as actor_party, e.actor_name,
         e.source, e.connection_id, c.external_id as comment, e.restricted_to_party_id is not null as restricted
       from ticket_events e join tickets t on t.id = e.ticket_id join parties p on p.id = e.actor_party_id
         left join comments c on c.id = e.comment_id
       order by ext, e.id`,
    ),
    comments: await rows(
      hub,
      `select ${ticketOf} as ext, c.external_id, p.slug as party, a.name as author, c.author_name, c.body,
         c.visibility, c.connection_id, c.created_at::text
       from comments c join tickets t on t.id = c.ticket_id join parties p on p.id = c.party_id
         left join people a on a.id = c.author_id
       order by c.external_id`,
    ),
    links: await rows(
      hub,
      `select external_id, connection_id, external_url, remote_state, remote_updated_at::text,
         last_synced_at is not null as synced, comments_synced_at is not null as comments_synced
       from ticket_links order by external_id`,
    ),
    commentLinks: await rows(
      hub,
      'select c.external_id as comment, l.connection_id, l.external_id from comment_links l join comments c on c.id = l.comment_id order by l.external_id',
    ),
    outbox: await rows(
      hub,
      `select ${ticketOf} as ext, o.connection_id, o.kind, c.external_id as comment, o.state, o.attempts
       from sync_outbox o join tickets t on t.id = o.ticket_id left join comments c on c.id = o.comment_id
       order by ext, o.id`,
    ),
  };
}

describe.each(backends)('a bulk-written backfill page on %s', (backend) => {
  let sn: ServiceNowSimulator;
  let cw: ConnectWiseSimulator;
  let batched: TestHub & { engine: SyncEngine };
  let perRecord: TestHub & { engine: SyncEngine };

  beforeAll(async () => {
    sn = await createServiceNowSimulator({ clock: new Date(Date.now() - 3_600_000) });
    cw = await createConnectWiseSimulator();
    const agent = sn.userId('beth.anglin');
    const [quiet, busy, assigned] = [
      sn.seedIncident({ short_description: 'No comments at all' }),
      sn.seedIncident({ short_description: 'Several comments', comments: 'Opened with a comment' }),
      sn.seedIncident({
        short_description: 'Assigned to the MSP and urgent',
        assigned_to: agent,
        impact: '1',
        urgency: '1',
        comments: 'Please have a look',
      }),
    ];
    sn.advanceClock(5_000);
    sn.addJournal(busy['sys_id']!, 'work_notes', 'An internal note');
    sn.addJournal(busy['sys_id']!, 'comments', withOriginMarker('Written by the hub earlier'));
    sn.advanceClock(5_000);
    sn.addJournal(busy['sys_id']!, 'comments', 'A later public reply', { as: 'david.loo' });
    sn.addJournal(assigned['sys_id']!, 'work_notes', 'Working on it');
    sn.updateIncident(quiet['sys_id']!, { state: '6', close_code: 'Solution provided', close_notes: 'Done' });
    for (let i = 0; i < 4; i++)
      sn.seedIncident({ short_description: `Filler ${i}`, comments: `Filler note ${i}` });
    batched = await hubOver(backend, sn, cw);
    perRecord = await hubOver(backend, sn, cw);
    // Beth is an MSP engineer in the hub: the incident assigned to her is handed off to the MSP.
    // ConnectWise is paused, so the outbox rows planned for it stay to be compared.
    for (const hub of [batched, perRecord]) {
      await hub.createPerson('msp', 'Beth Anglin', 'beth.anglin@example.com');
      await hub.engine.setPaused(CW_ID, true);
    }
  });

  afterAll(async () => {
    await batched?.stop();
    await perRecord?.stop();
    await sn?.close();
    await cw?.close();
  });

  it('writes the same rows as applying each record and its comments one by one', async () => {
    await batched.engine.pullNow(SN_ID);
    const rt = perRecord.engine.runtime(SN_ID)!;
    for await (const page of rt.connector.pullTickets(rt.ctx, null)) {
      for (const record of page.records) {
        const { link, commentsDue } = await applyInbound(
          perRecord.database.db,
          rt,
          record,
          perRecord.engine.hooks,
        );
        if (commentsDue) await syncCommentsIn(perRecord.database.db, rt, link, perRecord.engine.hooks);
      }
    }
    const [got, want] = [await snapshot(batched), await snapshot(perRecord)];
    expect(got.tickets).toHaveLength(7);
    expect(got.comments).toHaveLength(9);
    // The handed-off ticket and its public comment go to ConnectWise; the internal note does not.
    expect(got.outbox.map((o) => [o['kind'], o['comment'] === null])).toEqual([
      ['ticket', true],
      ['comment', false],
    ]);
    expect(got.comments.map((c) => c['body'])).not.toContain(withOriginMarker('Written by the hub earlier'));
    expect(got).toEqual(want);
  });

  it('draws distinct ticket numbers and event ids, each ticket created before it is commented', async () => {
    const events = await rows(batched, 'select id, ticket_id, type from ticket_events order by id');
    expect(events).toHaveLength(16);
    expect(new Set(events.map((e) => e['id'])).size).toBe(16);
    const first = new Map<unknown, unknown>();
    for (const e of events) if (!first.has(e['ticket_id'])) first.set(e['ticket_id'], e['type']);
    expect([...first.values()]).toEqual(Array(7).fill('CREATED'));
    const numbers = await rows(batched, 'select distinct number from tickets');
    expect(numbers).toHaveLength(7);
  });
});
