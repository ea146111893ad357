/**
 * Customers on one ServiceNow instance are companies (`core_company`): a scoped connection asks for
 * its companies only (`companyIN...` in sysparm_query), marks each record with its company, and
 * files incidents for the company the hub names, in the group the area map names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { ServiceNowConfig } from './config.ts';
import { servicenow } from './index.ts';
import { createServiceNowSimulator, type ServiceNowSimulator } from './simulator.ts';

let sim: ServiceNowSimulator;
let contoso: string;
let globex: string;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<ServiceNowConfig> =>
  createConnectorContext(servicenow, { connectionId: 'sn-msp', config: sim.connectorConfig(), scopeKeys });

const pullAll = (ctx: ConnectorContext<ServiceNowConfig>) => pullAllRecords(servicenow, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'Switch port flapping', ...overrides });

beforeAll(async () => {
  sim = await createServiceNowSimulator();
  [contoso, globex] = sim.companyIds as [string, string];
  sim.seedIncident({ short_description: 'contoso network', company: contoso, category: 'network' });
  sim.seedIncident({ short_description: 'globex email', company: globex });
  sim.seedIncident({ short_description: 'no company' });
});
afterAll(() => sim.close());

describe('ServiceNow connection scope (companies)', () => {
  it('asks for the scoped companies in sysparm_query and marks each record', async () => {
    sim.resetCounters();
    const records = await pullAll(contextFor([contoso]));
    const query = sim.requestLog().find((r) => r.path === '/api/now/table/incident')?.query;
    expect(query?.['sysparm_query']).toContain(`companyIN${contoso}`);
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['contoso network', contoso, 'network'],
    ]);
  });

  it('unscoped reads every incident; an empty scope asks nothing; a bad key is named', async () => {
    const all = await pullAll(contextFor(null));
    expect(new Set(all.map((r) => r.scopeKey))).toEqual(new Set([contoso, globex, null]));
    expect(await pullAll(contextFor([]))).toEqual([]);
    await expect(pullAll(contextFor(['Contoso']))).rejects.toThrow(
      /"Contoso" is not a ServiceNow company sys_id/,
    );
  });

  it('creates for the named company in the named group, and refuses a company outside the scope', async () => {
    const created = await servicenow.createTicket(
      contextFor([contoso, globex]),
      draft({ scopeKey: globex, queue: sim.groupId }),
    );
    expect([created.scopeKey, created.queue]).toEqual([globex, sim.groupId]);
    sim.resetCounters();
    await expect(servicenow.createTicket(contextFor([contoso]), draft({ scopeKey: globex }))).rejects.toThrow(
      /refusing to create a ticket for customer/,
    );
    expect(sim.requestLog()).toHaveLength(0);
  });
});
