/**
 * A Jira Service Management connection's settings. Validated once when the connection is made;
 * the API token and the webhook secret arrive resolved from env references and are never logged.
 */
import { z } from 'zod';

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://contoso.atlassian.net' })
  .transform((url) => url.replace(/\/+$/, ''));

export const JiraSmConfigSchema = z.object({
  siteUrl: httpUrl.describe('The Jira Cloud site, without /rest. Example: https://contoso.atlassian.net'),
  email: z
    .email({ error: 'must be the email address of the Atlassian account the API token belongs to' })
    .describe(
      'The Atlassian account the API token belongs to (Basic auth user). Example: hub-sync@contoso.com',
    ),
  apiToken: z
    .string()
    .min(1)
    .describe(
      'secret: an Atlassian API token (id.atlassian.com > Security > API tokens). Example: env:JIRA_API_TOKEN',
    ),
  projectKey: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'must be a Jira project key such as ITS')
    .describe('The service project the hub reads and creates requests in. Example: ITS'),
  issueType: z
    .string()
    .min(1)
    .default('Service Request')
    .describe('The issue (request) type hub-created tickets get. Example: Service Request'),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe('maxResults per /search/jql page; Jira returns at most 100 issues with fields. Example: 50'),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(120)
    .describe(
      'Incremental pulls re-read this many seconds before the cursor, for the search index catching up late. Example: 120',
    ),
  webhookSecret: z
    .string()
    .min(8)
    .optional()
    .describe(
      'secret: the secret typed into the admin webhook (System > WebHooks); required to accept webhooks. Example: env:JIRA_WEBHOOK_SECRET',
    ),
  webhookToleranceSeconds: z
    .number()
    .int()
    .min(30)
    .max(3_600)
    .default(900)
    .describe(
      "How far a webhook's signed `timestamp` may be from our clock before it is a replay. Example: 900",
    ),
});

export type JiraSmConfig = z.infer<typeof JiraSmConfigSchema>;

/** `Authorization: Basic base64(email:api_token)`, Jira Cloud's API-token scheme. */
export function jiraAuthorization(config: Pick<JiraSmConfig, 'email' | 'apiToken'>): string {
  return `Basic ${Buffer.from(`${config.email}:${config.apiToken}`, 'utf8').toString('base64')}`;
}

/** The correlation label carrying the hub's ticket id (see README: why a label). */
export const CORRELATION_LABEL_PREFIX = 'hub-';
