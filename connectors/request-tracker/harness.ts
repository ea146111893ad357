/**
 * The conformance suite's levers for Request Tracker, over two backends:
 * - `createRtSimulatorHarness()`: the simulator, with every lever (settable clock, 429s, hooks);
 * - `createRealRtHarness({ url })`: a real RT (scripts/start-rt.sh), seeded through REST2 as
 *   root. Each harness works in a fresh queue of its own, so pulls only see its tickets. A
 *   pass-through proxy provides `onNextPageServed` and `requestCount`; the clock cannot be
 *   set and RT never rate limits, so those checks are skipped with a reason.
 */
import { randomUUID } from 'node:crypto';
import axios from 'axios';
import type { CommentVisibility, ConnectorHarness } from '../../src/connector-kit/index.ts';
import { type RtConfig, restRoot, rtConfigSchema } from './config.ts';
import { startRtProxy } from './harness-proxy.ts';
import { ROUND_TRIP_STATUSES } from './mapping.ts';
import { HUB_TICKET_ID_CF } from './sim-model.ts';
import { type RtSimulator, startRtSimulator } from './simulator.ts';
import { correlationQuery } from './ticket-sql.ts';

const PAGE_SIZE = 3;
const SECOND_QUEUE = 'Fabrikam Support';
const ASSIGNABLE = ['hub-alice', 'hub-bob'];

function invalidConfigs(baseUrl: string): unknown[] {
  return [
    {},
    { baseUrl: 'not a url', token: 't0k3n' },
    { baseUrl: 'ftp://rt.example.com', token: 't0k3n' },
    { baseUrl },
    { baseUrl, username: 'root' },
    { baseUrl, token: '' },
    { baseUrl, token: 't0k3n', pageSize: 0 },
    { baseUrl, token: 't0k3n', pageSize: 101 },
    { baseUrl, token: 't0k3n', queue: '' },
    { baseUrl, token: 't0k3n', timeZone: 'Mars/Olympus_Mons' },
  ];
}

export type RtSimulatorHarness = ConnectorHarness<RtConfig> & { simulator: RtSimulator };

export async function createRtSimulatorHarness(): Promise<RtSimulatorHarness> {
  const sim = await startRtSimulator();
  sim.addQueue(SECOND_QUEUE);
  const wrongPassword = `wrong-${randomUUID()}`;
  return {
    simulator: sim,
    capabilities: {
      controllableClock: true,
      rateLimitInjection: true,
      webhooks: false,
      webhookReplayWindow: false,
    },
    moveQueue: SECOND_QUEUE,
    validConfig: rtConfigSchema.parse({ baseUrl: sim.url, token: sim.token, pageSize: PAGE_SIZE }),
    badCredentialsConfig: rtConfigSchema.parse({
      baseUrl: sim.url,
      username: 'root',
      password: wrongPassword,
    }),
    invalidConfigs: invalidConfigs(sim.url),
    assignableExternalIds: ASSIGNABLE,
    secrets: [sim.token, wrongPassword],
    pageSize: PAGE_SIZE,
    roundTrip: { statuses: ROUND_TRIP_STATUSES },
    // Two customers' queues (the queue is RT's customer key).
    scope: {
      keys: ['General', SECOND_QUEUE],
      pullFilter: 'server',
      async seedTicketsIn(queue, count, opts = {}) {
        const prefix = opts.titlePrefix ?? 'seeded';
        return Array.from({ length: count }, (_, i) =>
          sim.createTicket({ subject: `${prefix} ${i + 1}`, queue }),
        );
      },
    },
    async seedTickets(count, opts = {}) {
      const prefix = opts.titlePrefix ?? 'seeded';
      return Array.from({ length: count }, (_, i) => sim.createTicket({ subject: `${prefix} ${i + 1}` }));
    },
    async touchTicket(id, title) {
      sim.updateTicket(id, { subject: title });
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return sim.createTicket({ subject: title, hubTicketId });
    },
    async countCorrelated(hubTicketId) {
      return [...sim.store.tickets.values()].filter(
        (t) => t.customFields.get(HUB_TICKET_ID_CF)?.[0] === hubTicketId,
      ).length;
    },
    async addVendorComment(id, body, visibility: CommentVisibility) {
      sim.reply(id, body, { internal: visibility === 'INTERNAL', as: 'hub-alice' });
    },
    setClock: (at) => sim.setClock(at),
    onNextPageServed: (fn) => sim.onNextPageServed(fn),
    injectRateLimit: (count, retryAfterSeconds) => sim.injectRateLimit(count, retryAfterSeconds),
    requestCount: () => sim.requestCount(),
    close: () => sim.close(),
  };
}

