import { createApp } from './app.ts';
import { bootstrapIfEmpty } from './auth/bootstrap.ts';
import { ConfigError, parseConfig } from './config.ts';
import { CONNECTORS } from './connectors.ts';
import { createDatabase } from './db/client.ts';
import { createLogger } from './logger.ts';
import { loadConnectionsFile } from './sync/connections-file.ts';
import { SyncEngine } from './sync/engine.ts';

/** The only entry: parse config, build the app, listen, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const storage = config.DATABASE_URL ? 'postgres' : `embedded PGlite in ${config.HUB_DATA_DIR}`;
  log.info({ storage }, 'opening database and applying migrations');
  const database = await createDatabase({
    url: config.DATABASE_URL,
    dataDir: config.HUB_DATA_DIR,
    poolMax: config.PG_POOL_MAX,
    log,
  });

  const first = await bootstrapIfEmpty(database.db);
  let sync: SyncEngine | undefined;
  if (config.HUB_CONNECTIONS_FILE) {
    const definitions = loadConnectionsFile(config.HUB_CONNECTIONS_FILE, CONNECTORS, process.env);
    sync = new SyncEngine({
      database,
      definitions,
      log,
      deliveryLeaseMs: config.SYNC_DELIVERY_LEASE_MS,
      pullLeaseMs: config.SYNC_PULL_LEASE_MS,
      ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
    });
    await sync.init();
    log.info({ connections: definitions.map((d) => d.id) }, 'sync engine configured');
  }
  const app = createApp({ config, database, log, ...(sync ? { sync } : {}) });
  const port = await app.start(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/graphql`;
  log.info({ url, storage, graphiql: config.graphiql }, 'hub listening');

  if (first) {
    // Printed once, on purpose, to the terminal only: it is the key to the new hub.
    process.stdout.write(
      [
        '',
        '  First start: created the parties "internal" and "msp" and an admin token for "internal".',
        '  Store it now; it is not shown again:',
        '',
        `    ${first.token}`,
        '',
        `  Dashboard: ${url.replace(/\/graphql$/, '/dashboard')}  (paste the token)`,
        `  GraphiQL:  ${url}  (add the header  Authorization: Bearer <token>)`,
        '  More tokens: npm run hub -- token create --party msp --role agent',
        '',
        '',
      ].join('\n'),
    );
  } else {
    process.stdout.write(`\n  Hub ready at ${url}\n\n`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    try {
      await app.stop();
      await database.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
