import { type App, createApp } from './app.ts';
import { bootstrapIfEmpty, partySlugsAfterBootstrap } from './auth/bootstrap.ts';
import { type Config, ConfigError, parseConfig } from './config.ts';
import { CONNECTORS } from './connectors.ts';
import { createDatabase, type Database } from './db/client.ts';
import { createLogger, type Logger } from './logger.ts';
import { isLocked, listenError, lockedMessage, StartupError } from './startup-errors.ts';
import { loadConnectionsFile } from './sync/connections-file.ts';
import { SyncEngine } from './sync/engine.ts';

/** The only entry: parse config, build the app, listen, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
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
  let database: Database;
  try {
    database = await createDatabase({
      url: config.DATABASE_URL,
      dataDir: config.HUB_DATA_DIR,
      poolMax: config.PG_POOL_MAX,
      log,
      role: 'hub',
    });
  } catch (err) {
    throw isLocked(err) ? new StartupError(lockedMessage(err, 'start this hub')) : err;
  }
  // A lock left behind by an exit that skipped close() would only be taken over as stale later.
  process.on('exit', () => database.lock?.release());
  let app: App;
  try {
    app = await startHub(config, database, log, storage);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
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

/**
 * Everything an operator can get wrong (the connections file, the port) is checked before the
 * first start creates the admin token, and the token is printed as soon as it exists: a
 * start that fails later still leaves the operator holding it (issue #14).
 */
async function startHub(config: Config, database: Database, log: Logger, storage: string): Promise<App> {
  const definitions = config.HUB_CONNECTIONS_FILE
    ? loadConnectionsFile(config.HUB_CONNECTIONS_FILE, CONNECTORS, process.env, {
        parties: await partySlugsAfterBootstrap(database.db),
      })
    : null;
  const sync = definitions
    ? new SyncEngine({
        database,
        definitions,
        log,
        deliveryLeaseMs: config.SYNC_DELIVERY_LEASE_MS,
        pullLeaseMs: config.SYNC_PULL_LEASE_MS,
        ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
      })
    : undefined;
  const app = createApp({ config, database, log, ...(sync ? { sync } : {}) });
  const port = await app.listen(config.PORT, config.HOST).catch((err: unknown) => {
    throw listenError(err, config.HOST, config.PORT);
  });
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/graphql`;
  database.lock?.setUrl(url);

  const first = await bootstrapIfEmpty(database.db);
  if (first) process.stdout.write(firstStartBanner(first.token, url));
  if (sync && definitions) {
    await sync.init();
    log.info({ connections: definitions.map((d) => d.id) }, 'sync engine configured');
  }
  await app.start();
  log.info({ url, storage, graphiql: config.graphiql }, 'hub listening');
  if (!first) process.stdout.write(`\n  Hub ready at ${url}\n\n`);
  return app;
}

/** Printed once, on purpose, to the terminal only: it is the key to the new hub. */
function firstStartBanner(token: string, url: string): string {
  return [
    '',
    '  First start: created the parties "internal" and "msp" and an admin token for "internal".',
    '  Store it now; it is not shown again:',
    '',
    `    ${token}`,
    '',
    `  Dashboard: ${url.replace(/\/graphql$/, '/dashboard')}  (paste the token)`,
    `  GraphiQL:  ${url}  (add the header  Authorization: Bearer <token>)`,
    '  More tokens: npm run hub -- token create --party msp --role agent',
    '  Lost it? npm run hub -- token create --party internal --role admin  (embedded database: stop the hub first)',
    '',
    '',
  ].join('\n');
}

main().catch((err) => {
  process.stderr.write(`hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
