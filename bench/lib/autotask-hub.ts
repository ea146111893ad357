/**
 * Autotask for the bench: a simulator seeded out of band (seeding never reaches the request
 * threshold), a hub with one Autotask connection over it, and a connector-only backfill that reads
 * exactly what the engine's backfill reads (pages of tickets, then the notes of each page).
 */
import { randomUUID } from 'node:crypto';
import type { AutotaskConfig } from '../../connectors/autotask/config.ts';
import { autotask } from '../../connectors/autotask/index.ts';
import {
  type AutotaskSimulator,
  type AutotaskSimulatorOptions,
  createAutotaskSimulator,
} from '../../connectors/autotask/simulator.ts';
import { createConnectorContext } from '../../src/connector-kit/context.ts';
import type { Connector } from '../../src/connector-kit/contract.ts';
import { createHttpFactory } from '../../src/connector-kit/http.ts';
import { type SyncBenchHub, startSyncHub } from './sync-hub.ts';

export const AT_ID = 'msp-autotask';
const DAY_MS = 86_400_000;

/**
 * `n` tickets of the simulator's company, each with one note (alternately public and internal),
 * their last activity spread over the `days` before now, as an MSP's history would be.
 */
export async function createSeededAutotask(
  n: number,
  options: AutotaskSimulatorOptions & { days?: number } = {},
): Promise<AutotaskSimulator> {
  const sim = await createAutotaskSimulator(options);
  const span = (options.days ?? 365) * DAY_MS;
  const start = Date.now() - span - DAY_MS;
  const step = span / Math.max(1, n);
  for (let i = 0; i < n; i++) {
    sim.setClock(new Date(start + Math.floor(i * step)));
    const id = sim.createTicket({ title: `Quota ${i}` });
    sim.addNote(id, `First reply on ticket ${i}`, i % 2 === 0 ? 1 : 2);
  }
  sim.setClock(null);
  sim.resetCounters();
  return sim;
}

export interface ConnectorBackfill {
  tickets: number;
  notes: number;
  pages: number;
  ms: number;
}

/**
 * What the engine's backfill asks of the connector, without the database: every pulled page,
 * then the notes of its tickets (bulk when the connector can, per ticket otherwise).
 */
export async function runConnectorBackfill(config: AutotaskConfig): Promise<ConnectorBackfill> {
  const ctx = createConnectorContext(autotask, {
    connectionId: randomUUID(),
    config,
    http: createHttpFactory({ baseDelayMs: 5, maxDelayMs: 50 }),
  });
  const t0 = performance.now();
  let tickets = 0;
  let notes = 0;
  let pages = 0;
  for await (const page of autotask.pullTickets(ctx, null)) {
    pages++;
    tickets += page.records.length;
    const ids = page.records.map((r) => r.externalId);
    if (ids.length === 0) continue;
    const byTicket = await autotask.listCommentsBulk!(ctx, ids);
    for (const list of byTicket.values()) notes += list.length;
  }
  return { tickets, notes, pages, ms: performance.now() - t0 };
}

/** How the engine read notes: per ticket (`listComments`) or a page at a time (`listCommentsBulk`). */
export interface ConnectorUse {
  perTicketCalls: number;
  bulkCalls: number;
}

function counted(connector: Connector<AutotaskConfig>, use: ConnectorUse): Connector<AutotaskConfig> {
  const bulk = connector.listCommentsBulk;
  return {
    ...connector,
    listComments: (ctx, id, since) => {
      use.perTicketCalls++;
      return connector.listComments(ctx, id, since);
    },
    ...(bulk
      ? {
          listCommentsBulk: (ctx, ids) => {
            use.bulkCalls++;
            return bulk(ctx, ids);
          },
        }
      : {}),
  };
}

/** A hub whose sync engine has one Autotask connection over `sim`; polling is driven by the row. */
export async function startAutotaskSyncHub(
  config: AutotaskConfig,
): Promise<SyncBenchHub & { use: ConnectorUse }> {
  const use: ConnectorUse = { perTicketCalls: 0, bulkCalls: 0 };
  const { secret, webhookSecretKey: _unused, ...settings } = config;
  const hub = await startSyncHub({
    id: AT_ID,
    connector: 'autotask',
    party: 'msp',
    settings,
    secrets: { secret },
    tag: 'quota',
    wrap: (connector) =>
      counted(connector as unknown as Connector<AutotaskConfig>, use) as unknown as Connector<never>,
  });
  return Object.assign(hub, { use });
}
