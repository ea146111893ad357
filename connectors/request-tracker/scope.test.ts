/**
 * Customers in Request Tracker are queues: a scoped connection reads only its queues, and a new
 * ticket goes in the area map's queue or the customer's, never in a queue outside the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import { type RtConfig, rtConfigSchema } from './config.ts';
import { requestTracker } from './index.ts';
import { type RtSimulator, startRtSimulator } from './simulator.ts';

let sim: RtSimulator;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<RtConfig> =>
  createConnectorContext(requestTracker, {
    connectionId: 'rt-acme',
    config: rtConfigSchema.parse({ baseUrl: sim.url, token: sim.token, pageSize: 2 }),
    scopeKeys,
  });

const pullAll = (ctx: ConnectorContext<RtConfig>) => pullAllRecords(requestTracker, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) => testDraft({ title: 'Mailbox full', ...overrides });

beforeAll(async () => {
  sim = await startRtSimulator();
  for (const queue of ['Acme Support', 'Acme Network', 'Globex Support']) sim.addQueue(queue);
  for (const queue of ['Acme Support', 'Acme Network', 'Globex Support', 'General'])
    sim.createTicket({ subject: `in ${queue}`, queue });
});
afterAll(() => sim.close());

describe('Request Tracker connection scope (queues)', () => {
  it("reads only the scope's queues, across pages, each record naming its queue", async () => {
    const records = await pullAll(contextFor(['Acme Support', 'Acme Network']));
    expect(records.map((r) => [r.title, r.scopeKey, r.queue])).toEqual([
      ['in Acme Support', 'Acme Support', 'Acme Support'],
      ['in Acme Network', 'Acme Network', 'Acme Network'],
    ]);
  });

  it('an unscoped connection keeps reading its configured queue; an empty scope reads nothing', async () => {
    expect((await pullAll(contextFor(null))).map((r) => r.scopeKey)).toEqual(['General']);
    expect(await pullAll(contextFor([]))).toEqual([]);
  });

  it("creates in draft.queue when it is in scope, else in the customer's queue", async () => {
    const ctx = contextFor(['Acme Support', 'Acme Network']);
    const byQueue = await requestTracker.createTicket(
      ctx,
      draft({ scopeKey: 'Acme Support', queue: 'Acme Network' }),
    );
    expect(byQueue.scopeKey).toBe('Acme Network');
    const byCustomer = await requestTracker.createTicket(ctx, draft({ scopeKey: 'Acme Support' }));
    expect(byCustomer.scopeKey).toBe('Acme Support');
  });

  it('refuses a queue outside the scope, whether named as queue or customer', async () => {
    const ctx = contextFor(['Acme Support']);
    const refused = (o: Partial<TicketDraft>) => draft({ title: 'Refused', ...o });
    await expect(requestTracker.createTicket(ctx, refused({ queue: 'Globex Support' }))).rejects.toThrow(
      /customer "Globex Support".*scoped to "Acme Support"/,
    );
    await expect(requestTracker.createTicket(ctx, refused({ scopeKey: 'General' }))).rejects.toThrow(
      /customer "General"/,
    );
    expect([...sim.store.tickets.values()].filter((t) => t.subject === 'Refused')).toHaveLength(0);
  });
});
