/**
 * The ServiceNow (Table API, incident) connector: wiring only. See README.md for setup and mapping.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { addComment, listComments, listCommentsBulk } from './comments.ts';
import { type ServiceNowConfig, ServiceNowConfigSchema } from './config.ts';
import { serviceNowDefaultMappings } from './mapping.ts';
import { pullTickets } from './pull.ts';
import { checkConnection, createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseWebhook, verifyWebhook } from './webhook.ts';

export type { ServiceNowConfig } from './config.ts';

export const servicenow = defineConnector<ServiceNowConfig>({
  id: 'servicenow',
  displayName: 'ServiceNow (incident)',
  version: '0.1.0',
  docsUrl:
    'https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html',
  configSchema: ServiceNowConfigSchema,
  defaultMappings: serviceNowDefaultMappings,
  // The incident's `description` is writable through the Table API.
  updatable: { description: true },
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  listCommentsBulk,
  addComment,
  webhook: { verify: verifyWebhook, parse: parseWebhook },
});
