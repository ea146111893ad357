/**
 * The ConnectWise PSA (Manage) connector: wiring only. See README.md for setup and mapping.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { type ConnectWiseConfig, ConnectWiseConfigSchema } from './config.ts';
import { connectWiseDefaultMappings } from './mapping.ts';
import { addComment, listComments } from './notes.ts';
import { findUserByEmail } from './people.ts';
import { pullTickets } from './pull.ts';
import { checkConnection, createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseCallback, registerCallback, unregisterCallback, verifyCallback } from './webhook.ts';

export type { ConnectWiseConfig } from './config.ts';

export const connectwise = defineConnector<ConnectWiseConfig>({
  id: 'connectwise',
  displayName: 'ConnectWise PSA',
  version: '0.1.0',
  docsUrl: 'https://developer.connectwise.com/Products/ConnectWise_PSA/REST',
  configSchema: ConnectWiseConfigSchema,
  defaultMappings: connectWiseDefaultMappings,
  // `initialDescription` is write-only (cannot change after creation); the board can move.
  updatable: { description: false, queue: true },
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  addComment,
  findUserByEmail,
  webhook: {
    verify: verifyCallback,
    parse: parseCallback,
    register: registerCallback,
    unregister: unregisterCallback,
  },
});
