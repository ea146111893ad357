/**
 * Freshservice, the internal IT team's side: wiring only. See README.md for setup and mapping.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { addComment, listComments } from './comments.ts';
import { type FreshserviceConfig, FreshserviceConfigSchema } from './config.ts';
import { freshserviceDefaultMappings } from './mapping.ts';
import { pullTickets } from './pull.ts';
import { checkConnection, createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseWebhook, verifyWebhook } from './webhook.ts';

export type { FreshserviceConfig } from './config.ts';

export const freshservice = defineConnector<FreshserviceConfig>({
  id: 'freshservice',
  displayName: 'Freshservice',
  version: '0.1.0',
  docsUrl: 'https://api.freshservice.com/v2/',
  configSchema: FreshserviceConfigSchema,
  defaultMappings: freshserviceDefaultMappings,
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  addComment,
  webhook: { verify: verifyWebhook, parse: parseWebhook },
});
