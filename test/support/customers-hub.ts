import { eq } from 'drizzle-orm';
import { createConnectWiseSimulator } from '../../connectors/connectwise/simulator.ts';
import { startRtSimulator } from '../../connectors/request-tracker/simulator.ts';
import { createZendeskSimulator } from '../../connectors/zendesk/simulator.ts';
import { createApiToken } from '../../src/auth/tokens.ts';
import { createHttpFactory } from '../../src/connector-kit/http.ts';
import { CONNECTORS } from '../../src/connectors.ts';
import type { Role } from '../../src/db/schema/index.ts';
import { parties } from '../../src/db/schema/index.ts';
import { customerConnections, setUpCustomers } from '../../src/demo-customers.ts';
import { createLogger } from '../../src/logger.ts';
import { parseConnections } from '../../src/sync/connections-file.ts';
import { SyncEngine } from '../../src/sync/engine.ts';
import type { BackendName } from './backends.ts';
import { startTestHub, type TestHub } from './hub.ts';

export interface CustomersHub extends TestHub {
  engine: SyncEngine;
  cw: Awaited<ReturnType<typeof createConnectWiseSimulator>>;
  rt: Awaited<ReturnType<typeof startRtSimulator>>;
  zd: Awaited<ReturnType<typeof createZendeskSimulator>>;
  /** A token for a party of the demo (`msp`, `contoso-it`, `fabrikam-it`). */
  token(party: string, role: Role): Promise<string>;
}

/** The demo's two customers (src/demo-customers.ts) on a test hub, polling driven by the test. */
export async function startCustomersHub(backend: BackendName): Promise<CustomersHub> {
  const cw = await createConnectWiseSimulator();
  const rt = await startRtSimulator();
  const zd = await createZendeskSimulator({ exclusionSeconds: 0 });
  const log = createLogger(process.env.HUB_TEST_LOG ?? 'silent');
  const { privateKey, ...cwSettings } = cw.connectorConfig({ pageSize: 50 });
  const { apiToken, webhookSigningSecret, ...zdSettings } = zd.connectorConfig();
  let engine!: SyncEngine;
  const hub = await startTestHub(
    backend,
    {},
    {
      sync: async (database) => {
        await setUpCustomers(database.db);
        const connections = customerConnections({ cw: cwSettings, rtUrl: rt.url, zendesk: zdSettings });
        const definitions = parseConnections(
          { connections: connections.map((c) => ({ ...c, pollIntervalSeconds: 3600 })) },
          CONNECTORS,
          { CW_KEY: privateKey, RT_TOKEN: rt.token, ZD_TOKEN: apiToken, ZD_SECRET: webhookSigningSecret },
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
    },
  );
  return {
    ...hub,
    engine,
    cw,
    rt,
    zd,
    async token(slug, role) {
      const [party] = await hub.database.db.select().from(parties).where(eq(parties.slug, slug));
      return (
        await createApiToken(hub.database.db, {
          partyId: party!.id,
          role,
          name: `${slug} ${role.toLowerCase()}`,
        })
      ).token;
    },
    async stop() {
      await hub.stop();
      await cw.close();
      await rt.close();
      await zd.close();
    },
  };
}
