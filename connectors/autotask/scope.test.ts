/**
 * Customers on one Autotask: an MSP's tickets of several client companies. A scoped connection
 * asks Autotask for its companies only, files tickets for the company the hub names in the queue
 * the area map names, and reports company, queue and issue type on every record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { AutotaskConfig } from './config.ts';
import { autotask } from './index.ts';
import { type AutotaskSimulator, createAutotaskSimulator } from './simulator.ts';

let sim: AutotaskSimulator;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<AutotaskConfig> =>
  createConnectorContext(autotask, { connectionId: 'at-msp', config: sim.connectorConfig(), scopeKeys });

const pullAll = (ctx: ConnectorContext<AutotaskConfig>) => pullAllRecords(autotask, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'Backup job failed', ...overrides });

const queryFilters = () =>
  sim
    .requestLog()
    .filter((r) => r.path === '/Tickets/query')
    .map((r) => JSON.stringify((r.body as { filter: unknown }).filter));

beforeAll(async () => {
  sim = await createAutotaskSimulator();
  sim.createTicket({ title: 'fabrikam backup', companyID: 174, issueType: 8 });
  sim.createTicket({ title: 'northwind patch', companyID: 175, issueType: 7 });
  sim.createTicket({ title: 'msp internal', companyID: 0 });
});
afterAll(() => sim.close());

describe('Autotask connection scope (companies)', () => {
  it('asks for companyID in the scope and marks each record with company and issue type', async () => {
    const records = await pullAll(contextFor(['174', '175']));
    expect(queryFilters().some((f) => f.includes('{"op":"in","field":"companyID","value":[174,175]}'))).toBe(
      true,
    );
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['fabrikam backup', '174', 'Backup'],
      ['northwind patch', '175', 'Patch Management'],
    ]);
  });

  it('an unscoped connection keeps its configured company; an empty scope reads nothing', async () => {
    expect((await pullAll(contextFor(null))).map((r) => r.title)).toEqual(['fabrikam backup']);
    expect(await pullAll(contextFor([]))).toEqual([]);
  });

  it('creates for draft.scopeKey in the queue draft.queue names', async () => {
    const created = await autotask.createTicket(
      contextFor(['174', '175']),
      draft({ scopeKey: '175', queue: 'Level II Support' }),
    );
    expect([created.scopeKey, created.queue]).toEqual(['175', 'Level II Support']);
  });

  it('refuses a company outside the scope, and a scope key that is not a company id', async () => {
    const before = sim.requestCount();
    await expect(autotask.createTicket(contextFor(['174']), draft({ scopeKey: '175' }))).rejects.toThrow(
      /customer "175".*scoped to "174"/,
    );
    expect(sim.requestCount()).toBe(before);
    await expect(pullAll(contextFor(['Fabrikam']))).rejects.toThrow(
      /"Fabrikam" is not an Autotask company id/,
    );
  });
});
