/**
 * Request Tracker 5 (REST2). Polling only: RT has no outbound webhooks in its core.
 * See README.md for the RT-side setup (user, rights, the HubTicketId custom field).
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { checkConnection } from './check.ts';
import { addComment, listComments } from './comments.ts';
import { type RtConfig, rtConfigSchema } from './config.ts';
import { rtDefaultMappings } from './mapping.ts';
import { findUserByEmail } from './people.ts';
import { pullTickets } from './pull.ts';
import { createTicket, getTicket, updateTicket } from './tickets.ts';

export const requestTracker = defineConnector<RtConfig>({
  id: 'request-tracker',
  displayName: 'Request Tracker',
  version: '0.1.0',
  docsUrl: 'https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html',
  configSchema: rtConfigSchema,
  defaultMappings: rtDefaultMappings,
  // RT has no description field (the create's Content is the first transaction); Queue moves.
  updatable: { description: false, queue: true },
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  addComment,
  findUserByEmail,
});
