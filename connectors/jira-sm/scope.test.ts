/**
 * Customers in Jira Service Management are service projects: a scoped connection searches only
 * its projects (JQL `project in (...)`), marks each record with its project and issue type, and
 * files requests in the project of the customer the hub names, never outside the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorContext,
  createConnectorContext,
  type TicketDraft,
} from '../../src/connector-kit/index.ts';
import { pullAllRecords, testDraft } from '../../src/connector-kit/test-helpers.ts';
import type { JiraSmConfig } from './config.ts';
import { jiraSm } from './index.ts';
import { createJiraSimulator, type JiraSimulator } from './simulator.ts';

let sim: JiraSimulator;
const contextFor = (scopeKeys: readonly string[] | null): ConnectorContext<JiraSmConfig> =>
  createConnectorContext(jiraSm, { connectionId: 'jira-its', config: sim.connectorConfig(), scopeKeys });

const pullAll = (ctx: ConnectorContext<JiraSmConfig>) => pullAllRecords(jiraSm, ctx);

const draft = (overrides: Partial<TicketDraft> = {}) =>
  testDraft({ title: 'New starter laptop', ...overrides });

beforeAll(async () => {
  sim = await createJiraSimulator();
  sim.createIssue({ summary: 'its incident', issueType: 'Incident' });
  sim.createIssue({ summary: 'glx request', projectKey: 'GLX' });
});
afterAll(() => sim.close());

describe('Jira SM connection scope (projects)', () => {
  it('searches the scoped projects only, each record naming project and issue type', async () => {
    sim.resetCounters();
    const records = await pullAll(contextFor(['GLX']));
    expect(sim.requestLog().find((r) => r.jql)?.jql).toMatch(/^project = "GLX"/);
    expect(records.map((r) => [r.title, r.scopeKey, r.category])).toEqual([
      ['glx request', 'GLX', 'Service Request'],
    ]);
    sim.resetCounters();
    const both = await pullAll(contextFor(['ITS', 'GLX']));
    expect(sim.requestLog().find((r) => r.jql)?.jql).toMatch(/^project in \("ITS", "GLX"\)/);
    expect(both.map((r) => [r.scopeKey, r.category])).toEqual([
      ['ITS', 'Incident'],
      ['GLX', 'Service Request'],
    ]);
  });

  it('an unscoped connection keeps its configured project; an empty scope asks nothing', async () => {
    expect((await pullAll(contextFor(null))).map((r) => r.scopeKey)).toEqual(['ITS']);
    sim.resetCounters();
    expect(await pullAll(contextFor([]))).toEqual([]);
    expect(sim.requestLog()).toHaveLength(0);
  });

  it("creates in the customer's project, and refuses one outside the scope before any request", async () => {
    const created = await jiraSm.createTicket(contextFor(['ITS', 'GLX']), draft({ scopeKey: 'GLX' }));
    expect(created.scopeKey).toBe('GLX');
    sim.resetCounters();
    await expect(jiraSm.createTicket(contextFor(['ITS']), draft({ scopeKey: 'GLX' }))).rejects.toThrow(
      /customer "GLX".*scoped to "ITS"/,
    );
    expect(sim.requestLog()).toHaveLength(0);
  });
});
