/**
 * A hub with one connection (ConnectWise or ServiceNow) over its simulator, polling driven by the
 * bench. The connector is wrapped to time every vendor call, so a row can tell the hub's own time
 * from the simulator's.
 */
import type { ConnectWiseSimulator } from '../../connectors/connectwise/simulator.ts';
import type { ServiceNowSimulator } from '../../connectors/servicenow/simulator.ts';
import type { Connector } from '../../src/connector-kit/contract.ts';
import { createHttpFactory } from '../../src/connector-kit/http.ts';
import { CONNECTORS } from '../../src/connectors.ts';
import { parseConnections } from '../../src/sync/connections-file.ts';
import { SyncEngine } from '../../src/sync/engine.ts';
import { type BenchHub, startBenchHub } from './hub.ts';

export const CW_ID = 'msp-connectwise';
export const SN_ID = 'internal-servicenow';

export interface VendorTimer {
  ms: number;
  calls: number;
  reset(): void;
}

function timed(connector: Connector<never>, timer: VendorTimer): Connector<never> {
  // Wall-clock time with at least one vendor call in flight (calls overlap: comment reads run
  // several at once), so `ms` can be subtracted from the hub's elapsed time.
  let inFlight = 0;
  let since = 0;
  const time = async <T>(p: Promise<T>): Promise<T> => {
    if (inFlight++ === 0) since = performance.now();
    try {
      return await p;
    } finally {
      timer.calls++;
      if (--inFlight === 0) timer.ms += performance.now() - since;
    }
  };
  const bulk = connector.listCommentsBulk;
  return {
    ...connector,
    listComments: (ctx, id, since) => time(connector.listComments(ctx, id, since)),
    ...(bulk ? { listCommentsBulk: (ctx, ids) => time(bulk(ctx, ids)) } : {}),
    getTicket: (ctx, id) => time(connector.getTicket(ctx, id)),
    pullTickets: (ctx, cursor) => ({
      [Symbol.asyncIterator]() {
        const it = connector.pullTickets(ctx, cursor)[Symbol.asyncIterator]();
        return { next: () => time(it.next()), return: it.return?.bind(it) } as AsyncIterator<never>;
      },
    }),
  };
}

export type SyncBenchHub = BenchHub & { engine: SyncEngine; vendor: VendorTimer };

export interface ConnectionSpec {
  id: string;
  connector: keyof typeof CONNECTORS;
  party: 'msp' | 'internal';
  /** Settings without secrets; `secrets` go through the environment, as in a connections file. */
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Names the bench database (`hub_bench_<tag>_…`). Default `sync`. */
  tag?: string;
  /** Wraps the (already timed) connector, e.g. to count which operations the engine used. */
  wrap?: (connector: Connector<never>) => Connector<never>;
}

/** A hub whose sync engine has the one connection `spec`, vendor calls timed; polling is driven by the row. */
export async function startSyncHub(spec: ConnectionSpec): Promise<SyncBenchHub> {
  const vendor: VendorTimer = {
    ms: 0,
    calls: 0,
    reset() {
      this.ms = 0;
      this.calls = 0;
    },
  };
  const measured = timed(CONNECTORS[spec.connector] as Connector<never>, vendor);
  const registry = { ...CONNECTORS, [spec.connector]: spec.wrap ? spec.wrap(measured) : measured };
  const env: Record<string, string> = {};
  const settings: Record<string, unknown> = { ...spec.settings };
  for (const [field, value] of Object.entries(spec.secrets)) {
    const name = `BENCH_${field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    env[name] = value;
    settings[field] = { env: name };
  }
  let engine!: SyncEngine;
  const hub = await startBenchHub(spec.tag ?? 'sync', {
    sync: async (database, log) => {
      const definitions = parseConnections(
        {
          connections: [
            {
              id: spec.id,
              connector: spec.connector,
              party: spec.party,
              settings,
              pollIntervalSeconds: 3600,
            },
          ],
        },
        registry,
        env,
      );
      engine = new SyncEngine({
        database,
        definitions,
        log,
        autoPoll: false,
        http: createHttpFactory({ baseDelayMs: 5, maxDelayMs: 50, log }),
      });
      await engine.init();
      return engine;
    },
  });
  return Object.assign(hub, { engine, vendor });
}

export async function startCwSyncHub(cw: ConnectWiseSimulator, pageSize = 1000): Promise<SyncBenchHub> {
  const { privateKey, ...settings } = cw.connectorConfig({ pageSize });
  return startSyncHub({
    id: CW_ID,
    connector: 'connectwise',
    party: 'msp',
    settings,
    secrets: { privateKey },
  });
}

/** ServiceNow with Basic auth; the Business Rule is not registered (the bench polls). */
export async function startSnSyncHub(sn: ServiceNowSimulator, pageSize: number): Promise<SyncBenchHub> {
  const {
    password,
    webhookSecret,
    oauthClientSecret: _unused,
    ...settings
  } = sn.connectorConfig({
    pageSize,
  });
  return startSyncHub({
    id: SN_ID,
    connector: 'servicenow',
    party: 'internal',
    settings,
    secrets: { password, ...(webhookSecret ? { webhookSecret } : {}) },
  });
}

type Counts = Record<string, { ins: number; upd: number }>;

async function rows<T>(hub: BenchHub, text: string): Promise<T[]> {
  return ((await hub.database.db.execute(text)) as unknown as { rows: T[] }).rows;
}

/**
 * Rows written while `fn` ran, per table, two ways: row versions whose `xmin` is a transaction
 * that started after `fn` did (exact and immediate: an insert or an update leaves one), and
 * the pg_stat_user_tables n_tup_ins/n_tup_upd deltas (only with `stats`: backends flush those
 * counters when idle, up to ~10 s later, so this waits 11 s).
 */
export async function measureWrites<T>(
  hub: BenchHub,
  fn: () => Promise<T>,
  stats = false,
): Promise<{ result: T; written: Record<string, number>; stat: Counts | null }> {
  const statRows = () =>
    rows<{ relname: string; ins: number; upd: number }>(
      hub,
      'select relname, n_tup_ins::int as ins, n_tup_upd::int as upd from pg_stat_user_tables',
    );
  const settle = () => new Promise((r) => setTimeout(r, 11_000));
  if (stats) await settle();
  const before = stats ? await statRows() : [];
  const [{ xid } = { xid: '0' }] = await rows<{ xid: string }>(
    hub,
    'select (pg_current_xact_id()::text::bigint % 4294967296)::text as xid',
  );
  const result = await fn();
  const tables = await rows<{ relname: string }>(
    hub,
    "select relname from pg_stat_user_tables where schemaname = 'public'",
  );
  const written: Record<string, number> = {};
  for (const { relname } of tables) {
    const [r] = await rows<{ n: number }>(
      hub,
      `select count(*)::int as n from "${relname}" where xmin::text::bigint >= ${Number(xid)}`,
    );
    if (r?.n) written[relname] = r.n;
  }
  let stat: Counts | null = null;
  if (stats) {
    await settle();
    const after = await statRows();
    stat = {};
    for (const a of after) {
      const b = before.find((x) => x.relname === a.relname) ?? { ins: 0, upd: 0 };
      if (a.ins - b.ins || a.upd - b.upd) stat[a.relname] = { ins: a.ins - b.ins, upd: a.upd - b.upd };
    }
  }
  return { result, written, stat };
}
