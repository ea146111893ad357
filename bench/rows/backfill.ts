/**
 * backfill: N tickets, each with a comment, pulled from the ServiceNow simulator (no added
 * latency; the connector's largest page, 10,000 incidents, and its bulk journal read) into an
 * empty hub; baselines: `COPY` of the same rows into plain tables, and the same rows as
 * single-row INSERTs. idempotent: the same backfill again (cursor forgotten), counting rows
 * inserted/updated in pg_stat_user_tables.
 */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  createServiceNowSimulator,
  type ServiceNowSimulator,
} from '../../connectors/servicenow/simulator.ts';
import { connections } from '../../src/db/schema/index.ts';
import { type BenchContext, type BenchRow, figure, interleave } from '../lib/harness.ts';
import { type BenchDb, createBenchDb } from '../lib/hub.ts';
import { summarize } from '../lib/stats.ts';
import { measureWrites, SN_ID, startSnSyncHub } from '../lib/sync-hub.ts';

/** The ServiceNow connector's largest page (its config allows 1..10,000). */
const PAGE_SIZE = 10_000;

interface Row {
  externalId: string;
  title: string;
  status: string;
  priority: string;
  createdAt: string;
  updatedAt: string;
  note: string;
}

async function seedSimulator(
  ctx: BenchContext,
  n: number,
): Promise<{ sn: ServiceNowSimulator; rows: Row[] }> {
  const sn = await createServiceNowSimulator();
  // Seeded an hour ago: a later pull must not see them as "changed around the last comment read".
  sn.setClock(new Date(Date.now() - 3_600_000));
  const t0 = performance.now();
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const note = `First note of ticket ${i}`;
    // An agent opens the incident with an additional comment: one journal entry each.
    const r = sn.seedIncident({
      short_description: `Backfill ticket ${i}`,
      description: `Backfill ticket ${i}, seeded by the bench`,
      comments: note,
    });
    rows.push({
      externalId: r['sys_id']!,
      title: r['short_description']!,
      status: r['state']!,
      priority: r['priority']!,
      createdAt: r['sys_created_on']!,
      updatedAt: r['sys_updated_on']!,
      note,
    });
    if (i % 1000 === 999) sn.advanceClock(1000);
  }
  sn.setClock(null);
  ctx.log(`seeded ${n} incidents with a comment each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { sn, rows };
}

const DDL = `
  drop table if exists plain_comments; drop table if exists plain_tickets;
  create table plain_tickets (id uuid primary key default gen_random_uuid(), external_id text not null unique,
    title text not null, status text not null, priority text not null, created_at timestamptz not null, updated_at timestamptz not null);
  create table plain_comments (id uuid primary key default gen_random_uuid(), ticket_external_id text not null,
    body text not null, created_at timestamptz not null);`;

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

async function copyRows(db: BenchDb, rows: Row[]): Promise<number> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(DDL);
    const t0 = performance.now();
    await pipeline(
      Readable.from(
        rows.map(
          (r) =>
            `${r.externalId}\t${esc(r.title)}\t${r.status}\t${r.priority}\t${r.createdAt}\t${r.updatedAt}\n`,
        ),
      ),
      client.query(
        copyFrom(
          'copy plain_tickets (external_id, title, status, priority, created_at, updated_at) from stdin',
        ),
      ),
    );
    await pipeline(
      Readable.from(rows.map((r) => `${r.externalId}\t${esc(r.note)}\t${r.createdAt}\n`)),
      client.query(copyFrom('copy plain_comments (ticket_external_id, body, created_at) from stdin')),
    );
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

async function singleRowInserts(db: BenchDb, rows: Row[]): Promise<number> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(DDL);
    const t0 = performance.now();
    for (const r of rows) {
      await client.query(
        'insert into plain_tickets (external_id, title, status, priority, created_at, updated_at) values ($1,$2,$3,$4,$5,$6)',
        [r.externalId, r.title, r.status, r.priority, r.createdAt, r.updatedAt],
      );
      await client.query(
        'insert into plain_comments (ticket_external_id, body, created_at) values ($1,$2,$3)',
        [r.externalId, r.note, r.createdAt],
      );
    }
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

interface HubRun {
  ms: number;
  vendorMs: number;
  vendorCalls: number;
  /** HTTP requests the simulator answered (a bulk journal read is one call of many requests). */
  requests: number;
  records: number;
  again?: {
    ms: number;
    written: Record<string, number>;
    stat: Record<string, { ins: number; upd: number }> | null;
  };
}

async function hubBackfill(sn: ServiceNowSimulator, n: number, withIdempotent: boolean): Promise<HubRun> {
  const hub = await startSnSyncHub(sn, PAGE_SIZE);
  try {
    hub.vendor.reset();
    const requests0 = sn.requestCount();
    const t0 = performance.now();
    const r = await hub.engine.pullNow(SN_ID);
    const ms = performance.now() - t0;
    const res = (await hub.database.db.execute('select count(*)::int as count from tickets')) as unknown as {
      rows: { count: number }[];
    };
    const count = res.rows[0]?.count;
    if (count !== n) throw new Error(`backfill stored ${count} tickets, expected ${n}`);
    const run: HubRun = {
      ms,
      vendorMs: hub.vendor.ms,
      vendorCalls: hub.vendor.calls,
      requests: sn.requestCount() - requests0,
      records: r.records,
    };
    if (withIdempotent) {
      await hub.database.db.update(connections).set({ cursor: null, backfillDone: false });
      let againMs = 0;
      const m = await measureWrites(
        hub,
        async () => {
          const t1 = performance.now();
          await hub.engine.pullNow(SN_ID);
          againMs = performance.now() - t1;
        },
        true,
      );
      run.again = { ms: againMs, written: m.written, stat: m.stat };
    }
    return run;
  } finally {
    await hub.stop();
  }
}

let shared: Promise<{ sn: ServiceNowSimulator; rows: Row[] }> | null = null;
const simulatorFor = (ctx: BenchContext, n: number) => (shared ??= seedSimulator(ctx, n));
const sizeOf = (ctx: BenchContext) => (ctx.size === 'full' ? 100_000 : 10_000);

export const backfillRow: BenchRow = {
  id: 'backfill',
  what: 'N tickets + 1 comment each, ServiceNow simulator -> empty hub',
  async run(ctx) {
    const n = sizeOf(ctx);
    const { sn, rows } = await simulatorFor(ctx, n);
    const plain = await createBenchDb('plain');
    try {
      const hubRuns: HubRun[] = [];
      const single: number[] = [];
      const runs = await interleave(
        ctx,
        async (rep) => {
          const r = await hubBackfill(sn, n, false);
          if (rep >= 0) hubRuns.push(r);
          ctx.log(
            `hub backfill ${n}: ${(r.ms / 1000).toFixed(1)} s (vendor ${(r.vendorMs / 1000).toFixed(1)} s, ${r.vendorCalls} calls, ${r.requests} requests)`,
          );
          return r.ms;
        },
        async (rep) => {
          const copy = await copyRows(plain, rows);
          const s = await singleRowInserts(plain, rows);
          if (rep >= 0) single.push(s);
          return copy;
        },
      );
      const rowsPerS = (ms: number) => (2 * n) / (ms / 1000);
      const ratio = summarize(runs.a.map((h, i) => runs.b[i]! / h));
      const vsSingle = summarize(runs.a.map((h, i) => single[i]! / h));
      const ownMs = hubRuns.map((r) => r.ms - r.vendorMs);
      const ratioOwn = summarize(ownMs.map((h, i) => runs.b[i]! / h));
      return {
        baseline: 'COPY of the same rows (and single-row INSERTs)',
        target: '>= 0.5x COPY (aim 0.7x), >= 8x single-row',
        ratio,
        ratioLabel: 'speed hub/COPY (end to end)',
        figures: [
          figure('speed vs COPY', 'x', 'higher', ratio),
          figure('speed vs COPY, hub time without vendor calls', 'x', 'higher', ratioOwn),
          figure('speed vs single-row', 'x', 'higher', vsSingle),
          figure('hub rows/s', 'rows/s', 'higher', summarize(runs.a.map(rowsPerS))),
          figure('COPY rows/s', 'rows/s', 'higher', summarize(runs.b.map(rowsPerS))),
          figure('single-row rows/s', 'rows/s', 'higher', summarize(single.map(rowsPerS))),
          figure('hub seconds', 's', 'lower', summarize(runs.a.map((m) => m / 1000))),
          figure(
            'vendor share of hub time',
            '%',
            'lower',
            summarize(hubRuns.map((r) => (100 * r.vendorMs) / r.ms)),
          ),
        ],
        checks: [
          {
            name: '>= 0.5x COPY',
            ok: ratio.median >= 0.5,
            detail: `${ratio.median.toFixed(3)}x end to end; ${ratioOwn.median.toFixed(3)}x excluding simulator time`,
          },
          {
            name: '>= 8x single-row inserts',
            ok: vsSingle.median >= 8,
            detail: `${vsSingle.median.toFixed(2)}x`,
          },
        ],
        notes: [
          `${n} tickets + ${n} comments = ${2 * n} rows; per backfill: ${hubRuns[0]?.vendorCalls} connector calls, ${hubRuns[0]?.requests} HTTP requests (pages of ${PAGE_SIZE}, journals 100 incidents per request)`,
        ],
      };
    } finally {
      await plain.drop();
    }
  },
};

export const idempotentRow: BenchRow = {
  id: 'idempotent',
  what: 'the same backfill again (cursor forgotten)',
  async run(ctx) {
    const n = sizeOf(ctx);
    const { sn } = await simulatorFor(ctx, n);
    const writes: number[] = [];
    const seconds: number[] = [];
    let detail = '';
    for (let rep = 0; rep < Math.min(ctx.reps, ctx.size === 'full' ? 1 : 5); rep++) {
      const r = await hubBackfill(sn, n, true);
      const { written, stat } = r.again!;
      const data = Object.entries(written).filter(([t]) => t !== 'connections');
      const statData = Object.entries(stat ?? {}).filter(([t]) => t !== 'connections');
      writes.push(
        Math.max(
          data.reduce((a, [, v]) => a + v, 0),
          statData.reduce((a, [, v]) => a + v.ins + v.upd, 0),
        ),
      );
      seconds.push(r.again!.ms / 1000);
      detail = `row versions by xmin ${JSON.stringify(written)}; pg_stat_user_tables ${JSON.stringify(stat)}`;
    }
    const total = summarize(writes);
    return {
      baseline: 'nothing (0 writes)',
      target: '0 rows inserted or updated',
      ratio: total,
      ratioLabel: 'rows written on re-run',
      figures: [
        figure('rows written', 'rows', 'lower', total),
        figure('re-run seconds', 's', 'lower', summarize(seconds)),
      ],
      checks: [
        { name: 'zero ticket data rows written', ok: total.max === 0, detail: `last run deltas: ${detail}` },
      ],
      notes: [
        'connections (cursor and lease bookkeeping, one update per page) is excluded from the count and shown in the deltas',
      ],
    };
  },
};
