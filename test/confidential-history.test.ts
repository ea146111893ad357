import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../src/db/client.ts';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { COMMENT, createTicket, mutate, type TicketView, UPDATE } from './support/ops.ts';

const backends = await availableBackends();

const HISTORY = `query($id: ID!) { ticket(id: $id) { id history(first: 20) {
  edges { node { type changes { field from to } comment { body } } } } } }`;

interface History {
  ticket: {
    history: {
      edges: {
        node: { type: string; changes: { field: string; from: string | null; to: string | null }[] };
      }[];
    };
  } | null;
}

/** A ticket opened confidential under a secret title, worked on, then retitled and shared in one change. */
async function secretThenShared(hub: TestHub, secretTitle: string): Promise<TicketView> {
  const agent = hub.tokens.internalAgent;
  const t = await createTicket(hub, agent, { title: secretTitle, confidential: true, priority: 'HIGH' });
  await mutate(hub, agent, COMMENT, { input: { ticketId: t.id, body: `public note about ${secretTitle}` } });
  const v2 = await mutate<{ updateTicket: { ticket: TicketView } }>(hub, agent, UPDATE, {
    input: { id: t.id, expectedVersion: t.version, priority: 'CRITICAL' },
  });
  const done = await mutate<{ updateTicket: { ticket: TicketView } }>(hub, agent, UPDATE, {
    input: {
      id: t.id,
      expectedVersion: v2.updateTicket.ticket.version,
      title: 'HR system access review',
      confidential: false,
      shared: true,
    },
  });
  return done.updateTicket.ticket;
}

describe.each(backends)('history under confidentiality on %s', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend);
  });
  afterAll(async () => hub?.stop());

  it('keeps what happened while a ticket was confidential from the party it is later shared with', async () => {
    const sub = collect<{
      ticketEvents: { type: string; changes: { field: string }[]; ticket: { title: string } };
    }>(
      hub,
      hub.ws(hub.tokens.mspAgent),
      'subscription { ticketEvents { type changes { field from to } ticket { title } } }',
    );
    await sub.ready;
    const t = await secretThenShared(hub, 'Layoffs: Project Falcon');
    expect(t.shared).toBe(true);

    const msp = await hub.gql<History>(hub.tokens.mspAgent, HISTORY, { id: t.id });
    expect(msp.data!.ticket).not.toBeNull();
    expect(JSON.stringify(msp.data)).not.toMatch(/Falcon/);
    // The MSP learns only that the ticket was disclosed to it.
    expect(msp.data!.ticket!.history.edges.map((e) => e.node)).toEqual([
      {
        type: 'UPDATED',
        changes: [
          { field: 'confidential', from: 'true', to: 'false' },
          { field: 'shared', from: 'false', to: 'true' },
        ],
        comment: null,
      },
    ]);
    // Nor do the comments written while it was confidential, listed or looked up by id.
    const comments = await hub.gql<{ ticket: { comments: { edges: { node: { id: string } }[] } } }>(
      hub.tokens.mspAgent,
      'query($id: ID!) { ticket(id: $id) { comments { edges { node { id body } } } } }',
      { id: t.id },
    );
    expect(comments.data!.ticket.comments.edges).toEqual([]);
    const ownComments = await hub.gql<{ ticket: { comments: { edges: { node: { id: string } }[] } } }>(
      hub.tokens.internalViewer,
      'query($id: ID!) { ticket(id: $id) { comments { edges { node { id body } } } } }',
      { id: t.id },
    );
    const secretComment = ownComments.data!.ticket.comments.edges[0]!.node.id;
    const byId = await hub.gql<{ node: unknown }>(
      hub.tokens.mspAgent,
      'query($id: ID!) { node(id: $id) { id } }',
      {
        id: secretComment,
      },
    );
    expect(byId.data!.node).toBeNull();
    const after = await mutate<{ addComment: { comment: { id: string } } }>(
      hub,
      hub.tokens.internalAgent,
      COMMENT,
      {
        input: { ticketId: t.id, body: 'welcome aboard' },
      },
    );
    const later = await hub.gql<{ ticket: { comments: { edges: { node: { id: string } }[] } } }>(
      hub.tokens.mspAgent,
      'query($id: ID!) { ticket(id: $id) { comments { edges { node { id } } } } }',
      { id: t.id },
    );
    expect(later.data!.ticket.comments.edges.map((e) => e.node.id)).toEqual([after.addComment.comment.id]);

    const feed = await hub.gql(
      hub.tokens.mspAgent,
      '{ recentEvents(first: 50) { edges { node { changes { from to } comment { body } } } } }',
    );
    expect(JSON.stringify(feed.data)).not.toMatch(/Falcon/);

    // The owner keeps the whole story, secret title included.
    const own = await hub.gql<History>(hub.tokens.internalViewer, HISTORY, { id: t.id });
    const types = own.data!.ticket!.history.edges.map((e) => e.node.type);
    expect(types).toEqual(['CREATED', 'COMMENTED', 'UPDATED', 'UPDATED', 'UPDATED', 'COMMENTED']);
    expect(JSON.stringify(own.data)).toMatch(/Falcon/);

    // Live: the MSP subscriber hears of the disclosure (so the card appears), and nothing else.
    const items = await sub.until(2);
    await hub.app.dispatcher.idle();
    await sub.stop();
    expect(JSON.stringify(items)).not.toMatch(/Falcon/);
    expect(items.map((i) => i.ticketEvents.type)).toEqual(['UPDATED', 'COMMENTED']);
  });

  it('restricts events already written by an older hub when the migration runs', async () => {
    const t = await secretThenShared(hub, 'Acquisition of Contoso');
    // What a hub before this fix wrote: every event open to all parties.
    const uuid = Buffer.from(t.id, 'base64url').toString().split(':')[1]!;
    await hub.database.db.execute(
      sql`update ticket_events set restricted_to_party_id = null where ticket_id = ${uuid}`,
    );
    const leaked = await hub.gql<History>(hub.tokens.mspAgent, HISTORY, { id: t.id });
    expect(JSON.stringify(leaked.data)).toMatch(/Contoso/);

    const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.startsWith('0002_'))!;
    const statements = readFileSync(`${MIGRATIONS_FOLDER}/${file}`, 'utf8').split('--> statement-breakpoint');
    for (const statement of statements) {
      if (/UPDATE "ticket_events"/.test(statement)) await hub.database.db.execute(sql.raw(statement));
    }
    const fixed = await hub.gql<History>(hub.tokens.mspAgent, HISTORY, { id: t.id });
    expect(JSON.stringify(fixed.data)).not.toMatch(/Contoso/);
    expect(fixed.data!.ticket!.history.edges).toHaveLength(0);
    const own = await hub.gql<History>(hub.tokens.internalViewer, HISTORY, { id: t.id });
    expect(own.data!.ticket!.history.edges).toHaveLength(5);
  });
});
