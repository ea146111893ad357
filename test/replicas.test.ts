/**
 * Several hub replicas on one Postgres: three real `src/main.ts` processes share a fresh
 * database and sync with a ConnectWise and a Request Tracker simulator running here.
 *
 * Each replica reaches the simulators through its own small forwarding front (one per
 * replica and tool), so the test knows which replica sent a vendor request and can slow a
 * request down or hold it. The simulators themselves are untouched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type ConnectWiseSimulator,
  createConnectWiseSimulator,
} from '../connectors/connectwise/simulator.ts';
import { type RtSimulator, startRtSimulator } from '../connectors/request-tracker/simulator.ts';
import { createApiToken } from '../src/auth/tokens.ts';
import { createDatabase, type Database } from '../src/db/client.ts';
import { parties } from '../src/db/schema/index.ts';
import { createLogger } from '../src/logger.ts';
import { createTestDatabase, postgresUnavailable } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';
import { COMMENT, TICKET_FIELDS, type TicketView, UPDATE } from './support/ops.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CW_ID = 'msp-connectwise';
const RT_ID = 'internal-rt';
const DELIVERY_LEASE_MS = 2000;
const PULL_LEASE_MS = 1500;

const skipReason = await postgresUnavailable();
if (skipReason) console.warn(`[skip replicas] ${skipReason}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Forwarding fronts: replica -> front -> simulator. Hooks see every request and may delay it.

interface FrontRequest {
  replica: number;
  method: string;
  path: string;
  /** True once the caller's connection is gone (e.g. its process was killed). */
  gone(): boolean;
}
interface FrontHooks {
  /** Runs before the request is forwarded; may return a function run when it is over. */
  before?(req: FrontRequest): Promise<(() => void) | undefined> | (() => void) | undefined;
  /** Runs after the vendor answered, before the answer goes back. */
  after?(req: FrontRequest): Promise<void> | void;
}
interface Front {
  origin: string;
  close(): Promise<void>;
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

async function startFront(target: string, replica: number, hooks: FrontHooks): Promise<Front> {
  const server: Server = createServer(async (req, res) => {
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) gone = true;
    });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const info: FrontRequest = {
      replica,
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://front').pathname,
      gone: () => gone,
    };
    let done: (() => void) | undefined;
    try {
      done = (await hooks.before?.(info)) ?? undefined;
      // The caller died while its request was held: the vendor never sees it.
      if (gone) return;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (!HOP_HEADERS.has(k) && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const upstream = await fetch(`${target}${req.url}`, {
        method: info.method,
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      await hooks.after?.(info);
      if (gone) return;
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!HOP_HEADERS.has(k) && k !== 'content-encoding') out[k] = v;
      });
      res.writeHead(upstream.status, out);
      res.end(body);
    } catch (err) {
      if (!gone && !res.headersSent) {
        res.writeHead(502);
        res.end(String(err));
      }
    } finally {
      done?.();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Hub processes.

interface Replica {
  index: number;
  port: number;
  url: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

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

async function waitReady(r: Replica, timeoutMs = 60_000): Promise<void> {
  let exitCode: number | null | 'running' = 'running';
  void r.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== 'running')
      throw new Error(`replica ${r.index} exited (${exitCode}) before ready:\n${r.output.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${r.port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`replica ${r.index} not ready after ${timeoutMs} ms:\n${r.output.join('')}`);
}

interface Subscriber {
  replica: number;
  proc: Replica;
  client: Client;
  events: { id: string; type: string; ticketVersion: number; ticket: { id: string } }[];
  errors: unknown[];
}

const SUBSCRIPTION = 'subscription { ticketEvents { id type ticketVersion source ticket { id } } }';

const describeIf = skipReason ? describe.skip : describe;

describeIf('three hub replicas on one Postgres', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let database: Database | undefined;
  let cw: ConnectWiseSimulator | undefined;
  let rt: RtSimulator | undefined;
  let dir = '';
  const fronts: Front[] = [];
  const replicas: Replica[] = [];
  const everStarted: Replica[] = [];
  const subscribers: Subscriber[] = [];
  const releasers: (() => void)[] = [];
  let token = '';
  let internalId = '';
  /** Hub ticket uuids the test made after the subscriptions were live. */
  const tracked = new Set<string>();

  // Request Tracker list requests, per replica, to see whether pulls ever overlap.
  let rtListLatencyMs = 0;
  const rtInFlight = new Map<number, number>();
  let rtMaxReplicasListing = 0;
  let rtListsDone = 0;
  const rtListsBy = new Map<number, number>();

  // ConnectWise ticket PATCHes can be held once, before they reach the vendor or after.
  type Held = { replica: number; release(): void };
  let holdNext: { phase: 'before' | 'after'; onHeld(h: Held): void } | null = null;
  const holdPatch = (phase: 'before' | 'after') =>
    new Promise<Held>((resolve) => {
      holdNext = { phase, onHeld: resolve };
    });
  const isTicketPatch = (r: FrontRequest) => r.method === 'PATCH' && /\/service\/tickets\/\d+$/.test(r.path);
  const maybeHold = async (phase: 'before' | 'after', r: FrontRequest) => {
    if (!isTicketPatch(r) || holdNext?.phase !== phase) return;
    const h = holdNext;
    holdNext = null;
    await new Promise<void>((resolve) => {
      releasers.push(resolve);
      h.onHeld({ replica: r.replica, release: resolve });
    });
  };

  const cwHooks: FrontHooks = {
    before: async (r) => {
      await maybeHold('before', r);
      return undefined;
    },
    after: (r) => maybeHold('after', r),
  };
  const rtHooks: FrontHooks = {
    before: async (r) => {
      if (r.method !== 'GET' || r.path !== '/REST/2.0/tickets') return undefined;
      rtInFlight.set(r.replica, (rtInFlight.get(r.replica) ?? 0) + 1);
      const listing = [...rtInFlight.values()].filter((n) => n > 0).length;
      rtMaxReplicasListing = Math.max(rtMaxReplicasListing, listing);
      if (rtListLatencyMs) await sleep(rtListLatencyMs);
      return () => {
        rtInFlight.set(r.replica, (rtInFlight.get(r.replica) ?? 1) - 1);
        rtListsDone++;
        rtListsBy.set(r.replica, (rtListsBy.get(r.replica) ?? 0) + 1);
      };
    },
  };

  const cwFronts: Front[] = [];
  const rtFronts: Front[] = [];

  async function startReplica(index: number): Promise<Replica> {
    if (!cw || !rt || !db) throw new Error('setup incomplete');
    const { privateKey, ...cwSettings } = cw.connectorConfig({
      pageSize: 25,
      baseUrl: `${cwFronts[index]!.origin}/v4_6_release/apis/3.0`,
    });
    const file = join(dir, `connections-${index}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        connections: [
          {
            id: CW_ID,
            connector: 'connectwise',
            party: 'msp',
            settings: { ...cwSettings, privateKey: { env: 'CW_PRIVATE_KEY' } },
            pollIntervalSeconds: 2,
          },
          {
            id: RT_ID,
            connector: 'request-tracker',
            party: 'internal',
            settings: { baseUrl: rtFronts[index]!.origin, token: { env: 'RT_TOKEN' }, pageSize: 25 },
            pollIntervalSeconds: 1,
          },
        ],
      }),
    );
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO,
      env: childEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        HUB_CONNECTIONS_FILE: file,
        LOG_LEVEL: 'warn',
        PG_POOL_MAX: '5',
        CW_PRIVATE_KEY: privateKey,
        RT_TOKEN: rt.token,
        SYNC_DELIVERY_LEASE_MS: String(DELIVERY_LEASE_MS),
        SYNC_PULL_LEASE_MS: String(PULL_LEASE_MS),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(`[replica ${index}] ${chunk.toString()}`);
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const r: Replica = { index, port, url: `http://127.0.0.1:${port}/graphql`, child, output, exited };
    everStarted.push(r);
    return r;
  }

  async function gql<T>(r: Replica, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(r.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  function subscribe(r: Replica): Subscriber {
    const client = createClient({
      url: `ws://127.0.0.1:${r.port}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      // A killed replica drops its sockets; that is expected here, not worth a console trace.
      onNonLazyError: () => {},
    });
    const s: Subscriber = { replica: r.index, proc: r, client, events: [], errors: [] };
    client.subscribe<{ ticketEvents: Subscriber['events'][number] }>(
      { query: SUBSCRIPTION },
      {
        next: (v) => {
          if (v.errors) s.errors.push(...v.errors);
          if (v.data) s.events.push(v.data.ticketEvents);
        },
        error: (err) => s.errors.push(err),
        complete: () => {},
      },
    );
    subscribers.push(s);
    return s;
  }

  const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1]!;

  async function createTicket(r: Replica, title: string): Promise<TicketView> {
    const data = await gql<{ createTicket: { ticket: TicketView } }>(
      r,
      `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { ${TICKET_FIELDS} } } }`,
      { input: { title, ownerParty: 'msp' } },
    );
    tracked.add(uuidOf(data.createTicket.ticket.id));
    return data.createTicket.ticket;
  }

  async function getTicket(r: Replica, id: string): Promise<TicketView> {
    const data = await gql<{ node: TicketView }>(
      r,
      `query($id: ID!) { node(id: $id) { ... on Ticket { ${TICKET_FIELDS} } } }`,
      {
        id,
      },
    );
    return data.node;
  }

  const cwTicketFor = (uuid: string) =>
    cw!.listTickets().find((x) => (x as { externalXRef?: string }).externalXRef === uuid) as
      | { id: number; summary: string; priority: { name: string }; status: { name: string } }
      | undefined;

  async function count(sqlText: string, params: unknown[] = []): Promise<number> {
    const pool = (
      database as unknown as {
        db: { $client: { query: (q: string, p: unknown[]) => Promise<{ rows: { n: string }[] }> } };
      }
    ).db.$client;
    const res = await pool.query(sqlText, params);
    return Number(res.rows[0]?.n ?? 0);
  }

  const pendingWork = () =>
    count(
      "select (select count(*) from sync_outbox where state = 'pending') + (select count(*) from inbound_queue) as n",
    );
  const settled = () =>
    waitFor(
      'outbox and inbound queue to drain',
      async () => ((await pendingWork()) === 0 ? true : undefined),
      60_000,
    );
  const patches = () => cw!.writeCount('PATCH /service/tickets/{id}');
  const live = () => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);

  /** Events the test's tickets produced, from the table, oldest first. */
  async function expectedEventIds(): Promise<string[]> {
    const pool = (
      database as unknown as {
        db: { $client: { query: (q: string, p: unknown[]) => Promise<{ rows: { id: string }[] }> } };
      }
    ).db.$client;
    const res = await pool.query(
      `select id::text as id from ticket_events
        where ticket_id = any($1::uuid[]) and (restricted_to_party_id is null or restricted_to_party_id = $2)
        order by ticket_events.id`,
      [[...tracked], internalId],
    );
    return res.rows.map((r) => r.id);
  }

  /** Every event on the test's tickets reached `subs`, each exactly once, in order per ticket. */
  async function expectExactlyOnce(subs: Subscriber[]): Promise<void> {
    const seen = (s: Subscriber) => s.events.filter((e) => tracked.has(uuidOf(e.ticket.id)));
    const expected = await waitFor(
      'every subscriber to see every event',
      async () => {
        const ids = await expectedEventIds();
        return subs.every((s) => {
          const got = new Set(seen(s).map((e) => e.id));
          return ids.every((id) => got.has(id));
        })
          ? ids
          : undefined;
      },
      30_000,
    );
    await sleep(500); // a late duplicate would show up now
    const final = await expectedEventIds();
    for (const s of subs) {
      const events = seen(s);
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size, `replica ${s.replica}: duplicates`).toBe(ids.length);
      expect(
        [...ids].sort((a, b) => Number(a) - Number(b)),
        `replica ${s.replica}: events`,
      ).toEqual(final);
      expect(final.length).toBeGreaterThanOrEqual(expected.length);
      const byTicket = new Map<string, number[]>();
      for (const e of events) byTicket.set(e.ticket.id, [...(byTicket.get(e.ticket.id) ?? []), Number(e.id)]);
      for (const [ticket, list] of byTicket)
        expect(list, `replica ${s.replica}, ticket ${ticket}: order`).toEqual(
          [...list].sort((a, b) => a - b),
        );
      expect(s.errors, `replica ${s.replica}: subscription errors`).toEqual([]);
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    cw = await createConnectWiseSimulator();
    rt = await startRtSimulator();
    dir = mkdtempSync(join(tmpdir(), 'hub-replicas-'));
    for (let i = 0; i < 4; i++) {
      const c = await startFront(cw.origin, i, cwHooks);
      const r = await startFront(rt.url, i, rtHooks);
      cwFronts.push(c);
      rtFronts.push(r);
      fronts.push(c, r);
    }
    // All three start at once: migrations and the first-start bootstrap must cope.
    for (let i = 0; i < 3; i++) replicas.push(await startReplica(i));
    await Promise.all(replicas.map((r) => waitReady(r)));
    database = await createDatabase({
      url: db.url,
      dataDir: 'memory://',
      log: createLogger('silent'),
      poolMax: 3,
    });
    const all = await database.db.select().from(parties);
    expect(all.map((p) => p.slug).sort()).toEqual(['internal', 'msp']);
    internalId = all.find((p) => p.slug === 'internal')!.id;
    token = (await createApiToken(database.db, { partyId: internalId, role: 'ADMIN', name: 'replica test' }))
      .token;
    for (const r of replicas) subscribe(r);
    // graphql-ws has no subscribe acknowledgement: a warm-up ticket proves all three are live.
    await waitFor(
      'subscriptions on all replicas to be live',
      async () => {
        const t = await createTicket(replicas[0]!, 'Warm-up');
        tracked.delete(uuidOf(t.id));
        const deadline = Date.now() + 3000;
        while (Date.now() < deadline) {
          if (subscribers.every((s) => s.events.some((e) => e.ticket.id === t.id))) return true;
          await sleep(50);
        }
        return undefined;
      },
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    for (const release of releasers) release();
    await Promise.allSettled(subscribers.map((s) => s.client.dispose()));
    for (const r of everStarted) {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    }
    await Promise.allSettled(everStarted.map((r) => r.exited));
    await database?.close().catch(() => {});
    await Promise.allSettled(fronts.map((f) => f.close()));
    await cw?.close().catch(() => {});
    await rt?.close().catch(() => {});
    await db?.drop().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('(a) changes through every replica, and a ConnectWise callback to one, reach subscribers on all three exactly once, in order', async () => {
    const made: TicketView[] = [];
    for (let i = 0; i < 3; i++)
      made.push(await createTicket(replicas[i]!, `Replica ${i}: disk alert on SRV-${i}`));
    for (let i = 0; i < 3; i++) {
      const t = made[i]!;
      const via = replicas[(i + 1) % 3]!;
      await gql(via, UPDATE, { input: { id: t.id, expectedVersion: t.version, priority: 'HIGH' } });
      await gql(replicas[(i + 2) % 3]!, COMMENT, { input: { ticketId: t.id, body: `Looking at it (${i})` } });
    }
    await settled();
    const first = made[0]!;
    const cwTicket = await waitFor('the ticket in ConnectWise', () => cwTicketFor(uuidOf(first.id)));

    // A technician changes it in ConnectWise; the callback goes to replica 1 only. CW stamps
    // changes to the second and the merge keeps a hub field changed later than the record, so
    // let a second pass since the ticket was made.
    await sleep(1100);
    cw!.updateTicket(cwTicket.id, { status: 'In Progress' }, { by: 'jsmith' });
    const { body } = cw!.signedCallback(cwTicket.id);
    const target = replicas[1]!;
    const payload = body as { Metadata: { key_url: string } };
    // The key is fetched from the connection's own CW origin: here, replica 1's front.
    payload.Metadata.key_url = `${cwFronts[1]!.origin}${new URL(cw!.keyUrl).pathname}`;
    const raw = JSON.stringify(payload);
    const signature = createHmac('sha256', createHash('sha256').update(cw!.signingKey).digest())
      .update(raw)
      .digest('base64');
    const res = await fetch(`http://127.0.0.1:${target.port}/webhooks/${CW_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-content-signature': signature },
      body: raw,
    });
    expect(res.status).toBe(202);
    await waitFor('the callback to be applied', async () =>
      (await getTicket(replicas[2]!, first.id)).status === 'IN_PROGRESS' ? true : undefined,
    );
    await settled();
    await expectExactlyOnce(subscribers);
  }, 120_000);

  it('(c) a pull never runs on two replicas at once for the same connection', async () => {
    // Request Tracker answers lists slowly, longer than the pull lease: a replica that let its
    // lease lapse mid-pull would let another one start.
    rtListLatencyMs = PULL_LEASE_MS + 1000;
    rtMaxReplicasListing = 0;
    const before = rtListsDone;
    await waitFor(
      'several Request Tracker pulls',
      () => (rtListsDone - before >= 4 ? true : undefined),
      60_000,
    );
    rtListLatencyMs = 0;
    expect(rtMaxReplicasListing).toBe(1);
    expect(rtListsBy.size).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('(b0) a delivery slower than the lease is not taken over while its replica is alive', async () => {
    const t = await createTicket(replicas[2]!, 'Slow vendor');
    await settled();
    const cwTicket = await waitFor('the ticket in ConnectWise', () => cwTicketFor(uuidOf(t.id)));
    const before = patches();
    const held = holdPatch('before');
    await gql(replicas[0]!, UPDATE, {
      input: { id: t.id, expectedVersion: t.version, title: 'Slow vendor (port 7)' },
    });
    const h = await waitFor('the PATCH to be held', () =>
      Promise.race([held, sleep(50).then(() => undefined)]),
    );
    await sleep(DELIVERY_LEASE_MS * 3);
    h.release();
    await settled();
    expect(cw!.getTicket(cwTicket.id)).toMatchObject({ summary: 'Slow vendor (port 7)' });
    expect(patches() - before).toBe(1);
  }, 90_000);

  for (const phase of ['before', 'after'] as const) {
    it(`(b) a replica killed ${phase === 'before' ? 'while its PATCH is in flight' : 'after the vendor applied its PATCH'}: another finishes the delivery exactly once`, async () => {
      const t = await createTicket(live()[0]!, `Killed mid-delivery (${phase})`);
      await settled();
      const cwTicket = await waitFor('the ticket in ConnectWise', () => cwTicketFor(uuidOf(t.id)));
      const before = patches();
      const held = holdPatch(phase);
      await gql(live()[1]!, UPDATE, {
        input: { id: t.id, expectedVersion: t.version, priority: 'CRITICAL' },
      });
      const h = await waitFor('the PATCH to be held', () =>
        Promise.race([held, sleep(50).then(() => undefined)]),
      );
      const victim = replicas.find((r) => r.index === h.replica)!;
      victim.child.kill('SIGKILL');
      await victim.exited;
      h.release();
      // A surviving replica takes the row over once the lease expires.
      await waitFor(
        'ConnectWise to hold the change',
        () => (/Priority 1/.test(cwTicketFor(uuidOf(t.id))?.priority.name ?? '') ? true : undefined),
        60_000,
      );
      await settled();
      expect(cw!.getTicket(cwTicket.id)).toMatchObject({
        priority: { name: expect.stringMatching(/Priority 1/) },
      });
      expect(patches() - before).toBe(1);
      expect(await count("select count(*) as n from sync_outbox where state <> 'pending'")).toBe(0);
      // Bring the replica back (on its own front, so the test still knows who is who).
      const fresh = await startReplica(victim.index);
      await waitReady(fresh);
      replicas[replicas.indexOf(victim)] = fresh;
    }, 120_000);
  }

  it('subscribers on replicas that stayed up saw every event exactly once, in order', async () => {
    const alive = subscribers.filter(
      (s) => s.proc.child.exitCode === null && s.proc.child.signalCode === null,
    );
    expect(alive.length).toBeGreaterThanOrEqual(1);
    await expectExactlyOnce(alive);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// The dispatcher's catch-up after a lost LISTEN connection must not skip an event that
// committed late with a lower id than one already published.

describeIf('event dispatcher catch-up on Postgres', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('postgres');
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('publishes an event that committed late, with a lower id, while the listener was away', async () => {
    const create = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { ${TICKET_FIELDS} } } }`;
    const a = (
      await hub.gql<{ createTicket: { ticket: TicketView } }>(hub.tokens.internalAdmin, create, {
        input: { title: 'Late committer' },
      })
    ).data!.createTicket.ticket;
    const b = (
      await hub.gql<{ createTicket: { ticket: TicketView } }>(hub.tokens.internalAdmin, create, {
        input: { title: 'Early committer' },
      })
    ).data!.createTicket.ticket;
    // Let the creations' notifications arrive and be published before subscribing.
    await sleep(300);
    await hub.app.dispatcher.idle();
    const sub = collect<{ ticketEvents: { id: string; ticket: { id: string } } }>(
      hub,
      hub.ws(hub.tokens.internalAdmin),
      'subscription { ticketEvents { id ticket { id } } }',
    );
    await sub.ready;

    const client = (
      hub.database.db as unknown as { $client: { connect(): Promise<import('pg').PoolClient> } }
    ).$client;
    const late = await client.connect();
    try {
      // A transaction takes an event id and stays open...
      await late.query('begin');
      const res = await late.query(
        `insert into ticket_events (ticket_id, type, ticket_version, actor_party_id, actor_name, source)
         values ($1, 'UPDATED', 2, $2, 'late writer', 'API') returning id::text as id`,
        [Buffer.from(a.id, 'base64url').toString().split(':')[1], hub.partyIds.internal],
      );
      const lateId = (res.rows[0] as { id: string }).id;
      // ...while a later event commits and is published.
      await hub.gql(hub.tokens.internalAdmin, UPDATE, {
        input: { id: b.id, expectedVersion: b.version, title: 'Early committer!' },
      });
      const early = await sub.until(1);
      expect(Number(early[0]!.ticketEvents.id)).toBeGreaterThan(Number(lateId));
      // The listener loses its connection; the late event commits while nobody listens.
      await late.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%hub_events%'",
      );
      await late.query('select pg_notify($1, $2)', ['hub_events', lateId]);
      await late.query('commit');
      const got = await sub.until(2, 15_000);
      expect(got.map((g) => g.ticketEvents.id)).toEqual([early[0]!.ticketEvents.id, lateId]);
      // Nothing older (already published before the subscription) is replayed.
      await sleep(300);
      expect(sub.items).toHaveLength(2);
    } finally {
      late.release();
    }
    await sub.stop();
  }, 60_000);
});
