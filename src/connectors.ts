import { autotask } from '../connectors/autotask/index.ts';
import { connectwise } from '../connectors/connectwise/index.ts';
import { freshservice } from '../connectors/freshservice/index.ts';
import { halopsa } from '../connectors/halopsa/index.ts';
import { jiraSm } from '../connectors/jira-sm/index.ts';
import { requestTracker } from '../connectors/request-tracker/index.ts';
import { servicenow } from '../connectors/servicenow/index.ts';
import { zendesk } from '../connectors/zendesk/index.ts';
import type { Connector } from './connector-kit/contract.ts';

/**
 * The explicit registry of connectors. Adding a tool: write `connectors/<id>/`, pass the
 * conformance suite, and add it here (`npm run connector:new -- <id>` does both).
 */
const ALL = [
  connectwise,
  autotask,
  halopsa,
  jiraSm,
  servicenow,
  zendesk,
  freshservice,
  requestTracker,
] as const;

export const CONNECTORS: Record<string, Connector<never>> = Object.fromEntries(
  ALL.map((c) => [c.id, c as unknown as Connector<never>]),
);
