import { defineConnector } from '../../src/connector-kit/index.ts';
import { __PASCAL__ConfigSchema, type __PASCAL__Config } from './config.ts';
import { __CAMEL__DefaultMappings } from './mapping.ts';
import { todo } from './todo.ts';

/** __NAME__: wiring only. Each member's contract is in src/connector-kit/contract.ts. */
export const __CAMEL__ = defineConnector<__PASCAL__Config>({
  id: '__ID__',
  displayName: '__NAME__',
  version: '0.1.0',
  docsUrl: 'https://example.com/__ID__/api-docs',
  configSchema: __PASCAL__ConfigSchema,
  defaultMappings: __CAMEL__DefaultMappings,
  check: async () => ({ ok: false, reason: 'TODO(__ID__): implement check() in connectors/__ID__/index.ts' }),
  pullTickets: async function* () {
    yield todo('pullTickets');
  },
  getTicket: async () => todo('getTicket'),
  createTicket: async () => todo('createTicket'),
  updateTicket: async () => todo('updateTicket'),
  listComments: async () => todo('listComments'),
  addComment: async () => todo('addComment'),
});
