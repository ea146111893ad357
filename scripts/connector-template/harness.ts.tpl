import type { ConnectorHarness } from '../../src/connector-kit/index.ts';
import type { __PASCAL__Config } from './config.ts';
import { create__PASCAL__Simulator } from './simulator.ts';
import { todo } from './todo.ts';

/** The conformance suite's levers over the simulator. Fill in each TODO as the simulator grows. */
export async function create__PASCAL__Harness(): Promise<ConnectorHarness<__PASCAL__Config>> {
  const sim = await create__PASCAL__Simulator();
  return {
    capabilities: { controllableClock: false, rateLimitInjection: false, webhooks: false, webhookReplayWindow: false },
    validConfig: { baseUrl: sim.baseUrl, apiKey: sim.apiKey, pageSize: 5 },
    badCredentialsConfig: { baseUrl: sim.baseUrl, apiKey: 'wrong-key', pageSize: 5 },
    invalidConfigs: [{}, { baseUrl: 'not a url', apiKey: 'x' }],
    assignableExternalIds: [],
    secrets: [sim.apiKey],
    pageSize: 5,
    seedTickets: async () => todo('the simulator lever seedTickets (harness.ts)'),
    touchTicket: async () => todo('the simulator lever touchTicket (harness.ts)'),
    seedCorrelatedTicket: async () => todo('the simulator lever seedCorrelatedTicket (harness.ts)'),
    countCorrelated: async () => todo('the simulator lever countCorrelated (harness.ts)'),
    addVendorComment: async () => todo('the simulator lever addVendorComment (harness.ts)'),
    requestCount: () => sim.requestCount(),
    close: () => sim.close(),
  };
}
