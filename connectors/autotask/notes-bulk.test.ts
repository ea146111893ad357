/**
 * `listCommentsBulk`: the notes of a page of tickets in ceil(notes / 500) requests, equal ticket by
 * ticket to what `listComments` reads, and the simulator's `in` operator behind it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import { autotask } from './index.ts';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';

let sim: AutotaskSimulator;
const ctxFor = (s: AutotaskSimulator) =>
  createConnectorContext(autotask, { connectionId: randomUUID(), config: s.connectorConfig() });
const bulk = autotask.listCommentsBulk!;
const noteQueries = (s: AutotaskSimulator) =>
  s.requestLog().filter((e) => /^\/TicketNotes\/query/i.test(e.path));

beforeAll(async () => {
  sim = await createAutotaskSimulator({ clock: new Date('2024-06-01T08:00:00.000Z') });
});
afterAll(() => sim.close());

describe('listCommentsBulk', () => {
  it('equals per-ticket reads for tickets with none, one and several notes, public and internal', async () => {
    const [none, one, several, workflowOnly] = sim.seedTickets(4, 'bulk');
    sim.addNote(one!, 'only note, public', 1);
    sim.advanceClock(1_000);
    sim.addNote(several!, 'first, internal', 2);
    sim.advanceClock(1_000);
    sim.addNote(several!, 'second, public', 1);
    sim.addWorkflowNote(several!, 'status changed by a rule');
    sim.advanceClock(1_000);
    sim.addNote(several!, 'third, internal', 2, { as: 29682887 });
    sim.addWorkflowNote(workflowOnly!, 'automation only');
    const ids = [none, one, several, workflowOnly].map(String);
    const ctx = ctxFor(sim);

    const got = await bulk(ctx, ids);
    for (const id of ids) {
      expect(got.get(id) ?? []).toEqual(await autotask.listComments(ctx, id));
    }
    expect(got.has(String(none))).toBe(false);
    expect(got.has(String(workflowOnly))).toBe(false);
    const list = got.get(String(several))!;
    expect(list.map((c) => [c.body, c.visibility])).toEqual([
      ['first, internal', 'INTERNAL'],
      ['second, public', 'PUBLIC'],
      ['third, internal', 'INTERNAL'],
    ]);
    expect(list[2]?.author?.externalId).toBe('29682887');
  });

  it('reads 1,200 tickets with 1,300 notes in ceil(1300/500) + chunking requests', async () => {
    const s = await createAutotaskSimulator({ clock: new Date('2024-06-01T08:00:00.000Z') });
    try {
      const ids = s.seedTickets(1_200, 'many');
      ids.forEach((id, i) => {
        s.addNote(id, `note of ${id}`, i % 2 === 0 ? 1 : 2);
        if (i < 100) s.addNote(id, `second note of ${id}`, 1);
      });
      const ctx = ctxFor(s);
      await autotask.listComments(ctx, String(ids[0])); // warm the zone and resource caches
      s.resetCounters();

      const got = await bulk(ctx, ids.map(String));

      const queries = noteQueries(s);
      // 3 chunks of ids (500, 500, 200) holding 600, 500 and 200 notes: 2 + 1 + 1 pages.
      expect(queries).toHaveLength(4);
      const inLists = queries.map((q) => {
        const filter = (q.body as { filter: Array<{ op: string; value?: unknown }> }).filter;
        const list = filter.find((f) => f.op === 'in')?.value;
        return Array.isArray(list) ? list.length : 0;
      });
      expect(inLists).toEqual([500, 500, 500, 200]);
      expect(got.size).toBe(1_200);
      expect([...got.values()].reduce((n, l) => n + l.length, 0)).toBe(1_300);
      expect(got.get(String(ids[5]))?.map((c) => c.body)).toEqual([
        `note of ${ids[5]}`,
        `second note of ${ids[5]}`,
      ]);
      expect(got.get(String(ids[7]))?.[0]?.visibility).toBe('INTERNAL');
    } finally {
      await s.close();
    }
  });

  it('makes no request for an empty list', async () => {
    sim.resetCounters();
    expect((await bulk(ctxFor(sim), [])).size).toBe(0);
    expect(sim.requestCount()).toBe(0);
  });
});

describe('the simulator`s in operator', () => {
  const query = async (filter: unknown[]) => {
    const res = await fetch(`${sim.apiBase()}/TicketNotes/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        UserName: sim.credentials.username,
        Secret: sim.credentials.secret,
        ApiIntegrationCode: sim.credentials.integrationCode,
      },
      body: JSON.stringify({ MaxRecords: 500, filter }),
    });
    return { status: res.status, body: (await res.json()) as { items?: unknown[]; errors?: string[] } };
  };

  it('matches numbers given as text, and refuses more than 500 values like a bad filter', async () => {
    const [a] = sim.seedTickets(1, 'in-op');
    sim.addNote(a!, 'matched by text id', 1);
    const asText = await query([{ op: 'in', field: 'ticketID', value: [String(a)] }]);
    expect(asText.body.items).toHaveLength(1);
    const tooMany = await query([
      { op: 'in', field: 'ticketID', value: Array.from({ length: 501 }, (_, i) => i + 1) },
    ]);
    expect(tooMany.status).toBe(500);
    expect(tooMany.body.errors?.[0]).toMatch(/at most 500/);
    const notAList = await query([{ op: 'in', field: 'ticketID', value: a }]);
    expect(notAList.status).toBe(500);
  });
});
