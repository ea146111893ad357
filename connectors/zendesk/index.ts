/**
 * Zendesk Support, the internal IT team's side: wiring only. See README.md for setup and mapping.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { addComment, listComments } from './comments.ts';
import { type ZendeskConfig, ZendeskConfigSchema } from './config.ts';
import { zendeskDefaultMappings } from './mapping.ts';
import { pullTickets } from './pull.ts';
import { checkConnection, createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseWebhook, verifyWebhook } from './webhook.ts';

export type { ZendeskConfig } from './config.ts';

export const zendesk = defineConnector<ZendeskConfig>({
  id: 'zendesk',
  displayName: 'Zendesk Support',
  version: '0.1.0',
  docsUrl: 'https://developer.zendesk.com/api-reference/',
  configSchema: ZendeskConfigSchema,
  defaultMappings: zendeskDefaultMappings,
  // The description is the first comment, which the API cannot edit.
  updatable: { description: false },
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  addComment,
  webhook: { verify: verifyWebhook, parse: parseWebhook },
});
