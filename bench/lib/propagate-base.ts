/**
 * Child process: the propagate row's baseline, the least a webhook-to-subscriber pipeline can
 * do. A `node:http` server takes the same ConnectWise callback POST, inserts one row into a
 * plain table with `pg` and NOTIFYs its id in the same transaction, then answers 202; a
 * listener reads the row by id and `ws.send`s a message of the hub's shape and size to every
 * raw `ws` client (same server, path `/ws`). It does not check the signature, fetch the
 * ticket from the vendor, merge, or run GraphQL: that is the hub's overhead being measured.
 *
 * IPC: sends `ready` {webhookUrl, wsUrl}; answers `stats` (connected clients); `stop` exits.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { createBenchDb, POOL_MAX } from './hub.ts';

const CHANNEL = 'base_changes';
const db = await createBenchDb('propbase');
const pool = new pg.Pool({ connectionString: db.url, max: POOL_MAX });
await pool.query(`create table changes (
  id bigserial primary key, external_id text not null, title text not null,
  status text, priority text, received_at timestamptz not null default now())`);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function store(body: string): Promise<void> {
  const callback = JSON.parse(body) as { ID: number; Entity: string };
  const entity = JSON.parse(callback.Entity) as {
    summary: string;
    status?: { name?: string };
    priority?: { name?: string };
  };
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      'insert into changes (external_id, title, status, priority) values ($1, $2, $3, $4) returning id',
      [String(callback.ID), entity.summary, entity.status?.name ?? null, entity.priority?.name ?? null],
    );
    await client.query('select pg_notify($1, $2)', [CHANNEL, rows[0]!.id]);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/hook') {
    res.writeHead(404).end();
    return;
  }
  readBody(req)
    .then(store)
    .then(
      () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}'),
      (err: Error) =>
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: err.message })),
    );
});
const wss = new WebSocketServer({ server, path: '/ws' });

/** Same shape as the hub's graphql-ws `next` message for `ticketEvents`, values of similar size. */
function message(row: {
  id: string;
  external_id: string;
  title: string;
  status: string | null;
  priority: string | null;
}): string {
  const ticketId = Buffer.from(`Ticket:${row.external_id.padStart(36, '0')}`).toString('base64url');
  return JSON.stringify({
    id: '1',
    type: 'next',
    payload: {
      data: {
        ticketEvents: {
          id: row.id,
          type: 'UPDATED',
          ticket: {
            id: ticketId,
            key: `HUB-${row.external_id}`,
            title: row.title,
            status: (row.status ?? 'NEW').toUpperCase().replace(/\W+/g, '_').slice(0, 11),
            priority: (row.priority ?? 'MEDIUM').slice(0, 6).toUpperCase(),
            assignee: null,
          },
        },
      },
    },
  });
}

// One at a time, in NOTIFY (= commit) order, like the hub's dispatcher.
let chain: Promise<void> = Promise.resolve();
const listener = new pg.Client({ connectionString: db.url });
await listener.connect();
listener.on('notification', (n) => {
  chain = chain
    .then(async () => {
      const { rows } = await pool.query(
        'select id, external_id, title, status, priority from changes where id = $1',
        [n.payload],
      );
      if (!rows[0]) return;
      const text = message(rows[0]);
      for (const client of wss.clients) client.send(text);
    })
    .catch((err: Error) => console.error(`propagate baseline: ${err.message}`));
});
await listener.query(`listen ${CHANNEL}`);

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'stats') {
    process.send?.({ type: 'stats', active: wss.clients.size });
  } else if (msg.type === 'stop') {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    server.close();
    await listener.end();
    await pool.end();
    await db.drop();
    process.exit(0);
  }
});

process.send?.({
  type: 'ready',
  webhookUrl: `http://127.0.0.1:${port}/hook`,
  wsUrl: `ws://127.0.0.1:${port}/ws`,
});
