/**
 * Child process: a hub on its own Postgres database, so its memory and CPU are its own.
 * IPC: sends `ready` (url, tokens, a shared ticket); answers `mem` (RSS after GC) and
 * `stats` (live subscriptions and fan-out counters); `stop` drops the database and exits.
 * Run with `node --expose-gc --import tsx`.
 */
import { tickets } from '../../src/db/schema/index.ts';
import { fanoutStats } from '../../src/perf/fanout-stats.ts';
import { startBenchHub } from './hub.ts';

const hub = await startBenchHub('proc');
const [ticket] = await hub.database.db
  .insert(tickets)
  .values({
    title: 'fanout',
    engagementId: hub.engagementId,
    ownerPartyId: hub.partyIds.internal,
    originPartyId: hub.partyIds.internal,
    shared: true,
  })
  .returning();
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'mem') {
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    process.send?.({
      type: 'mem',
      rss: process.memoryUsage().rss,
      heap: process.memoryUsage().heapUsed,
      gc: !!gc,
    });
  } else if (msg.type === 'stats') {
    process.send?.({
      type: 'stats',
      active: hub.app.activeSubscriptions(),
      executions: fanoutStats.executions,
      deliveries: fanoutStats.deliveries,
      groups: fanoutStats.groups,
    });
  } else if (msg.type === 'stop') {
    await hub.stop();
    process.exit(0);
  }
});

process.send?.({
  type: 'ready',
  url: hub.url,
  wsUrl: hub.wsUrl,
  ticketId: gid('Ticket', ticket!.id),
  tokens: {
    internalAgent: await hub.token('internal', 'AGENT'),
    internalViewer: await hub.token('internal', 'VIEWER'),
    mspViewer: await hub.token('msp', 'VIEWER'),
  },
});
