import {
  type ConnectWiseSimulator,
  createConnectWiseSimulator,
} from '../../connectors/connectwise/simulator.ts';
import { type RtSimulator, startRtSimulator } from '../../connectors/request-tracker/simulator.ts';
import type { Connector } from '../../src/connector-kit/contract.ts';
import { createHttpFactory } from '../../src/connector-kit/http.ts';
import { CONNECTORS } from '../../src/connectors.ts';
import type { Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { parseConnections } from '../../src/sync/connections-file.ts';
import { SyncEngine, type SyncEngineOptions } from '../../src/sync/engine.ts';
import type { BackendName } from './backends.ts';
import { startTestHub, type TestHub } from './hub.ts';

export const CW_ID = 'msp-connectwise';
export const RT_ID = 'internal-rt';

export interface SyncTestHub extends TestHub {
  cw: ConnectWiseSimulator;
  rt: RtSimulator;
  engine: SyncEngine;
  /** Let webhooks land and queued work run until nothing is left. */
  settle(timeoutMs?: number): Promise<void>;
  /** Build a second engine on the same database (a restarted hub). */
  newEngine(
    wrap?: (c: Connector<never>) => Connector<never>,
    extra?: Partial<Pick<SyncEngineOptions, 'publicUrl' | 'autoPoll' | 'replicaId'>>,
  ): Promise<SyncEngine>;
}

/**
 * A hub with two connections over the simulators: the MSP's ConnectWise and the internal
 * team's Request Tracker. Polling is driven by the test (`engine.pullNow`); ConnectWise
 * callbacks reach the hub's real webhook endpoint.
 */
export async function startSyncHub(
  backend: BackendName,
  opts: {
    wrap?: (c: Connector<never>) => Connector<never>;
    /** Hub settings (the environment's variables) on top of the test defaults. */
    env?: Record<string, string>;
    /** Engine options for both the first and any restarted engine (a clock, a retry policy). */
    engine?: Partial<Pick<SyncEngineOptions, 'now' | 'retryPolicy' | 'deliveryLeaseMs'>>;
    /** The ConnectWise connection's policy for tickets deleted there (default: the file's default). */
    cwOnRemoved?: 'unlink' | 'close' | 'recreate';
  } = {},
): Promise<SyncTestHub> {
  const cw = await createConnectWiseSimulator();
  const rt = await startRtSimulator();
  const log = createLogger(process.env.HUB_TEST_LOG ?? 'silent');
  const registry = opts.wrap
    ? Object.fromEntries(Object.entries(CONNECTORS).map(([k, c]) => [k, opts.wrap!(c)]))
    : CONNECTORS;
  const { privateKey, ...cwSettings } = cw.connectorConfig({ pageSize: 25 });
  const definitions = () =>
    parseConnections(
      {
        connections: [
          {
            id: CW_ID,
            connector: 'connectwise',
            party: 'msp',
            settings: { ...cwSettings, privateKey: { env: 'CW_PRIVATE_KEY' } },
            pollIntervalSeconds: 3600,
            ...(opts.cwOnRemoved ? { onRemoved: opts.cwOnRemoved } : {}),
          },
          {
            id: RT_ID,
            connector: 'request-tracker',
            party: 'internal',
            settings: { baseUrl: rt.url, token: { env: 'RT_TOKEN' }, pageSize: 25 },
            pollIntervalSeconds: 3600,
          },
        ],
      },
      registry,
      { CW_PRIVATE_KEY: privateKey, RT_TOKEN: rt.token },
    );
  // Short retry waits: the tests inject 429s and 500s and should not sleep for real.
  const http = createHttpFactory({ baseDelayMs: 5, maxDelayMs: 50, log });
  const makeEngine = async (
    database: Database,
    defs = definitions(),
    extra: Partial<SyncEngineOptions> = {},
  ) => {
    const engine = new SyncEngine({
      database,
      definitions: defs,
      log,
      autoPoll: false,
      deliveryLeaseMs: 1500,
      http,
      ...opts.engine,
      ...extra,
    });
    await engine.init();
    return engine;
  };
  let engine!: SyncEngine;
  const hub = await startTestHub(backend, opts.env ?? {}, {
    sync: async (database) => {
      engine = await makeEngine(database);
      return engine;
    },
  });
  cw.addCallback(`${new URL(hub.url).origin}/webhooks/${CW_ID}`);
  return {
    ...hub,
    cw,
    rt,
    engine,
    async settle(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        await cw.flushCallbacks();
        await engine.drain();
        await cw.flushCallbacks();
        await hub.app.dispatcher.idle();
        const more = await hub.database.db.execute(
          "select (select count(*) from sync_outbox where state = 'pending') + (select count(*) from inbound_queue) as n",
        );
        const n = Number((more as unknown as { rows: { n: string | number }[] }).rows[0]?.n ?? 0);
        if (n === 0) return;
        // Retries wait for their backoff; look again shortly.
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('sync did not settle: deliveries or webhooks are still pending');
    },
    async newEngine(wrap, extra) {
      const defs = wrap
        ? parseConnections(
            {
              connections: definitions().map((d) => ({
                id: d.id,
                connector: d.connector.id,
                party: d.partySlug,
                settings: d.publicSettings,
                pollIntervalSeconds: 3600,
              })),
            },
            Object.fromEntries(Object.entries(CONNECTORS).map(([k, c]) => [k, wrap(c)])),
            { CW_PRIVATE_KEY: privateKey, RT_TOKEN: rt.token },
          )
        : definitions();
      return makeEngine(hub.database, defs, extra);
    },
    async stop() {
      await hub.stop();
      await cw.close();
      await rt.close();
    },
  };
}

/** The MSP dispatcher's e-mail: their RT account is how the internal team hands a ticket over. */
export const DISPATCH_EMAIL = 'dispatch@contoso-msp.example';

/**
 * Gives the MSP's dispatcher an RT account (assigning an RT ticket to them is the hand-off) and
 * a hub person with the same e-mail, so the hand-off maps to the MSP party.
 */
export async function addMspDispatcher(hub: SyncTestHub): Promise<void> {
  hub.rt.addUser({ name: 'msp-dispatch', email: DISPATCH_EMAIL, realName: 'MSP Dispatch', canOwn: true });
  await hub.createPerson('msp', 'MSP Dispatch', DISPATCH_EMAIL);
}
