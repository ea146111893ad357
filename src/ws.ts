import type { Server } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { extractToken, type TokenResolver, type Viewer } from './auth/tokens.ts';
import type { Logger } from './logger.ts';
import { SubscriptionGroups } from './perf/subscription-groups.ts';
import { INVALID_TOKEN, MISSING_TOKEN } from './plugins/use-auth.ts';
import type { PubSub } from './pubsub.ts';

type Yoga = YogaServerInstance<{ viewer?: Viewer }, object>;

/**
 * graphql-ws on the same server and path as HTTP. The token travels in `connection_init`
 * (`{ authorization: "Bearer …" }` or `{ token }`): no token closes with 4401, a bad one
 * with 4403. Execution goes through yoga's envelop, so depth and cost limits apply here too.
 */
export function attachWebSockets(
  server: Server,
  yoga: Yoga,
  tokens: TokenResolver,
  log: Logger,
  path: string,
) {
  const wss = new WebSocketServer({ server, path });
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
          ctx.extra.socket.close(4401, MISSING_TOKEN.slice(0, 120));
          return false;
        }
        const viewer = await tokens.resolve(token);
        if (!viewer) {
          ctx.extra.socket.close(4403, INVALID_TOKEN.slice(0, 120));
          return false;
        }
        viewers.set(ctx.extra.socket, viewer);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const viewer = viewers.get(ctx.extra.socket);
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
