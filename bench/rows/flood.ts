/**
 * flood (#15): several clients flood the hub with expensive queries while another client runs
 * a simple one; its p99 is compared with the same client's p99 without the flood, in the same
 * run. The flood mixes the #15 attack (twenty aliases of nested lists sized by a variable,
 * refused by the cost limit before it runs) and the dearest query the default MAX_QUERY_COST
 * still accepts. Before the cost limit read variables, two attack requests took a second
 * client's p99 from 23 ms to 3.1 s.
 */
import { comments, tickets } from '../../src/db/schema/index.ts';
import { type BenchRow, figure, interleave, nextMessage, ratioOf, spawnChild } from '../lib/harness.ts';
import { type BenchHub, startBenchHub } from '../lib/hub.ts';
import { summarize } from '../lib/stats.ts';

const SIMPLE = '{ tickets(first: 10) { edges { node { id title status } } } }';
const copy = (i: number) =>
  `c${i}: tickets(first: $n) { edges { node { id comments(first: $n) { edges { node { id body } } } } } }`;
const ATTACK = {
  query: `query($n: Int) { ${Array.from({ length: 20 }, (_, i) => copy(i)).join(' ')} }`,
  variables: { n: 100 },
};
/** Cost 1 + 100 x (2 + 1 + 20 x 2) = 4,301: under the default limit of 5,000. */
const DEAREST_ALLOWED = {
  query: `query($n: Int) { tickets(first: $n) { edges { node { id title
    comments(first: 20) { edges { node { id body createdAt } } } } } } }`,
  variables: { n: 100 },
};
const TARGET = 10;

interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function load(url: string, token: string, body: object, seconds: number, connections: number) {
  const child = spawnChild(new URL('./read-load.ts', import.meta.url), [
    url,
    token,
    JSON.stringify(body),
    String(seconds),
    String(connections),
  ]);
  return nextMessage<LoadResult>(child, 'result');
}

async function seed(hub: BenchHub, count: number): Promise<void> {
  const db = hub.database.db;
  for (let i = 0; i < count; i += 500) {
    const rows = await db
      .insert(tickets)
      .values(
        Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
          title: `Flood ${i + j}`,
          engagementId: hub.engagementId,
          ownerPartyId: hub.partyIds.internal,
          originPartyId: hub.partyIds.internal,
          shared: true,
        })),
      )
      .returning({ id: tickets.id });
    await db.insert(comments).values(
      rows.flatMap((t) =>
        Array.from({ length: 20 }, (_, k) => ({
          ticketId: t.id,
          partyId: hub.partyIds.internal,
          body: `comment ${k} `.repeat(10),
          visibility: 'PUBLIC' as const,
        })),
      ),
    );
  }
}

export const floodRow: BenchRow = {
  id: 'flood',
  what: "a simple query's p99 while 6 clients flood expensive queries",
  async run(ctx) {
    // Default limits: the row measures the hub as it ships.
    const hub = await startBenchHub('flood', { env: {} });
    try {
      await seed(hub, ctx.size === 'full' ? 2_000 : 500);
      const attacker = await hub.token('msp', 'VIEWER');
      const victim = await hub.token('internal', 'VIEWER');
      const probe = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${attacker}` },
        body: JSON.stringify(ATTACK),
      }).then((r) => r.json() as Promise<{ errors?: { extensions?: { code?: string } }[] }>);
      const refused = probe.errors?.[0]?.extensions?.code === 'QUERY_TOO_COSTLY';
      const seconds = ctx.size === 'full' ? 8 : 4;
      let flooded: LoadResult[] = [];
      const runs = await interleave(
        ctx,
        async () => {
          const [simple, ...flood] = await Promise.all([
            load(hub.url, victim, { query: SIMPLE }, seconds, 1),
            load(hub.url, attacker, ATTACK, seconds, 4),
            load(hub.url, attacker, DEAREST_ALLOWED, seconds, 2),
          ]);
          flooded = flood;
          return simple;
        },
        () => load(hub.url, victim, { query: SIMPLE }, seconds, 1),
      );
      const p99 = summarize(
        ratioOf(
          runs.a.map((r) => r.p99),
          runs.b.map((r) => r.p99),
        ),
      );
      const errors = [...runs.a, ...runs.b].reduce((s, r) => s + r.non2xx, 0);
      return {
        baseline: 'the same client and query without the flood',
        target: `p99 with flood <= ${TARGET}x p99 without`,
        ratio: p99,
        ratioLabel: 'p99 flood/quiet',
        figures: [
          figure('p99 ratio', 'x', 'lower', p99),
          figure('simple p99 flooded', 'ms', 'lower', summarize(runs.a.map((r) => r.p99))),
          figure('simple p99 quiet', 'ms', 'lower', summarize(runs.b.map((r) => r.p99))),
          figure('simple p50 flooded', 'ms', 'lower', summarize(runs.a.map((r) => r.p50))),
          figure('simple p50 quiet', 'ms', 'lower', summarize(runs.b.map((r) => r.p50))),
        ],
        checks: [
          { name: `p99 <= ${TARGET}x`, ok: p99.median <= TARGET, detail: `${p99.median.toFixed(2)}x` },
          {
            name: 'attack refused by cost',
            ok: refused,
            detail: refused ? 'QUERY_TOO_COSTLY' : JSON.stringify(probe).slice(0, 120),
          },
          { name: 'simple query never failed', ok: errors === 0, detail: `${errors} non-2xx/errors` },
        ],
        notes: [
          `${seconds}s per run; flood: 4 connections of the 20-alias attack (${flooded[0]?.rps.toFixed(0) ?? '?'} req/s), 2 of the dearest allowed query (${flooded[1]?.rps.toFixed(0) ?? '?'} req/s)`,
        ],
      };
    } finally {
      await hub.stop();
    }
  },
};
