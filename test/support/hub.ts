import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type App, createApp } from '../../src/app.ts';
import { bootstrapIfEmpty } from '../../src/auth/bootstrap.ts';
import { createApiToken } from '../../src/auth/tokens.ts';
import type { ClockTimerOptions } from '../../src/commitments/timer.ts';
import { parseConfig } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import type { Role } from '../../src/db/schema/index.ts';
import { parties, people } from '../../src/db/schema/index.ts';
import { createLogger } from '../../src/logger.ts';
import type { SyncEngine } from '../../src/sync/engine.ts';
import { type BackendName, createTestDatabase } from './backends.ts';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: string[] }[];
}

export interface TestHub {
  backend: BackendName;
  app: App;
  database: Database;
  url: string;
  wsUrl: string;
  /** Tokens by name: internalAdmin, internalAgent, internalViewer, mspAgent. */
  tokens: Record<'internalAdmin' | 'internalAgent' | 'internalViewer' | 'mspAgent', string>;
  partyIds: { internal: string; msp: string };
  gql<T = Record<string, unknown>>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResult<T>>;
  /** A graphql-ws client; `token: null` sends no token. */
  ws(token: string | null, extra?: Partial<Parameters<typeof createClient>[0]>): Client;
  createPerson(party: 'internal' | 'msp', name: string, email: string): Promise<string>;
  stop(): Promise<void>;
}

export interface TestHubOptions {
  /** Builds a sync engine once the database exists and the parties are bootstrapped. */
  sync?: (database: Database) => Promise<SyncEngine>;
  /** The commitments clock worker's options; false: none (tests that drive it with their own clock). */
  clockTimer?: ClockTimerOptions | false;
}

export async function startTestHub(
  backend: BackendName,
  env: Record<string, string> = {},
  options: TestHubOptions = {},
): Promise<TestHub> {
  const log = createLogger(process.env.HUB_TEST_LOG ?? 'silent');
  const pgdb = backend === 'postgres' ? await createTestDatabase() : null;
  const database = await createDatabase({ url: pgdb?.url, dataDir: 'memory://', log, poolMax: 5 });
  // No per-ticket webhook window unless a test asks for one: sync tests wait for the queue to
  // empty, and a 5 s coalescing delay would make them wait that long for every callback burst
  // (test/webhook-limits.test.ts covers the window itself).
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WEBHOOK_TICKET_WINDOW_MS: '0',
    ...env,
  });
  await bootstrapIfEmpty(database.db);
  const all = await database.db.select().from(parties);
  const partyIds = {
    internal: all.find((p) => p.slug === 'internal')!.id,
    msp: all.find((p) => p.slug === 'msp')!.id,
  };
  const token = async (party: 'internal' | 'msp', role: Role, name: string) =>
    (await createApiToken(database.db, { partyId: partyIds[party], role, name })).token;
  const tokens = {
    internalAdmin: await token('internal', 'ADMIN', 'internal admin'),
    internalAgent: await token('internal', 'AGENT', 'internal agent'),
    internalViewer: await token('internal', 'VIEWER', 'internal viewer'),
    mspAgent: await token('msp', 'AGENT', 'msp agent'),
  };
  const sync = options.sync ? await options.sync(database) : undefined;
  const app = createApp({
    config,
    database,
    log,
    ...(sync ? { sync } : {}),
    ...(options.clockTimer !== undefined ? { clockTimer: options.clockTimer } : {}),
  });
  const port = await app.start(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;
  const clients: Client[] = [];
  return {
    backend,
    app,
    database,
    url,
    wsUrl,
    tokens,
    partyIds,
    async gql(tok, query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GqlResult;
      return { ...body, status: res.status } as never;
    },
    ws(tok, extra = {}) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: tok ? { authorization: `Bearer ${tok}` } : {},
        ...extra,
      });
      clients.push(client);
      return client;
    },
    async createPerson(party, name, email) {
      const [row] = await database.db
        .insert(people)
        .values({ partyId: partyIds[party], name, email })
        .returning();
      return Buffer.from(`Person:${row!.id}`).toString('base64url');
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
      await database.close();
      await pgdb?.drop();
    },
  };
}

/** Collects subscription results until `count` arrived (or fails after `timeoutMs`). */
export function collect<T>(
  hub: Pick<TestHub, 'app'>,
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): {
  items: T[];
  errors: unknown[];
  ready: Promise<void>;
  until(count: number, timeoutMs?: number): Promise<T[]>;
  stop(): Promise<void>;
} {
  const items: T[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  const before = hub.app.activeSubscriptions();
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) items.push(value.data as T);
        for (const w of waiters.splice(0)) w();
      },
      error: (err) => {
        errors.push(err);
        for (const w of waiters.splice(0)) w();
      },
      complete: () => {},
    },
  );
  return {
    items,
    errors,
    // graphql-ws has no subscribe acknowledgement: wait until the server counts one more
    // live subscription (or the subscription failed) before the test makes changes.
    ready: (async () => {
      const deadline = Date.now() + 5000;
      while (hub.app.activeSubscriptions() <= before && errors.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
    })(),
    async until(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count && errors.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return items;
    },
    /** Unsubscribe and wait until the server has let go of the subscription. */
    async stop() {
      const live = hub.app.activeSubscriptions();
      unsubscribe();
      const deadline = Date.now() + 5000;
      while (hub.app.activeSubscriptions() >= live && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
