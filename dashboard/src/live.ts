import { type Client, createClient } from 'graphql-ws';
import { DOCUMENTS, type HubEvent } from './api.ts';

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface LiveOptions {
  token: string;
  onEvent(event: HubEvent): void;
  onState(state: LinkState, detail?: string): void;
  /** Called on every (re)connect after the first: time to catch up on what was missed. */
  onReconnect(): void;
  /** Called once the first connection is up and subscribed. */
  onFirstConnect(): void;
  /** Engagement slugs to listen to; null: every engagement the token sees. */
  engagements?: string[] | null;
}

// graphql-ws closes: 4401 no token (fatal in the client), 4403 bad or revoked token (the hub's
// choice; graphql-ws would retry it forever, so it is made fatal here).
const REFUSED = new Set([4401, 4403]);
const PONG_TIMEOUT_MS = 5_000;

/** Capped exponential backoff with jitter: quick first retries, never more than ~5 s apart. */
function retryWait(retries: number): Promise<void> {
  const ms = Math.min(500 * 2 ** retries, 5_000) + Math.random() * 300;
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The `ticketEvents` subscription over graphql-ws, kept alive for as long as the page is
 * open: it retries forever, and a ping left unanswered (a half-open socket after a network
 * change) or the browser going offline ends the socket so the retry starts at once.
 */
export function startLive(opts: LiveOptions): { client: Client; stop(): void } {
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let connections = 0;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const client: Client = createClient({
    url: url.toString(),
    connectionParams: { authorization: `Bearer ${opts.token}` },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait,
    shouldRetry: (closed) => !(isClose(closed) && REFUSED.has(closed.code)),
    onNonLazyError: () => {},
    on: {
      connecting: () => opts.onState(connections === 0 ? 'connecting' : 'reconnecting'),
      connected: () => {
        connections++;
        opts.onState('live');
        if (connections === 1) opts.onFirstConnect();
        else opts.onReconnect();
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        if (isClose(event) && REFUSED.has(event.code)) opts.onState('refused', event.reason);
        else opts.onState(connections === 0 ? 'connecting' : 'reconnecting');
      },
      ping: (received) => {
        if (!received) pongTimer = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  const stopSubscription = client.subscribe<{ ticketEvents: HubEvent }>(
    {
      query: DOCUMENTS.ticketEvents,
      variables: { filter: opts.engagements ? { engagement: opts.engagements } : null },
    },
    {
      next: (msg) => {
        if (msg.data?.ticketEvents) opts.onEvent(msg.data.ticketEvents);
      },
      error: (err) => {
        if (!(isClose(err) && REFUSED.has(err.code))) console.error('ticketEvents failed', err);
      },
      complete: () => {},
    },
  );
  const offline = () => client.terminate();
  window.addEventListener('offline', offline);

  return {
    client,
    stop() {
      window.removeEventListener('offline', offline);
      stopSubscription();
      void client.dispose();
    },
  };
}

function isClose(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}
