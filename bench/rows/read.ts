/**
 * read: `tickets(first: 50)` with each ticket's assignee, over HTTP with a token, against a
 * plain node:http + pg handler that runs the same SQL and answers the same JSON.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { people, tickets } from '../../src/db/schema/index.ts';
import { type BenchRow, figure, interleave, nextMessage, ratioOf, spawnChild } from '../lib/harness.ts';
import { type BenchHub, POOL_MAX, startBenchHub } from '../lib/hub.ts';
import { installQueryCounter, queryCount, recordQueries } from '../lib/pg-count.ts';
import { percentile, summarize } from '../lib/stats.ts';

const QUERY = `{ tickets(first: 50) { edges { node { id key title status priority updatedAt assignee { id name email } } } } }`;

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

/** The baseline: token check (cached like the hub's), the same two statements, the same JSON. */
function startBaseline(
  url: string,
  tokens: Map<string, string>,
): Promise<{ server: Server; pool: pg.Pool; url: string }> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_MAX });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const raw = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const party = tokens.get(createHash('sha256').update(raw).digest('hex'));
        if (!party) {
          res.writeHead(401).end();
          return;
        }
        const list = await pool.query(
          `select id, number, title, status, priority, updated_at, assignee_id from tickets
           where (owner_party_id = $1 or (shared and not confidential))
           order by updated_at desc, id desc limit 51`,
          [party],
        );
        const rows = list.rows.slice(0, 50);
        const ids = [...new Set(rows.map((r) => r.assignee_id).filter(Boolean))];
        const ppl = ids.length
          ? (await pool.query('select id, name, email from people where id = any($1)', [ids])).rows
          : [];
        const byId = new Map(ppl.map((p) => [p.id, p]));
        const edges = rows.map((r) => {
          const p = r.assignee_id ? byId.get(r.assignee_id) : null;
          return {
            node: {
              id: gid('Ticket', r.id),
              key: `HUB-${r.number}`,
              title: r.title,
              status: r.status,
              priority: r.priority,
              updatedAt: (r.updated_at as Date).toISOString(),
              assignee: p ? { id: gid('Person', p.id), name: p.name, email: p.email } : null,
            },
          };
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { tickets: { edges } } }));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, pool, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` }),
    ),
  );
}

async function seed(hub: BenchHub, count: number): Promise<void> {
  const db = hub.database.db;
  const staff = await db
    .insert(people)
    .values(
      Array.from({ length: 20 }, (_, i) => ({
        partyId: hub.partyIds.internal,
        name: `Tech ${i}`,
        email: `tech${i}@corp.example`,
      })),
    )
    .returning();
  for (let i = 0; i < count; i += 1000) {
    await db.insert(tickets).values(
      Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        title: `Ticket ${i + j}`,
        engagementId: hub.engagementId,
        ownerPartyId: hub.partyIds.internal,
        originPartyId: hub.partyIds.internal,
        assigneeId: staff[(i + j) % staff.length]!.id,
        updatedAt: new Date(Date.now() - (i + j) * 1000),
      })),
    );
  }
}

/**
 * One load run; besides autocannon's figures, the CPU this process spent per answered request
 * (only the server under load is busy in it). CPU time is far steadier than req/s on a shared,
 * noisy machine, so its ratio is reported next to the throughput ratio.
 */
async function load(url: string, token: string, seconds: number) {
  const cpu0 = process.cpuUsage();
  const r = await loadOnce(url, token, seconds);
  const cpu = process.cpuUsage(cpu0);
  return { ...r, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, r.total) };
}

async function loadOnce(url: string, token: string, seconds: number) {
  const child = spawnChild(new URL('./read-load.ts', import.meta.url), [
    url,
    token,
    JSON.stringify({ query: QUERY }),
    String(seconds),
    '20',
  ]);
  return nextMessage<{ rps: number; total: number; p50: number; p99: number; non2xx: number }>(
    child,
    'result',
  );
}

export const readRow: BenchRow = {
  id: 'read',
  what: 'tickets(first: 50) + assignee over HTTP, token on',
  async run(ctx) {
    installQueryCounter();
    const hub = await startBenchHub('read');
    const base = await (async () => {
      await seed(hub, ctx.size === 'full' ? 10_000 : 2_000);
      const token = await hub.token('internal', 'VIEWER');
      const tokens = new Map([[createHash('sha256').update(token).digest('hex'), hub.partyIds.internal]]);
      return { token, ...(await startBaseline(hub.db.url, tokens)) };
    })();
    try {
      const seconds = ctx.size === 'full' ? 10 : 4;
      // Same JSON from both (the hub's answer is the reference).
      const post = (u: string) =>
        fetch(u, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${base.token}` },
          body: JSON.stringify({ query: QUERY }),
        }).then((r) => r.text());
      const [hubJson, baseJson] = [await post(hub.url), await post(base.url)];
      const sameJson = hubJson === baseJson;
      // N+1 check: queries per request, counted at the pg client, over 20 sequential requests.
      const before = queryCount();
      for (let i = 0; i < 20; i++) await post(hub.url);
      const perRequest = (queryCount() - before) / 20;
      const sqlTexts = await recordQueries(() => post(hub.url));
      const runs = await interleave(
        ctx,
        () => load(hub.url, base.token, seconds),
        () => load(base.url, base.token, seconds),
      );
      const errors = [...runs.a, ...runs.b].reduce((s, r) => s + r.non2xx, 0);
      const thr = ratioOf(
        runs.a.map((r) => r.rps),
        runs.b.map((r) => r.rps),
      );
      const p99 = ratioOf(
        runs.a.map((r) => r.p99),
        runs.b.map((r) => r.p99),
      );
      const cpu = ratioOf(
        runs.a.map((r) => r.cpuMsPerRequest),
        runs.b.map((r) => r.cpuMsPerRequest),
      );
      const thrS = summarize(thr);
      const p99S = summarize(p99);
      return {
        baseline: 'node:http + pg, same SQL, same JSON',
        target: 'thr >= 0.5x (aim 0.75x), p99 <= 2.5x, no N+1',
        ratio: thrS,
        ratioLabel: 'throughput hub/base',
        figures: [
          figure('throughput ratio', 'x', 'higher', thrS),
          figure('p99 ratio', 'x', 'lower', p99S),
          figure('hub req/s', 'req/s', 'higher', summarize(runs.a.map((r) => r.rps))),
          figure('base req/s', 'req/s', 'higher', summarize(runs.b.map((r) => r.rps))),
          figure('hub p50', 'ms', 'lower', summarize(runs.a.map((r) => r.p50))),
          figure('hub p99', 'ms', 'lower', summarize(runs.a.map((r) => r.p99))),
          figure('base p50', 'ms', 'lower', summarize(runs.b.map((r) => r.p50))),
          figure('base p99', 'ms', 'lower', summarize(runs.b.map((r) => r.p99))),
          figure('CPU per request ratio', 'x', 'lower', summarize(cpu)),
          figure('hub CPU per request', 'ms', 'lower', summarize(runs.a.map((r) => r.cpuMsPerRequest))),
          figure('base CPU per request', 'ms', 'lower', summarize(runs.b.map((r) => r.cpuMsPerRequest))),
          figure('queries/request', 'q', 'lower', summarize([perRequest])),
        ],
        checks: [
          {
            name: 'throughput >= 0.5x',
            ok: thrS.median >= 0.5,
            detail: `${thrS.median.toFixed(2)}x (aim 0.75x)`,
          },
          { name: 'p99 <= 2.5x', ok: p99S.median <= 2.5, detail: `${p99S.median.toFixed(2)}x` },
          { name: 'no N+1', ok: perRequest <= 3, detail: `${perRequest} queries/request` },
          {
            name: 'same JSON',
            ok: sameJson,
            detail: sameJson
              ? 'byte-identical'
              : `hub ${hubJson.slice(0, 80)} / base ${baseJson.slice(0, 80)}`,
          },
          { name: 'no errors', ok: errors === 0, detail: `${errors} non-2xx/errors` },
        ],
        notes: [
          `${seconds}s per run, 20 connections, ${percentile([perRequest], 50)} queries/request: ${sqlTexts.map((s) => s.replace(/\s+/g, ' ').slice(0, 60)).join(' | ')}`,
        ],
      };
    } finally {
      await new Promise((r) => base.server.close(r));
      await base.pool.end();
      await hub.stop();
    }
  },
};
