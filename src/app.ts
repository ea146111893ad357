import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { TOKENS_CHANNEL, TokenWatch } from './auth/token-watch.ts';
import { TokenResolver, type Viewer } from './auth/tokens.ts';
import { type ClockTimerOptions, createClockTimer } from './commitments/timer.ts';
import type { Config } from './config.ts';
import { createContext } from './context.ts';
import type { Database } from './db/client.ts';
import { EventDispatcher } from './events/dispatcher.ts';
import type { Logger } from './logger.ts';
import { useJit } from './perf/use-jit.ts';
import { createMaskError } from './plugins/mask-errors.ts';
import { withMaskedErrors } from './plugins/mask-request-errors.ts';
import { useAuth } from './plugins/use-auth.ts';
import { useBodyLimit } from './plugins/use-body-limit.ts';
import { corsFor, useJsonOperations } from './plugins/use-browser-guards.ts';
import { useDashboard } from './plugins/use-dashboard.ts';
import { useHealth } from './plugins/use-health.ts';
import { useInputGuard } from './plugins/use-input-guard.ts';
import { useQueryLimits } from './plugins/use-query-limits.ts';
import { useStreamRevocation } from './plugins/use-stream-revocation.ts';
import { useWebhooks } from './plugins/use-webhooks.ts';
import { createHubPubSub } from './pubsub.ts';
import { schema } from './schema/index.ts';
import type { SyncEngine } from './sync/engine.ts';
import { attachWebSockets } from './ws.ts';

export const GRAPHQL_PATH = '/graphql';

export interface AppDeps {
  config: Pick<
    Config,
    | 'graphiql'
    | 'MAX_QUERY_DEPTH'
    | 'MAX_QUERY_COST'
    | 'MAX_BODY_BYTES'
    | 'SHUTDOWN_TIMEOUT_MS'
    | 'NODE_ENV'
    | 'TOKEN_RECHECK_MS'
    | 'CORS_ORIGINS'
    | 'PUBLIC_URL'
    | 'WEBHOOK_RATE_PER_MINUTE'
    | 'WEBHOOK_TICKET_WINDOW_MS'
    | 'WS_MAX_PAYLOAD_BYTES'
    | 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET'
    | 'WS_MAX_SUBSCRIPTIONS_PER_TOKEN'
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
  /**
   * Bind the port without serving yet: requests wait until `start`. main.ts binds before it
   * bootstraps the database, so a port in use fails the first start before a token is made.
   */
  listen(port: number, host?: string): Promise<number>;
  /** Listen (unless `listen` did), start the event dispatcher and sync, serve; returns the port. */
  start(port?: number, host?: string): Promise<number>;
  /** Stop taking work, let in-flight requests finish (bounded), close sockets. */
  stop(): Promise<void>;
}

/** Builds the whole hub from its dependencies; no globals, so tests can run several. */
export function createApp(deps: AppDeps): App {
  const { config, database, log } = deps;
  const pubsub = createHubPubSub();
  const dispatcher = new EventDispatcher(database, pubsub, log);
  const tokens = new TokenResolver(database.db, config.TOKEN_RECHECK_MS);
  const tokenWatch = new TokenWatch(database.db, log, config.TOKEN_RECHECK_MS);
  let stopTokenListener: (() => Promise<void>) | null = null;
  const clockTimer = deps.clockTimer === false ? null : createClockTimer(database.db, log, deps.clockTimer);
  const viewers = new WeakMap<Request, Viewer>();
  let draining = false;

  const yoga = createYoga<{ viewer?: Viewer }>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    cors: corsFor(config.CORS_ORIGINS, config.PUBLIC_URL),
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
      ...(deps.sync
        ? [
            withMaskedErrors(
              useWebhooks(deps.sync, {
                maxBytes: config.MAX_BODY_BYTES,
                ratePerMinute: config.WEBHOOK_RATE_PER_MINUTE,
                ticketWindowMs: config.WEBHOOK_TICKET_WINDOW_MS,
              }),
              log,
            ),
          ]
        : []),
      withMaskedErrors(useDashboard(undefined, { sourceMaps: config.NODE_ENV !== 'production' }), log),
      useBodyLimit(config.MAX_BODY_BYTES),
      useJsonOperations(GRAPHQL_PATH),
      withMaskedErrors(useAuth(tokens, viewers, GRAPHQL_PATH, log), log),
      useStreamRevocation(tokenWatch),
      useInputGuard(),
      EnvelopArmorPlugin({
        maxDepth: { n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true },
        // The cost limit is ours (useQueryLimits): armor's ignored `first` from variables.
        costLimit: { enabled: false },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 4000 },
        blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
      }),
      useQueryLimits(schema, config.MAX_QUERY_COST),
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

  // Until start() ran, requests wait for it: the dispatcher and the sync hooks must be live
  // before the first mutation, or its events and deliveries would be lost.
  let serving = false;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const server = createServer((req, res) => {
    if (serving) yoga(req, res);
    else void opened.then(() => yoga(req, res));
  });
  let boundPort: number | null = null;
  const listen = async (port: number, host = '127.0.0.1') => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    boundPort = (server.address() as AddressInfo).port;
    return boundPort;
  };
  const sockets = attachWebSockets(server, yoga as never, tokens, tokenWatch, log, GRAPHQL_PATH, {
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    maxPerSocket: config.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    maxPerToken: config.WS_MAX_SUBSCRIPTIONS_PER_TOKEN,
  });

  return {
    server,
    yoga: yoga as never,
    dispatcher,
    tokens,
    activeSubscriptions: () => pubsub.activeSubscriptions(),
    listen,
    async start(port = 0, host = '127.0.0.1') {
      await dispatcher.start();
      // A revocation announced on any replica: forget cached tokens and re-check streams now.
      stopTokenListener = await database.listen(TOKENS_CHANNEL, () => {
        tokens.invalidate();
        void tokenWatch.check();
      });
      tokenWatch.start();
      let bound: number;
      try {
        await deps.sync?.start();
        clockTimer?.start();
        bound = boundPort ?? (await listen(port, host));
      } catch (err) {
        // Nothing of a failed start may linger: webhooks it registered, pull leases, listeners.
        await clockTimer?.stop();
        await deps.sync?.abortStart();
        await tokenWatch.stop();
        await stopTokenListener?.();
        stopTokenListener = null;
        await dispatcher.stop();
        throw err;
      }
      serving = true;
      open();
      return bound;
    },
    async stop() {
      draining = true;
      serving = true;
      open();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await sockets.close();
      const timeout = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      await closed;
      clearTimeout(timeout);
      await clockTimer?.stop();
      await deps.sync?.stop();
      await tokenWatch.stop();
      await stopTokenListener?.();
      await dispatcher.stop();
    },
  };
}
