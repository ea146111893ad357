/**
 * A Zendesk Support connection's settings. Validated once when the connection is made; the API
 * token and the webhook signing secret arrive resolved from env references and are never logged.
 */
import { z } from 'zod';

export const ZendeskConfigSchema = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://acme.zendesk.com' })
    .transform((url) => url.replace(/\/+$/, '').replace(/\/api\/v2$/i, ''))
    .describe('The Zendesk account address, without /api/v2. Example: https://acme.zendesk.com'),
  email: z
    .email({ error: 'must be the email address of the agent the API token belongs to' })
    .describe('The email of the agent the hub acts as (an agent or admin). Example: hub-sync@acme.example'),
  apiToken: z
    .string()
    .min(1)
    .describe(
      'secret: a Zendesk API token (Admin Center > Apps and integrations > Zendesk API), sent as Basic `{email}/token:{apiToken}`. Example: env:ZENDESK_API_TOKEN',
    ),
  organizationId: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'The organisation hub tickets are raised for when the hub names none; on a scoped connection it must be in the scope. Example: 360000100001',
    ),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(1000)
    .describe('Tickets per incremental export page (Zendesk allows at most 1000). Example: 1000'),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(120)
    .describe(
      'A new pull restarts the export this many seconds before the newest change already seen, so changes Zendesk held back (the last minute is excluded) or committed late are read again. 0 resumes exactly at the stored after_cursor. Example: 120',
    ),
  webhookSigningSecret: z
    .string()
    .min(1)
    .optional()
    .describe(
      "secret: the webhook's signing secret (Admin Center > Webhooks > the hub's webhook > Reveal secret). Example: env:ZENDESK_WEBHOOK_SECRET",
    ),
  webhookToleranceSeconds: z
    .number()
    .int()
    .min(1)
    .max(3_600)
    .default(300)
    .describe(
      'A webhook whose signed timestamp is further than this from now is refused as a replay. Example: 300',
    ),
});

export type ZendeskConfig = z.infer<typeof ZendeskConfigSchema>;

/** `Authorization` for Zendesk's API-token Basic scheme: `{email}/token:{token}`. */
export function zendeskAuthHeader(config: Pick<ZendeskConfig, 'email' | 'apiToken'>): string {
  return `Basic ${Buffer.from(`${config.email}/token:${config.apiToken}`).toString('base64')}`;
}
