import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { createHttpFactory } from '../../src/connector-kit/http.ts';
import { CONNECTORS } from '../../src/connectors.ts';
import { createLogger } from '../../src/logger.ts';
import { parseConnections } from '../../src/sync/connections-file.ts';
import { SyncEngine } from '../../src/sync/engine.ts';
import type { BackendName } from './backends.ts';
import { startTestHub, type TestHub } from './hub.ts';

export const MSP_CONN = 'msp-tool';
export const INTERNAL_CONN = 'internal-tool';

export interface PairHub extends TestHub {
  engine: SyncEngine;
  msp: VendorDriver;
  internal: VendorDriver;
  /** Webhooks delivered, both tools polled, queued work done. */
  sync(): Promise<void>;
}

function asConnection(id: string, party: string, d: VendorDriver, env: Record<string, string>) {
  const settings: Record<string, unknown> = { ...d.settings };
  for (const [field, value] of Object.entries(d.secrets)) {
    const name = `${id}_${field}`.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    env[name] = value;
    settings[field] = { env: name };
  }
  return { id, connector: d.connector, party, settings, pollIntervalSeconds: 3600 };
}

export async function startPairHub(
  backend: BackendName,
  msp: VendorDriver,
  internal: VendorDriver,
): Promise<PairHub> {
  const log = createLogger(process.env.HUB_TEST_LOG ?? 'silent');
  const env: Record<string, string> = {};
  const definitions = parseConnections(
    {
      connections: [
        asConnection(MSP_CONN, 'msp', msp, env),
        asConnection(INTERNAL_CONN, 'internal', internal, env),
      ],
    },
    CONNECTORS,
    env,
  );
  const http = createHttpFactory({ baseDelayMs: 5, maxDelayMs: 50, log });
  let engine!: SyncEngine;
  const hub = await startTestHub(
    backend,
    {},
    {
      sync: async (database) => {
        engine = new SyncEngine({ database, definitions, log, autoPoll: false, deliveryLeaseMs: 1500, http });
        await engine.init();
        return engine;
      },
    },
  );
  const origin = new URL(hub.url).origin;
  await msp.connectWebhook?.(`${origin}/webhooks/${MSP_CONN}`);
  await internal.connectWebhook?.(`${origin}/webhooks/${INTERNAL_CONN}`);
  const settle = async () => {
    for (let round = 0; round < 50; round++) {
      await msp.flushWebhooks?.();
      await internal.flushWebhooks?.();
      await engine.drain();
      await hub.app.dispatcher.idle();
      const left = await hub.database.db.execute(
        "select (select count(*) from sync_outbox where state = 'pending') + (select count(*) from inbound_queue) as n",
      );
      if (Number((left as unknown as { rows: { n: string }[] }).rows[0]?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('pair did not settle');
  };
  return {
    ...hub,
    engine,
    msp,
    internal,
    async sync() {
      await settle();
      await engine.pullNow(MSP_CONN);
      await engine.pullNow(INTERNAL_CONN);
      await settle();
    },
    async stop() {
      await hub.stop();
      await msp.close();
      await internal.close();
    },
  };
}
