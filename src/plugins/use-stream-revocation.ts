import type { Plugin } from 'graphql-yoga';
import type { TokenWatch } from '../auth/token-watch.ts';
import type { Context } from '../context.ts';

/**
 * Server-sent event subscriptions (HTTP) end when their token is revoked or expires: the
 * stream completes and the connection closes. WebSockets are watched per socket in ws.ts
 * instead (one socket carries many operations, and grouped subscriptions share an execution).
 */
export function useStreamRevocation(watch: TokenWatch): Plugin {
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as Partial<Context> & { socket?: unknown };
      const viewer = context.viewer;
      if (context.socket || !viewer) return;
      return {
        onSubscribeResult({ result }) {
          if (!result || !(Symbol.asyncIterator in result)) return;
          const release = watch.track(viewer.tokenId, () => {
            void result.return?.();
          });
          return { onEnd: release };
        },
      };
    },
  };
}
