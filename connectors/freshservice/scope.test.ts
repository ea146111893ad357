/**
 * Customers in Freshservice are departments (MSP mode: companies). The list endpoint cannot filter
 * by department, so a scoped pull reads every ticket and marks each with its department; creates
 * set the department the hub names and refuse one outside the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { FreshserviceConfig } from './config.ts';
import { freshservice } from './index.ts';
import { createFreshserviceSimulator, type FreshserviceSimulator, SIM_DEPARTMENTS } from './simulator.ts';

const CONTOSO = String(SIM_DEPARTMENTS.contoso);
const GLOBEX = String(SIM_DEPARTMENTS.globex);
let sim: FreshserviceSimulator;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<FreshserviceConfig> =>
  createConnectorContext(freshservice, { connectionId: 'fs-msp', config: sim.connectorConfig(), scopeKeys });

const pullAll = (ctx: ConnectorContext<FreshserviceConfig>) => pullAllRecords(freshservice, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'Shared mailbox access', status: 'OPEN', ...overrides });

beforeAll(async () => {
  sim = await createFreshserviceSimulator();
  sim.createTicket({
    subject: 'contoso printer',
    departmentId: SIM_DEPARTMENTS.contoso,
    category: 'Hardware',
  });
  sim.createTicket({ subject: 'globex vpn', departmentId: SIM_DEPARTMENTS.globex });
});
afterAll(() => sim.close());

describe('Freshservice connection scope (departments)', () => {
  it('a scoped pull returns every ticket, each marked with its own department', async () => {
    const records = await pullAll(contextFor([CONTOSO]));
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['contoso printer', CONTOSO, 'Hardware'],
      ['globex vpn', GLOBEX, null],
    ]);
    expect(await pullAll(contextFor([]))).toEqual([]);
  });

  it('creates for the named department in the named group; refuses one outside the scope', async () => {
    const created = await freshservice.createTicket(
      contextFor([CONTOSO, GLOBEX]),
      draft({ scopeKey: GLOBEX, queue: '27000044512' }),
    );
    expect([created.scopeKey, created.queue]).toEqual([GLOBEX, '27000044512']);
    const before = sim.requestCount();
    await expect(
      freshservice.createTicket(contextFor([CONTOSO]), draft({ scopeKey: GLOBEX })),
    ).rejects.toThrow(/customer "27000050002".*scoped to "27000050001"/);
    expect(sim.requestCount()).toBe(before);
  });
});
