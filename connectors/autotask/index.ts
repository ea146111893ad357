/**
 * The Autotask PSA connector: wiring only. See README.md for setup and mapping.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { checkConnection } from './check.ts';
import { type AutotaskConfig, AutotaskConfigSchema } from './config.ts';
import { autotaskDefaultMappings } from './mapping.ts';
import { addComment, listComments, listCommentsBulk } from './notes.ts';
import { pullTickets } from './pull.ts';
import { registerWebhooks } from './register.ts';
import { createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseCallout, verifyCallout } from './webhook.ts';

export type { AutotaskConfig } from './config.ts';

export const autotask = defineConnector<AutotaskConfig>({
  id: 'autotask',
  displayName: 'Autotask PSA',
  version: '0.1.0',
  docsUrl: 'https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/REST_API_Home.htm',
  configSchema: AutotaskConfigSchema,
  defaultMappings: autotaskDefaultMappings,
  // Autotask's `description` can be PATCHed on /Tickets.
  updatable: { description: true },
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  listCommentsBulk,
  addComment,
  webhook: { verify: verifyCallout, parse: parseCallout, register: registerWebhooks },
});
