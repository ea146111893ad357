import type { Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { TOKEN_ENDED, type TokenWatch } from './auth/token-watch.ts';
import { extractToken, type TokenResolver, type Viewer } from './auth/tokens.ts';
import type { Logger } from './logger.ts';
import { SubscriptionGroups } from './perf/subscription-groups.ts';
import { findDeepVariable } from './plugins/input-guard.ts';
import { resolveViewer } from './plugins/use-auth.ts';
import { deepVariableError } from './plugins/use-input-guard.ts';
import type { PubSub } from './pubsub.ts';

type Yoga = YogaServerInstance<{ viewer?: Viewer }, object>;

export interface SocketLimits {
  /** WS_MAX_PAYLOAD_BYTES: bigger frames close the socket (1009) before they are buffered. */
  maxPayloadBytes: number;
  /** WS_MAX_SUBSCRIPTIONS_PER_SOCKET. */
  maxPerSocket: number;
  /** WS_MAX_SUBSCRIPTIONS_PER_TOKEN, across the token's sockets in this process. */
  maxPerToken: number;
}

function tooMany(message: string, limit: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit } });
}

/**
 * Close reasons are limited to 123 bytes: whole sentences written for it, not the HTTP
 * messages cut mid-word.
 */
export const WS_MISSING_TOKEN =
  'Missing API token: send { "authorization": "Bearer <token>" } in connection_init.';
export const WS_INVALID_TOKEN =
  'Invalid or revoked API token. Check that you copied all of it, or ask an admin for a new one.';

/**
 * graphql-ws on the same server and path as HTTP. The token travels in `connection_init`
 * (`{ authorization: "Bearer …" }` or `{ token }`): no token closes with 4401, a bad one
 * with 4403. Execution goes through yoga's envelop, so depth and cost limits apply here too.
 * Frames are capped (an unauthenticated 95 MB connection_init was buffered whole) and so are
 * live operations per socket and per token: each subscription costs an execution per event,
 * so one client with 2,000 of them slowed every other subscriber.
 */
export function attachWebSockets(
  server: Server,
  yoga: Yoga,
  tokens: TokenResolver,
  watch: TokenWatch,
  log: Logger,
  path: string,
  limits: SocketLimits,
) {
  // noServer: attached to `server`, ws would re-emit the server's own errors (EADDRINUSE on
  // listen) and graphql-ws would print them with a stack trace; listen() reports those itself.
  const wss = new WebSocketServer({ noServer: true, path, maxPayload: limits.maxPayloadBytes });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  );
  /** The live graphql-ws contexts of each token; `ctx.subscriptions` holds their operations. */
  const byToken = new Map<string, Set<{ subscriptions: object }>>();
  const live = (ctx: { subscriptions: object }) => Object.keys(ctx.subscriptions).length;
  const viewers = new WeakMap<object, Viewer>();
  const groups = new SubscriptionGroups();
  const disposable = useServer<Record<string, unknown>>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw =
          typeof params.authorization === 'string'
            ? params.authorization
            : typeof params.token === 'string'
              ? params.token
              : null;
        const token = extractToken(raw);
        if (!token) {
          ctx.extra.socket.close(4401, WS_MISSING_TOKEN);
          return false;
        }
        let viewer: Viewer | null;
        try {
          viewer = await resolveViewer(tokens, token, log);
        } catch {
          // Logged (safely) in resolveViewer; the client gets no detail.
          ctx.extra.socket.close(1011, 'Internal error: try again shortly');
          return false;
        }
        if (!viewer) {
          ctx.extra.socket.close(4403, WS_INVALID_TOKEN);
          return false;
        }
        viewers.set(ctx.extra.socket, viewer);
        // A socket lives as long as the client wants: its token is re-checked while it is open.
        const socket = ctx.extra.socket;
        const release = watch.track(viewer.tokenId, () => socket.close(4403, TOKEN_ENDED));
        socket.once('close', release);
        // The client may have left while its token was being looked up.
        if (socket.readyState >= socket.CLOSING) release();
        const mine = byToken.get(viewer.tokenId) ?? new Set();
        mine.add(ctx);
        byToken.set(viewer.tokenId, mine);
        return true;
      },
      onClose: (ctx) => {
        const viewer = viewers.get(ctx.extra.socket);
        const mine = viewer ? byToken.get(viewer.tokenId) : undefined;
        mine?.delete(ctx);
        if (viewer && mine?.size === 0) byToken.delete(viewer.tokenId);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const viewer = viewers.get(ctx.extra.socket);
        // graphql-ws has already counted this operation in ctx.subscriptions.
        if (live(ctx) > limits.maxPerSocket) {
          return [
            tooMany(
              `This socket already has ${limits.maxPerSocket} live operations (WS_MAX_SUBSCRIPTIONS_PER_SOCKET). Complete one first; one subscription to ticketEvents carries every change you may see.`,
              limits.maxPerSocket,
            ),
          ];
        }
        const mine = viewer ? byToken.get(viewer.tokenId) : undefined;
        const total = mine ? [...mine].reduce((n, c) => n + live(c), 0) : 0;
        if (total > limits.maxPerToken) {
          return [
            tooMany(
              `This API token already has ${limits.maxPerToken} live operations across its sockets (WS_MAX_SUBSCRIPTIONS_PER_TOKEN). Complete some, or share one subscription between views.`,
              limits.maxPerToken,
            ),
          ];
        }
        const deep = findDeepVariable(payload.variables);
        if (deep) return [deepVariableError(deep)];
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          viewer,
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err as never];
        }
        const args = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe, groupKey: groupKeyOf(viewer, payload) },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      // Subscribers that would see the same results share one execution per event (see
      // SubscriptionGroups); the key holds everything the result depends on.
      subscribe: (args) => {
        const root = args.rootValue as {
          subscribe: typeof import('graphql').subscribe;
          groupKey: string | null;
        };
        if (!root.groupKey) return root.subscribe(args);
        const pubsub = (args.contextValue as { pubsub: PubSub }).pubsub;
        return groups.join(
          root.groupKey,
          () => root.subscribe(args),
          () => pubsub.hold(),
        );
      },
      onError: (_ctx, _id, _payload, errors) => {
        log.debug({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wss,
  );
  return {
    wss,
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(1001, 'Server is shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * What a subscription's results depend on: the viewer's party, role and engagements (visibility
 * and auth rules read nothing else from the viewer: two MSP tokens limited to different
 * engagements never share a group) and the exact operation. Null opts out of sharing.
 */
function groupKeyOf(
  viewer: Viewer | undefined,
  payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
): string | null {
  if (!viewer) return null;
  return JSON.stringify([
    viewer.partyId,
    viewer.role,
    viewer.partySlug,
    viewer.partyKind,
    [...viewer.engagementIds].sort(),
    payload.query,
    payload.operationName ?? null,
    payload.variables ?? null,
  ]);
}
