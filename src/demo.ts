import { rmSync } from 'node:fs';
import { createConnectWiseSimulator } from '../connectors/connectwise/simulator.ts';
import { startRtSimulator } from '../connectors/request-tracker/simulator.ts';
import { createApp } from './app.ts';
import { bootstrapIfEmpty } from './auth/bootstrap.ts';
import { createApiToken } from './auth/tokens.ts';
import { parseConfig } from './config.ts';
import { CONNECTORS } from './connectors.ts';
import { createDatabase } from './db/client.ts';
import { assertDataDirFree } from './db/data-dir-lock.ts';
import { parties, people } from './db/schema/index.ts';
import { startDemoActivity } from './demo-activity.ts';
import { createLogger } from './logger.ts';
import { isLocked, lockedMessage } from './startup-errors.ts';
import { parseConnections } from './sync/connections-file.ts';
import { SyncEngine } from './sync/engine.ts';

/**
 * `npm run demo`: the hub on a fresh embedded database, wired to a simulated ConnectWise (the
 * MSP) and a simulated Request Tracker (the internal team), with people working in both.
 */
async function main(): Promise<void> {
  const config = parseConfig({ ...process.env, HUB_DATA_DIR: process.env.HUB_DATA_DIR ?? './.hub-demo' });
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  if (!config.DATABASE_URL) {
    // Wiping a folder another demo or hub has open would break it: refuse instead.
    assertDataDirFree(config.HUB_DATA_DIR);
    rmSync(config.HUB_DATA_DIR, { recursive: true, force: true });
  }
  const cw = await createConnectWiseSimulator();
  const rt = await startRtSimulator();
  const database = await createDatabase({
    url: config.DATABASE_URL,
    dataDir: config.HUB_DATA_DIR,
    log,
    role: 'demo',
  });
  const first = await bootstrapIfEmpty(database.db);
  const all = await database.db.select().from(parties);
  const msp = all.find((p) => p.slug === 'msp')!;
  const internal = all.find((p) => p.slug === 'internal')!;
  rt.addUser({
    name: 'msp-dispatch',
    email: 'dispatch@contoso-msp.example',
    realName: 'MSP Dispatch',
    canOwn: true,
  });
  await database.db
    .insert(people)
    .values([
      { partyId: msp.id, name: 'MSP Dispatch', email: 'dispatch@contoso-msp.example' },
      { partyId: msp.id, name: 'John Smith', email: 'jsmith@contoso-msp.example' },
      { partyId: msp.id, name: 'Asha Kumar', email: 'akumar@contoso-msp.example' },
      { partyId: internal.id, name: 'Alice (Internal IT)', email: 'alice@contoso.example' },
    ])
    .onConflictDoNothing();
  const { privateKey, ...cwSettings } = cw.connectorConfig({ pageSize: 100 });
  const definitions = parseConnections(
    {
      connections: [
        {
          id: 'msp-connectwise',
          connector: 'connectwise',
          party: 'msp',
          settings: { ...cwSettings, privateKey: { env: 'CW_KEY' } },
          pollIntervalSeconds: 30,
        },
        {
          id: 'internal-rt',
          connector: 'request-tracker',
          party: 'internal',
          settings: { baseUrl: rt.url, token: { env: 'RT_TOKEN' } },
          pollIntervalSeconds: 3,
        },
      ],
    },
    CONNECTORS,
    { CW_KEY: privateKey, RT_TOKEN: rt.token },
  );
  const sync = new SyncEngine({ database, definitions, log });
  await sync.init();
  const app = createApp({ config, database, log, sync });
  const port = await app.start(config.PORT, config.HOST);
  const origin = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  cw.addCallback(`${origin}/webhooks/msp-connectwise`);
  const mspToken = (
    await createApiToken(database.db, { partyId: msp.id, role: 'AGENT', name: 'demo msp agent' })
  ).token;
  const adminToken =
    first?.token ??
    (await createApiToken(database.db, { partyId: internal.id, role: 'ADMIN', name: 'demo admin' })).token;
  const activity = startDemoActivity({ cw, rt, log });

  process.stdout.write(
    [
      '',
      '  Co-managed ticket hub: demo',
      '',
      `  Dashboard (internal IT admin): ${origin}/dashboard?token=${adminToken}`,
      `  Dashboard (MSP agent):         ${origin}/dashboard?token=${mspToken}`,
      `  GraphiQL:                      ${origin}/graphql   (header  Authorization: Bearer <token>)`,
      '',
      `  Internal IT admin token: ${adminToken}`,
      `  MSP agent token:         ${mspToken}`,
      '',
      `  Simulated ConnectWise (MSP):          ${cw.baseUrl}`,
      `  Simulated Request Tracker (internal): ${rt.url}/REST/2.0`,
      '',
      '  People are opening tickets in RT, handing them to the MSP, and the MSP works them in',
      '  ConnectWise. Watch the board and the feed. Ctrl-C stops everything.',
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
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  const text = isLocked(err)
    ? lockedMessage(err, 'start the demo')
    : err instanceof Error
      ? err.stack
      : String(err);
  process.stderr.write(`demo failed: ${text}\n`);
  process.exit(1);
});