export interface RealRtHarnessOptions {
  /** RT's base URL, e.g. http://127.0.0.1:8089 (what scripts/start-rt.sh prints). */
  url: string;
  /** The connector authenticates with this token when given (e.g. hub-sync's), else as `admin`. */
  token?: string;
  /** A superuser for seeding and for the connector without a token. Default root/password. */
  admin?: { username: string; password: string };
}

export async function createRealRtHarness(
  options: RealRtHarnessOptions,
): Promise<ConnectorHarness<RtConfig>> {
  const admin = options.admin ?? { username: 'root', password: 'password' };
  const rest = axios.create({ baseURL: restRoot(options.url), auth: admin, timeout: 30_000 });
  for (const name of ASSIGNABLE) {
    const found = await rest.get(`/user/${name}`, { validateStatus: () => true });
    if (found.status !== 200)
      throw new Error(`RT at ${options.url} has no user ${name}: run scripts/start-rt.sh`);
  }
  const queue = `hub-conformance-${randomUUID().slice(0, 8)}`;
  const created = await rest.post('/queue', { Name: queue, Description: 'request-tracker conformance run' });
  const queueId = String(created.data.id);
  const proxy = await startRtProxy(options.url);
  const auth = options.token ? { token: options.token } : admin;
  const wrongPassword = `wrong-${randomUUID()}`;

  const createTicket = async (body: Record<string, unknown>) =>
    String((await rest.post('/ticket', { Queue: queue, ...body })).data.id);

  return {
    capabilities: {
      controllableClock: false,
      rateLimitInjection: false,
      webhooks: false,
      webhookReplayWindow: false,
    },
    validConfig: rtConfigSchema.parse({ baseUrl: proxy.url, ...auth, queue, pageSize: PAGE_SIZE }),
    badCredentialsConfig: rtConfigSchema.parse({
      baseUrl: proxy.url,
      username: admin.username,
      password: wrongPassword,
      queue,
    }),
    invalidConfigs: invalidConfigs(options.url),
    assignableExternalIds: ASSIGNABLE,
    secrets: [admin.password, wrongPassword, ...(options.token ? [options.token] : [])],
    pageSize: PAGE_SIZE,
    roundTrip: { statuses: ROUND_TRIP_STATUSES },
    async seedTickets(count, opts = {}) {
      const ids: string[] = [];
      for (let i = 1; i <= count; i += 1)
        ids.push(await createTicket({ Subject: `${opts.titlePrefix ?? 'seeded'} ${i}` }));
      return ids;
    },
    async touchTicket(id, title) {
      await rest.put(`/ticket/${id}`, { Subject: title });
    },
    async seedCorrelatedTicket(hubTicketId, title) {
      return createTicket({ Subject: title, CustomFields: { HubTicketId: hubTicketId } });
    },
    async countCorrelated(hubTicketId) {
      const found = await rest.get('/tickets', {
        params: { query: correlationQuery(hubTicketId), per_page: 100 },
      });
      return Number(found.data.count);
    },
    async addVendorComment(id, body, visibility) {
      const kind = visibility === 'INTERNAL' ? 'comment' : 'correspond';
      await rest.post(`/ticket/${id}/${kind}`, { Content: body, ContentType: 'text/plain' });
    },
    onNextPageServed: (fn) => proxy.onNextPageServed(fn),
    requestCount: () => proxy.requestCount(),
    async close() {
      await proxy.close();
      // DELETE disables the queue (RT never deletes queues); its tickets stay for inspection.
      await rest.delete(`/queue/${queueId}`, { validateStatus: () => true });
    },
  };
}
