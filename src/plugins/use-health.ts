import type { Plugin } from 'graphql-yoga';

/**
 * `/healthz`: the process is up. `/readyz`: it can serve (database answers, not draining).
 * Load balancers take a replica out on a failing readyz before it stops.
 */
export function useHealth(isReady: () => Promise<{ ready: boolean; reason?: string }>): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') {
        return endResponse(fetchAPI.Response.json({ status: 'ok' }));
      }
      if (url.pathname === '/readyz') {
        const state = await isReady();
        return endResponse(
          fetchAPI.Response.json(
            state.ready ? { status: 'ready' } : { status: 'not_ready', reason: state.reason },
            { status: state.ready ? 200 : 503 },
          ),
        );
      }
    },
  };
}
