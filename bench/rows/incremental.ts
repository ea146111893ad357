/**
 * incremental: one sync cycle with 100 changes in the tool when tool and hub hold 10,000
 * versus BIG tickets (full: 1,000,000; small: 100,000). The hub's side is populated in SQL
 * (a template link learnt from one real pull, so the merge sees the stored state as current);
 * the tool's side is the ConnectWise simulator. Ratio: cycle time at BIG / at 10,000.
 */
import pg from 'pg';
import { encodeCursor } from '../../connectors/connectwise/cursor.ts';
import {
  type ConnectWiseSimulator,
  createConnectWiseSimulator,
} from '../../connectors/connectwise/simulator.ts';
import { connections } from '../../src/db/schema/index.ts';
import { type BenchContext, type BenchRow, figure, interleave } from '../lib/harness.ts';
import type { BenchHub } from '../lib/hub.ts';
import { summarize } from '../lib/stats.ts';
import { CW_ID, measureWrites, startCwSyncHub } from '../lib/sync-hub.ts';

const CHANGES = 100;
type SyncHub = Awaited<ReturnType<typeof startCwSyncHub>>;

async function setup(
  ctx: BenchContext,
  n: number,
): Promise<{ cw: ConnectWiseSimulator; hub: SyncHub; ids: number[] }> {
  const cw = await createConnectWiseSimulator();
  const start = Date.now();
  cw.setClock(new Date(start - 2 * 3_600_000));
  const ids: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    ids.push(cw.seedTicket({ summary: `Incr ${i}`, skipCallback: true }).id as number);
    if (i % 5000 === 4999) cw.advanceClock(1000);
  }
  cw.setClock(new Date(start - 3_600_000));
  const probe = cw.seedTicket({ summary: 'Incr probe', skipCallback: true }).id as number;
  cw.setClock(null);
  const hub = await startCwSyncHub(cw);
  const db = hub.database.db;
  await db.update(connections).set({
    cursor: encodeCursor({ ts: new Date(start - 90 * 60_000).toISOString(), id: 0 }),
    backfillDone: true,
  });
  await hub.engine.pullNow(CW_ID);
  const client = new pg.Client({ connectionString: hub.db.url });
  await client.connect();
  const q = async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[];
  const [tpl] = await q<{
    remote_state: Record<string, unknown>;
    owner: string;
    engagement: string;
    status: string;
    priority: string;
  }>(
    `select l.remote_state, t.owner_party_id as owner, t.engagement_id as engagement, t.status, t.priority from ticket_links l join tickets t on t.id = l.ticket_id where l.external_id = $1`,
    [String(probe)],
  );
  if (!tpl) throw new Error('probe ticket was not pulled');
  const t0 = performance.now();
  for (let lo = 0; lo < ids.length; lo += 50_000) {
    const chunk = ids.slice(lo, lo + 50_000);
    await q(
      `with src as (select unnest($1::text[]) as ext, unnest($2::text[]) as title),
       ins as (insert into tickets (title, status, priority, owner_party_id, origin_party_id, created_at, updated_at, engagement_id)
               select title, $3, $4, $5, $5, $6, $6, $9 from src returning id, title)
       insert into ticket_links (ticket_id, connection_id, external_id, remote_state, remote_updated_at, last_synced_at, comments_synced_at)
       select ins.id, $7, src.ext, jsonb_set($8::jsonb, '{title}', to_jsonb(ins.title)), $6, now(), now()
       from ins join src on src.title = ins.title`,
      [
        chunk.map(String),
        chunk.map((_, i) => `Incr ${lo + i}`),
        tpl.status,
        tpl.priority,
        tpl.owner,
        new Date(start - 2 * 3_600_000),
        CW_ID,
        JSON.stringify(tpl.remote_state),
        tpl.engagement,
      ],
    );
  }
  await q('analyze');
  await client.end();
  ctx.log(
    `hub and simulator hold ${n} tickets (SQL populate ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return { cw, hub, ids };
}

interface Cycle {
  ms: number;
  vendorMs: number;
  apiCalls: number;
  ticketsUpdated: number;
  writes: number;
}

async function cycle(
  s: { cw: ConnectWiseSimulator; hub: SyncHub; ids: number[] },
  rep: number,
): Promise<Cycle> {
  const step = Math.floor(s.ids.length / CHANGES);
  for (let i = 0; i < CHANGES; i++)
    s.cw.rename(s.ids[(i * step + rep + 1) % s.ids.length]!, `changed ${rep} ${i}`, { skipCallback: true });
  s.cw.resetCounters();
  s.hub.vendor.reset();
  let ms = 0;
  const { written } = await measureWrites(s.hub as BenchHub, async () => {
    const t0 = performance.now();
    await s.hub.engine.pullNow(CW_ID);
    ms = performance.now() - t0;
  });
  const apiCalls = s.cw.requestCount();
  const writes = Object.entries(written)
    .filter(([t]) => t !== 'connections')
    .reduce((a, [, v]) => a + v, 0);
  return { ms, vendorMs: s.hub.vendor.ms, apiCalls, ticketsUpdated: written.tickets ?? 0, writes };
}

export const incrementalRow: BenchRow = {
  id: 'incremental',
  what: `one sync cycle, ${CHANGES} changes, 10k vs big tool`,
  async run(ctx) {
    const big = ctx.size === 'full' ? 1_000_000 : 100_000;
    const small = await setup(ctx, 10_000);
    const large = await setup(ctx, big);
    try {
      const runs = await interleave(
        ctx,
        (rep) => cycle(large, rep + 1),
        (rep) => cycle(small, rep + 1),
      );
      const ratio = summarize(runs.a.map((a, i) => a.ms / runs.b[i]!.ms));
      const ratioOwn = summarize(
        runs.a.map((a, i) => (a.ms - a.vendorMs) / (runs.b[i]!.ms - runs.b[i]!.vendorMs)),
      );
      const calls = summarize(runs.a.map((r) => r.apiCalls));
      const smallCalls = summarize(runs.b.map((r) => r.apiCalls));
      const upd = summarize(runs.a.map((r) => r.ticketsUpdated));
      const pages = Math.ceil(CHANGES / 1000);
      const floor = pages + CHANGES;
      const ceiling = floor + CHANGES;
      return {
        baseline: 'the same cycle at 10,000',
        target: '<= 1.5x; API calls = pages + constant; rows written = changes',
        ratio,
        ratioLabel: `cycle time ${big / 1000}k / 10k`,
        figures: [
          figure('time ratio', 'x', 'lower', ratio),
          figure('time ratio without vendor time', 'x', 'lower', ratioOwn),
          figure(`cycle ms @${big}`, 'ms', 'lower', summarize(runs.a.map((r) => r.ms))),
          figure('cycle ms @10000', 'ms', 'lower', summarize(runs.b.map((r) => r.ms))),
          figure(`API calls @${big}`, 'calls', 'lower', calls),
          figure('API calls @10000', 'calls', 'lower', summarize(runs.b.map((r) => r.apiCalls))),
          figure('tickets updated', 'rows', 'lower', upd),
          figure(
            'all rows written (excl. connections)',
            'rows',
            'lower',
            summarize(runs.a.map((r) => r.writes)),
          ),
        ],
        checks: [
          {
            name: '<= 1.5x',
            ok: ratio.median <= 1.5,
            detail: `${ratio.median.toFixed(2)}x (hub-only ${ratioOwn.median.toFixed(2)}x)`,
          },
          {
            name: 'API calls independent of size',
            // Per cycle: the pages that hold the changes, plus one note read per changed ticket
            // (ConnectWise has no bulk note read) and per ticket of the previous cycle that the
            // cursor overlap (60 s) brings back while its change is within the comment slack (2 s,
            // for notes added in the same whole second). That depends on timing, never on size.
            ok: calls.median <= 1.2 * smallCalls.median && calls.max <= ceiling,
            detail: `median ${calls.median} [${calls.min}..${calls.max}] calls @${big} vs ${smallCalls.median} [${smallCalls.min}..${smallCalls.max}] @10k; ${pages} page of changes + ${CHANGES} note reads for this cycle's changes (floor ${floor}) + at most ${CHANGES} for the previous cycle's, met again in the overlap (ceiling ${ceiling})`,
          },
          {
            name: 'tickets updated = changes',
            ok: upd.min === CHANGES && upd.max === CHANGES,
            detail: `${upd.median} (all writes incl. events/links: ${summarize(runs.a.map((r) => r.writes)).median})`,
          },
        ],
        notes: ['the hub side is populated in SQL from a template link learnt from one real pull'],
      };
    } finally {
      for (const s of [small, large]) {
        await s.hub.stop();
        await s.cw.close();
      }
    }
  },
};
