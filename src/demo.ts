import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { createConnectWiseSimulator } from '../connectors/connectwise/simulator.ts';
import { startRtSimulator } from '../connectors/request-tracker/simulator.ts';
import { createZendeskSimulator } from '../connectors/zendesk/simulator.ts';
import { createApp } from './app.ts';
import { bootstrapIfEmpty } from './auth/bootstrap.ts';
import { createApiToken } from './auth/tokens.ts';
import { parseConfig } from './config.ts';
import { CONNECTORS } from './connectors.ts';
import { createDatabase, type Db } from './db/client.ts';
import type { Role } from './db/schema/index.ts';
import { parties, people } from './db/schema/index.ts';
import { startDemoActivity } from './demo-activity.ts';
import { customerConnections, setUpCustomers } from './demo-customers.ts';
import { createLogger } from './logger.ts';
import { parseConnections } from './sync/connections-file.ts';
import { SyncEngine } from './sync/engine.ts';

async function token(db: Db, slug: string, role: Role): Promise<string> {
  const [party] = await db.select().from(parties).where(eq(parties.slug, slug));
  return (await createApiToken(db, { partyId: party!.id, role, name: `demo ${slug} ${role.toLowerCase()}` }))
    .token;
}

/**
 * `npm run demo`: one MSP, two customers. The hub on a fresh embedded database, one simulated
 * ConnectWise serving both customers (a company -> engagement map), Contoso's team on a
 * simulated Request Tracker and Fabrikam's on a simulated Zendesk, each customer with its own
 * service areas and responsibility matrix; tickets are routed by area and neither customer
 * sees the other's.
 */
async function main(): Promise<void> {
  const config = parseConfig({ ...process.env, HUB_DATA_DIR: process.env.HUB_DATA_DIR ?? './.hub-demo' });
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  if (!config.DATABASE_URL) rmSync(config.HUB_DATA_DIR, { recursive: true, force: true });
  const cw = await createConnectWiseSimulator();
  const rt = await startRtSimulator();
  const zd = await createZendeskSimulator({ exclusionSeconds: 0 });
  const database = await createDatabase({ url: config.DATABASE_URL, dataDir: config.HUB_DATA_DIR, log });
  await bootstrapIfEmpty(database.db);
  await setUpCustomers(database.db);
  const [msp] = await database.db.select().from(parties).where(eq(parties.slug, 'msp'));
  await database.db
    .insert(people)
    .values([
      { partyId: msp!.id, name: 'John Smith', email: 'jsmith@contoso-msp.example' },
      { partyId: msp!.id, name: 'Asha Kumar', email: 'akumar@contoso-msp.example' },
    ])
    .onConflictDoNothing();
  const { privateKey, ...cwSettings } = cw.connectorConfig({ pageSize: 100 });
  const { apiToken, webhookSigningSecret, ...zdSettings } = zd.connectorConfig();
  const definitions = parseConnections(
    { connections: customerConnections({ cw: cwSettings, rtUrl: rt.url, zendesk: zdSettings }) },
    CONNECTORS,
    { CW_KEY: privateKey, RT_TOKEN: rt.token, ZD_TOKEN: apiToken, ZD_SECRET: webhookSigningSecret },
  );
  const sync = new SyncEngine({ database, definitions, log });
  await sync.init();
  const app = createApp({ config, database, log, sync });
  const port = await app.start(config.PORT, config.HOST);
  const origin = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  cw.addCallback(`${origin}/webhooks/msp-connectwise`);
  const tokens = {
    msp: await token(database.db, 'msp', 'ADMIN'),
    contoso: await token(database.db, 'contoso-it', 'ADMIN'),
    fabrikam: await token(database.db, 'fabrikam-it', 'ADMIN'),
  };
  const activity = startDemoActivity({ cw, rt, zd, log });
  const link = (t: string) => `${origin}/dashboard?token=${t}`;

  process.stdout.write(
    [
      '',
      '  Co-managed ticket hub: demo (one MSP, two customers)',
      '',
      `  MSP admin (switch between customers): ${link(tokens.msp)}`,
      `  Contoso IT admin (sees Contoso only):  ${link(tokens.contoso)}`,
      `  Fabrikam IT admin (sees Fabrikam only): ${link(tokens.fabrikam)}`,
      `  GraphiQL: ${origin}/graphql   (header  Authorization: Bearer <token>)`,
      '',
      `  Simulated ConnectWise (both customers, boards Help Desk and Network Operations): ${cw.baseUrl}`,
      `  Simulated Request Tracker (Contoso IT): ${rt.url}/REST/2.0`,
      `  Simulated Zendesk (Fabrikam IT):        ${zd.baseUrl}`,
      '',
      '  Technicians open tickets for both customers in ConnectWise; each lands with the party its',
      "  customer's matrix names for the board's service area, and moves when the board changes.",
      "  Fabrikam's Zendesk has no area map yet: its tickets are flagged UNROUTED until one is set.",
      '  Try: npm run hub -- matrix --engagement contoso    Ctrl-C stops everything.',
      '',
      '',
    ].join('\n'),
  );

  const stop = async () => {
    activity.stop();
    await app.stop();
    await database.close();
    await cw.close();
    await rt.close();
    await zd.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
