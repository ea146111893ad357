/**
 * Jira Service Management (Jira Cloud REST v3 plus the JSM request API): wiring only.
 * See README.md for the Jira-side setup, the correlation label and what is mapped.
 */
import { defineConnector } from '../../src/connector-kit/index.ts';
import { checkConnection } from './check.ts';
import { addComment, listComments } from './comments.ts';
import { type JiraSmConfig, JiraSmConfigSchema } from './config.ts';
import { jiraDefaultMappings } from './mapping.ts';
import { pullTickets } from './pull.ts';
import { createTicket, getTicket, updateTicket } from './tickets.ts';
import { parseWebhook, verifyWebhook } from './webhook.ts';

export type { JiraSmConfig } from './config.ts';

export const jiraSm = defineConnector<JiraSmConfig>({
  id: 'jira-sm',
  displayName: 'Jira Service Management',
  version: '0.1.0',
  docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/rest/v3/',
  configSchema: JiraSmConfigSchema,
  defaultMappings: jiraDefaultMappings,
  // The issue's `description` (ADF) is editable through PUT /issue.
  updatable: { description: true },
  check: checkConnection,
  pullTickets,
  getTicket,
  createTicket,
  updateTicket,
  listComments,
  addComment,
  webhook: { verify: verifyWebhook, parse: parseWebhook },
});
