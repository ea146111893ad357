/**
 * Child process: the propagate row's hub, with one ConnectWise connection to the simulator
 * child (config over IPC, not argv: it holds the private key), backfilled once, and the real
 * webhook endpoint. Its own process, so subscriber and driver work do not share its event loop.
 *
 * It also notes, per change (keyed by the `t:<stamp>` title), when each stage of the hub's
 * pipeline ran, to show where the time goes: webhook received and answered, vendor fetch
 * started and done, NOTIFY of the committed event received by the dispatcher, and event
 * handed to pub/sub. It counts the SQL statements its `pg` clients send and times their round
 * trips, the comment reads and the inbound worker's busy time, and samples its event-loop
 * delay. The wrappers only read clocks; the calls and their order are unchanged.
 *
 * IPC: sends `listening`, then takes `config`; sends `ready` {wsUrl, webhookUrl, token, linked};
 * answers `stats` (live subscriptions) and `stages` (clocks and counters since the last ask);
 * `stop` drops the database and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import type { ConnectWiseConfig } from '../../connectors/connectwise/config.ts';
import type { Connector, WebhookRequest } from '../../src/connector-kit/contract.ts';
import { CONNECTORS } from '../../src/connectors.ts';
import type { PubSub } from '../../src/pubsub.ts';
import { parseConnections } from '../../src/sync/connections-file.ts';
import { SyncEngine } from '../../src/sync/engine.ts';
import { startBenchHub } from './hub.ts';
import { installQueryCounter, queryCount } from './pg-count.ts';
import { percentile } from './stats.ts';

export const PROPAGATE_CW_ID = 'msp-connectwise';
export type Stage = 'in' | 'ack' | 'fetchStart' | 'fetchEnd' | 'notified' | 'published';

const now = () => performance.timeOrigin + performance.now();
let stages = new Map<string, Partial<Record<Stage, number>>>();
const mark = (marker: string | undefined, stage: Stage, at = now()) => {
  if (!marker?.startsWith('t:')) return;
  const key = marker.slice(2);
  const entry = stages.get(key) ?? {};
  entry[stage] ??= at;
  stages.set(key, entry);
};

/** Comment reads after each applied change (the merge asks for them when the tool's copy moved). */
let commentReads: number[] = [];

function timedGetTicket(connector: Connector<never>): Connector<never> {
  return {
    ...connector,
    async listComments(ctx, id, since) {
      const start = performance.now();
      try {
        return await connector.listComments(ctx, id, since);
      } finally {
        commentReads.push(performance.now() - start);
      }
    },
    async getTicket(ctx, id) {
      const start = now();
      const record = await connector.getTicket(ctx, id);
      mark(record?.title, 'fetchStart', start);
      mark(record?.title, 'fetchEnd');
      return record;
    },
  };
}

const { config } = await new Promise<{ config: ConnectWiseConfig }>((resolve) => {
  process.once('message', (msg: { type: string; config: ConnectWiseConfig }) => resolve(msg));
  process.send?.({ type: 'listening' });
});
const { privateKey, ...settings } = config;
let engine!: SyncEngine;
const hub = await startBenchHub('propagate', {
  sync: async (database, log) => {
    const registry = {
      ...CONNECTORS,
      connectwise: timedGetTicket(CONNECTORS.connectwise as Connector<never>),
    };
    const definitions = parseConnections(
      {
        connections: [
          {
            id: PROPAGATE_CW_ID,
            connector: 'connectwise',
            party: 'msp',
            settings: { ...settings, privateKey: { env: 'CW_PRIVATE_KEY' } },
            pollIntervalSeconds: 3600,
          },
        ],
      },
      registry,
      { CW_PRIVATE_KEY: privateKey },
    );
    engine = new SyncEngine({ database, definitions, log, autoPoll: false });
    await engine.init();
    return engine;
  },
});

// Stage clocks (see the header). The callback body's Entity carries the new summary.
const receive = engine.receiveWebhook.bind(engine);
engine.receiveWebhook = async (id: string, req: WebhookRequest) => {
  const start = now();
  let summary: string | undefined;
  try {
    summary = JSON.parse(JSON.parse(req.rawBody.toString('utf8')).Entity).summary;
  } catch {
    summary = undefined;
  }
  const answer = await receive(id, req);
  mark(summary, 'in', start);
  mark(summary, 'ack');
  return answer;
};
const dispatcher = hub.app.dispatcher as unknown as { enqueue(payload: string): void; pubsub: PubSub };
const notifiedAt = new Map<number, number>();
const enqueue = dispatcher.enqueue.bind(dispatcher);
dispatcher.enqueue = (payload: string) => {
  const at = now();
  for (const id of payload.split(',')) notifiedAt.set(Number(id), at);
  enqueue(payload);
};
const publish = dispatcher.pubsub.publish.bind(dispatcher.pubsub);
dispatcher.pubsub.publish = (topic, row) => {
  const notified = notifiedAt.get(row.event.id);
  if (notified !== undefined) mark(row.ticket.title, 'notified', notified);
  notifiedAt.delete(row.event.id);
  mark(row.ticket.title, 'published');
  publish(topic, row);
};

// How busy the inbound worker is (batches that found work), and how late this
// process's event loop runs: on a shared box, CPU starvation shows up in every stage.
let workerBusyMs = 0;
const inboundBatch = engine.inboundBatch.bind(engine);
engine.inboundBatch = async () => {
  const start = performance.now();
  const busy = await inboundBatch();
  if (busy) workerBusyMs += performance.now() - start;
  return busy;
};
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const pulled = await engine.pullNow(PROPAGATE_CW_ID);
installQueryCounter();
let queriesBefore = queryCount();
// Each statement's round trip as its caller sees it (the counter above is wrapped, not replaced).
let statementMs: number[] = [];
const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const counted = clientProto.query;
clientProto.query = function (this: unknown, ...args: unknown[]) {
  const start = performance.now();
  const last = args.at(-1);
  // pg.Pool.query passes a callback; transactions on a checked-out client use the promise.
  if (typeof last === 'function') {
    args[args.length - 1] = (...result: unknown[]) => {
      statementMs.push(performance.now() - start);
      return last(...result);
    };
  }
  const out = counted.apply(this, args);
  if (out instanceof Promise)
    out.then(
      () => statementMs.push(performance.now() - start),
      () => {},
    );
  return out;
};
const webhookUrl = `http://127.0.0.1:${hub.port}/webhooks/${PROPAGATE_CW_ID}`;

process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'stats') {
    process.send?.({ type: 'stats', active: hub.app.activeSubscriptions() });
  } else if (msg.type === 'stages') {
    process.send?.({
      type: 'stages',
      stages: Object.fromEntries(stages),
      queries: queryCount() - queriesBefore,
      commentReads,
      workerBusyMs,
      loopDelayP99: loopDelay.percentile(99) / 1e6,
      statementP50: percentile(statementMs, 50),
      statementP99: percentile(statementMs, 99),
    });
    statementMs = [];
    stages = new Map();
    commentReads = [];
    workerBusyMs = 0;
    loopDelay.reset();
    queriesBefore = queryCount();
  } else if (msg.type === 'stop') {
    await hub.stop();
    process.exit(0);
  }
});

process.send?.({
  type: 'ready',
  wsUrl: hub.wsUrl,
  webhookUrl,
  token: await hub.token('msp', 'VIEWER'),
  linked: pulled.records,
});
