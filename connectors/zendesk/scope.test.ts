/**
 * Customers in Zendesk are organisations. The incremental export cannot filter by organisation, so
 * a scoped pull reads every ticket and marks each with its organisation; creates set the
 * organisation the hub names (and the area map's group) and refuse one outside the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { ZendeskConfig } from './config.ts';
import { zendesk } from './index.ts';
import { createZendeskSimulator, SIM_ORGANIZATIONS, type ZendeskSimulator } from './simulator.ts';

const CONTOSO = String(SIM_ORGANIZATIONS.contoso);
const GLOBEX = String(SIM_ORGANIZATIONS.globex);
let sim: ZendeskSimulator;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<ZendeskConfig> =>
  createConnectorContext(zendesk, { connectionId: 'zd-msp', config: sim.connectorConfig(), scopeKeys });

const pullAll = (ctx: ConnectorContext<ZendeskConfig>) => pullAllRecords(zendesk, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'Password reset', status: 'OPEN', ...overrides });

beforeAll(async () => {
  sim = await createZendeskSimulator({ exclusionSeconds: 0 });
  sim.createTicket({
    subject: 'contoso laptop',
    organizationId: SIM_ORGANIZATIONS.contoso,
    type: 'incident',
  });
  sim.createTicket({ subject: 'globex badge', organizationId: SIM_ORGANIZATIONS.globex });
});
afterAll(() => sim.close());

describe('Zendesk connection scope (organisations)', () => {
  it('a scoped pull returns every ticket, each marked with its own organisation and type', async () => {
    const records = await pullAll(contextFor([CONTOSO]));
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['contoso laptop', CONTOSO, 'incident'],
      ['globex badge', GLOBEX, null],
    ]);
    expect(await pullAll(contextFor([]))).toEqual([]);
  });

  it('creates for the named organisation in the named group; refuses one outside the scope', async () => {
    const created = await zendesk.createTicket(
      contextFor([CONTOSO, GLOBEX]),
      draft({ scopeKey: GLOBEX, queue: '360000000001' }),
    );
    expect([created.scopeKey, created.queue]).toEqual([GLOBEX, '360000000001']);
    await expect(zendesk.createTicket(contextFor([CONTOSO]), draft({ scopeKey: GLOBEX }))).rejects.toThrow(
      /customer "360000100002".*scoped to "360000100001"/,
    );
    expect([...sim.store.tickets.values()].filter((t) => t.subject === 'Password reset')).toHaveLength(1);
  });
});
