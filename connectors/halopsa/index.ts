/**
 * The HaloPSA connector: wiring only. See README.md for setup, mapping and what is UNCONFIRMED.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { addComment, listComments } from './actions.ts';
import { type HaloConfig, HaloConfigSchema } from './config.ts';
import { haloDefaultMappings } from './mapping.ts';
import { pullTickets } from './pull.ts';
import { checkConnection, createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseWebhook, verifyWebhook } from './webhook.ts';

export type { HaloConfig } from './config.ts';

export const halopsa = defineConnector<HaloConfig>({
  id: 'halopsa',
  displayName: 'HaloPSA',
  version: '0.1.0',
  docsUrl: 'https://halopsa.com/apidoc/info',
  configSchema: HaloConfigSchema,
  defaultMappings: haloDefaultMappings,
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  addComment,
  webhook: { verify: verifyWebhook, parse: parseWebhook },
});
