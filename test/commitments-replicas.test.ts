/**
 * The clock worker on three real replicas (`src/main.ts` processes on one Postgres), one of them
 * killed with SIGKILL while clocks are coming due: every obligation is breached exactly once, and
 * the survivors pick up whatever the dead replica had claimed (its transaction rolls back).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapIfEmpty } from '../src/auth/bootstrap.ts';
import { createDatabase, type Database } from '../src/db/client.ts';
import { parties, ticketClocks, ticketEvents } from '../src/db/schema/index.ts';
import { saveCalendar, savePolicy } from '../src/domain/commitments/admin.ts';
import { createTicket } from '../src/domain/ticket-store.ts';
import { createLogger } from '../src/logger.ts';
import { createTestDatabase, postgresUnavailable } from './support/backends.ts';
import { actorOf, defaultEngagement } from './support/commitments.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLOCKS = 300;
const skipReason = await postgresUnavailable();
if (skipReason) console.warn(`[skip commitments replicas] ${skipReason}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(HUB_|VITEST|DATABASE_URL$|PORT$|HOST$|PUBLIC_URL$|SYNC_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

describe.skipIf(skipReason !== null)('clock worker on three replicas', () => {
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  const replicas: { child: ChildProcess; port: number; output: string[] }[] = [];

  beforeAll(async () => {
    pg = await createTestDatabase();
    database = await createDatabase({
      url: pg.url,
      dataDir: 'memory://',
      log: createLogger('silent'),
      poolMax: 5,
    });
    await bootstrapIfEmpty(database.db);
  });
  afterAll(async () => {
    for (const r of replicas)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await database?.close();
    await pg?.drop();
  });

  it('breaches every obligation exactly once with a replica killed mid-run', {
    timeout: 120_000,
  }, async () => {
    const db = database.db;
    const engagement = await defaultEngagement(db);
    const [msp] = await db.select().from(parties).where(eq(parties.slug, 'msp'));
    await saveCalendar(db, engagement, {
      key: 'always',
      name: '24x7',
      calendar: { timeZone: 'UTC', hours: '24x7' },
    });
    await savePolicy(db, engagement, {
      key: 'msp-response',
      name: 'MSP first response',
      kind: 'SLA',
      metric: 'FIRST_RESPONSE',
      targets: [{ priority: 'HIGH', minutes: 60 }],
      calendar: 'always',
      clockStart: 'ON_CREATE',
      warningPercents: [],
    });

    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: REPO,
        env: childEnv({
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
          DATABASE_URL: pg.url,
          LOG_LEVEL: 'warn',
          PG_POOL_MAX: '3',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
      child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
      replicas.push({ child, port, output });
    }
    for (const r of replicas) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${r.port}/readyz`).then(
          (res) => res.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`replica did not start:\n${r.output.join('')}`);
        await sleep(200);
      }
    }

    const actor = actorOf(msp!.id, engagement, 'seeder');
    for (let i = 0; i < CLOCKS; i++) {
      await createTicket(db, actor, {
        engagementId: engagement.id,
        title: `due ${i}`,
        priority: 'HIGH',
        ownerPartyId: msp!.id,
      });
    }
    // Seeding through the write path takes a while; then the clocks are moved (in one statement)
    // to fall due spread over four seconds from two seconds on, so the kill lands mid-run.
    await db.execute(sql`
      with c as (select id, row_number() over (order by id) as n from ticket_clocks)
      update ticket_clocks t set
        running_since = now() - interval '58 seconds' + (c.n * ${Math.floor(4000 / CLOCKS)}) * interval '1 millisecond',
        target_ms = 60000, spent_ms = 0,
        due_at = now() + interval '2 seconds' + (c.n * ${Math.floor(4000 / CLOCKS)}) * interval '1 millisecond',
        next_fire_at = now() + interval '2 seconds' + (c.n * ${Math.floor(4000 / CLOCKS)}) * interval '1 millisecond'
      from c where c.id = t.id`);
    const breached = async () =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(ticketClocks)
          .where(isNotNull(ticketClocks.breachedAt))
      )[0]!.n;

    // Kill one replica once the breaches are under way.
    const deadline = Date.now() + 60_000;
    while ((await breached()) < CLOCKS / 3 && Date.now() < deadline) await sleep(20);
    replicas[0]!.child.kill('SIGKILL');
    const atKill = await breached();
    while ((await breached()) < CLOCKS && Date.now() < deadline) await sleep(100);
    // Give any straggler a chance to fire a second time (it must not).
    await sleep(1500);

    expect(atKill).toBeLessThan(CLOCKS);
    expect(await breached()).toBe(CLOCKS);
    const perClock = await db
      .select({ clockId: ticketEvents.clockId, n: sql<number>`count(*)::int` })
      .from(ticketEvents)
      .where(eq(ticketEvents.type, 'SLA_BREACHED'))
      .groupBy(ticketEvents.clockId);
    expect(perClock).toHaveLength(CLOCKS);
    expect(perClock.filter((r) => r.n !== 1)).toEqual([]);
    expect(replicas[1]!.child.exitCode).toBeNull();
    expect(replicas[2]!.child.exitCode).toBeNull();
  });
});
