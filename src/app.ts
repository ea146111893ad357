import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { TokenResolver, type Viewer } from './auth/tokens.ts';
import { type ClockTimerOptions, createClockTimer } from './commitments/timer.ts';
import type { Config } from './config.ts';
import { createContext } from './context.ts';
import type { Database } from './db/client.ts';
import { EventDispatcher } from './events/dispatcher.ts';
import type { Logger } from './logger.ts';
import { useJit } from './perf/use-jit.ts';
import { createMaskError } from './plugins/mask-errors.ts';
import { useAuth } from './plugins/use-auth.ts';
import { useBodyLimit } from './plugins/use-body-limit.ts';
import { useDashboard } from './plugins/use-dashboard.ts';
import { useHealth } from './plugins/use-health.ts';
import { useWebhooks } from './plugins/use-webhooks.ts';
import { createHubPubSub } from './pubsub.ts';
import { schema } from './schema/index.ts';
import type { SyncEngine } from './sync/engine.ts';
import { attachWebSockets } from './ws.ts';

export const GRAPHQL_PATH = '/graphql';

export interface AppDeps {
  config: Pick<
    Config,
    'graphiql' | 'MAX_QUERY_DEPTH' | 'MAX_QUERY_COST' | 'MAX_BODY_BYTES' | 'SHUTDOWN_TIMEOUT_MS' | 'NODE_ENV'
  >;
  database: Database;
  log: Logger;
  /** The sync engine, when connections are configured: its write hooks plan the outbox. */
  sync?: SyncEngine;
  /** The commitments clock worker (every replica runs one); false turns it off (tests that drive it). */
  clockTimer?: ClockTimerOptions | false;
}

export interface App {
  server: Server;
  yoga: ReturnType<typeof createYoga>;
  dispatcher: EventDispatcher;
  tokens: TokenResolver;
  /** Live GraphQL subscriptions in this process. */
  activeSubscriptions(): number;
  /** Listen and start the event dispatcher; returns the bound port. */
  start(port: number, host?: string): Promise<number>;
  /** Stop taking work, let in-flight requests finish (bounded), close sockets. */
  stop(): Promise<void>;
}

/** Builds the whole hub from its dependencies; no globals, so tests can run several. */
export function createApp(deps: AppDeps): App {
  const { config, database, log } = deps;
  const pubsub = createHubPubSub();
  const dispatcher = new EventDispatcher(database, pubsub, log);
  const tokens = new TokenResolver(database.db);
  const clockTimer = deps.clockTimer === false ? null : createClockTimer(database.db, log, deps.clockTimer);
  const viewers = new WeakMap<Request, Viewer>();
  let draining = false;

  const yoga = createYoga<{ viewer?: Viewer }>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Co-managed ticket hub', subscriptionsProtocol: 'WS' } : false,
    // The bundled renderer inlines GraphiQL's scripts and styles; yoga's default pulls them from a
    // CDN, which leaves a blank page on a machine without internet.
    renderGraphiQL,
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      error: (...args) => log.error({ args }, 'yoga'),
    },
    maskedErrors: { maskError: createMaskError(log) },
    plugins: [
      useHealth(async () => {
        if (draining) return { ready: false, reason: 'shutting down' };
        try {
          await database.ping();
          return { ready: true };
        } catch {
          return { ready: false, reason: 'database unreachable' };
        }
      }),
      ...(deps.sync ? [useWebhooks(deps.sync)] : []),
      useDashboard(),
      useBodyLimit(config.MAX_BODY_BYTES),
      useAuth(tokens, viewers, GRAPHQL_PATH),
      EnvelopArmorPlugin({
        maxDepth: { n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true },
        costLimit: { maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 4000 },
        blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
      }),
      useJit(),
    ],
    context: (initial) => {
      const viewer = initial.viewer ?? viewers.get(initial.request);
      if (!viewer) throw new Error('request reached GraphQL without a viewer');
      return createContext(
        {
          db: database.db,
          pubsub,
          log,
          hooks: deps.sync?.hooks ?? {},
          sync: deps.sync ?? null,
          // A new engagement changes what MSP tokens see: drop the cached viewers at once.
          onEngagementsChanged: () => tokens.invalidate(),
        },
        viewer,
      );
    },
  });

  const server = createServer(yoga);
  const sockets = attachWebSockets(server, yoga as never, tokens, log, GRAPHQL_PATH);

  return {
    server,
    yoga: yoga as never,
    dispatcher,
    tokens,
    activeSubscriptions: () => pubsub.activeSubscriptions(),
    async start(port, host = '127.0.0.1') {
      await dispatcher.start();
      await deps.sync?.start();
      clockTimer?.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await sockets.close();
      const timeout = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      await closed;
      clearTimeout(timeout);
      await clockTimer?.stop();
      await deps.sync?.stop();
      await dispatcher.stop();
    },
  };
}
