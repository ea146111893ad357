/**
 * What a backfill costs in requests, the thing Autotask's hourly threshold is counted in: windows
 * cut from a hint instead of halved from year 2000, full pages across windows, and pacing that
 * rides a threshold lower than the backfill needs without a single 429.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import type { AutotaskConfig } from './config.ts';
import { autotask } from './index.ts';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';
import { sliceEdges } from './windows.ts';

const DAY = 86_400_000;

async function seeded(n: number, options: { threshold?: number; hourMs?: number } = {}) {
  const sim = await createAutotaskSimulator(options);
  // Sixty days of history up to now, as a live tenant has.
  const start = Date.now() - 61 * DAY;
  for (let i = 0; i < n; i++) {
    sim.setClock(new Date(start + Math.floor((i * 60 * DAY) / n)));
    sim.addNote(sim.createTicket({ title: `backfill ${i}` }), `note ${i}`, i % 2 === 0 ? 1 : 2);
  }
  sim.setClock(null);
  sim.resetCounters();
  return sim;
}

/** Pages of tickets, then the notes of each page, as the engine's backfill reads them. */
async function backfill(sim: AutotaskSimulator, overrides: Partial<AutotaskConfig>) {
  const ctx = createConnectorContext(autotask, {
    connectionId: randomUUID(),
    config: sim.connectorConfig(overrides),
  });
  const pages: number[] = [];
  const ids: string[] = [];
  let notes = 0;
  for await (const page of autotask.pullTickets(ctx, null)) {
    pages.push(page.records.length);
    ids.push(...page.records.map((r) => r.externalId));
    const byTicket = await autotask.listCommentsBulk!(
      ctx,
      page.records.map((r) => r.externalId),
    );
    for (const list of byTicket.values()) notes += list.length;
  }
  return { pages, ids, notes };
}

describe('a backfill in requests', () => {
  it('reads full pages and cuts oversized windows with few extra requests', async () => {
    const sim = await seeded(2_600);
    try {
      const got = await backfill(sim, { windowMaxRecords: 1_000 });
      expect(got.pages).toEqual([500, 500, 500, 500, 500, 100]);
      expect(new Set(got.ids).size).toBe(2_600);
      expect(got.notes).toBe(2_600);
      const by = sim.requestsByPath();
      expect(by['POST /TicketNotes/query']).toBe(6);
      const ticketQueries =
        (by['POST /Tickets/query'] ?? 0) +
        (by['POST /Tickets/query/next'] ?? 0) +
        (by['POST /Tickets/query/count'] ?? 0);
      // 6 pages of data; windows of <= 1,000 cost a count and a partly filled last page each.
      // (16 when this was written.)
      expect(ticketQueries).toBeLessThanOrEqual(18);
      expect(by['GET /ThresholdInformation']).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('waits for the rolling window instead of meeting a threshold lower than the backfill needs', async () => {
    // 3 ticket pages + 3 note pages + metadata and resources: more than 8 requests per window.
    const sim = await seeded(1_200, { threshold: 8, hourMs: 1_000 });
    try {
      const got = await backfill(sim, { thresholdReserve: 1, maxPacingWaitSeconds: 5 });
      expect(new Set(got.ids).size).toBe(1_200);
      expect(got.notes).toBe(1_200);
      expect(sim.limitRejections()).toEqual({ threshold: 0, thread: 0 });
      expect(sim.requestCount()).toBeGreaterThan(8);
      expect(sim.requestsByPath()['GET /ThresholdInformation']).toBeLessThanOrEqual(3);
    } finally {
      await sim.close();
    }
  });
});

describe('sliceEdges', () => {
  const at = (iso: string) => Date.parse(iso);
  const page = (...isos: string[]) => isos.map((iso, i) => ({ id: i + 1, lastActivityDate: iso }));
  const now = at('2024-03-01T00:00:00.000Z');

  it('cuts below the oldest seen, isolates its instant, then slices the rest by the count', () => {
    const low = at('2024-01-01T00:00:00.000Z');
    const edges = sliceEdges(
      null,
      null,
      3_000,
      page('2024-01-05T00:00:00Z', '2024-01-01T00:00:00Z'),
      now,
      1_000,
    );
    // 3,000 records, 750 a slice: 4 slices from the oldest seen to now, the last open-ended.
    const width = (now - (low + 1)) / 4;
    expect(edges).toEqual([
      null,
      low,
      low + 1,
      low + 1 + Math.floor(width),
      low + 1 + Math.floor(2 * width),
      low + 1 + Math.floor(3 * width),
      null,
    ]);
  });

  it('keeps inside a bounded window and never returns the window itself', () => {
    const from = at('2024-01-01T00:00:00.000Z');
    const to = at('2024-01-02T00:00:00.000Z');
    const edges = sliceEdges(from, to, 2_000, page('2024-01-01T00:00:00Z'), now, 1_000) ?? [];
    expect(edges[0]).toBe(from);
    expect(edges[1]).toBe(from + 1);
    expect(edges.at(-1)).toBe(to);
    expect(edges.length).toBeGreaterThan(2);
    for (let i = 1; i < edges.length; i++) expect(edges[i]! > edges[i - 1]!).toBe(true);
  });

  it('gives up (the caller halves) without a usable hint', () => {
    expect(sliceEdges(null, null, 5_000, [], now, 1_000)).toBeNull();
  });
});
