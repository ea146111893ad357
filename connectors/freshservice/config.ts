/**
 * A Freshservice connection's settings. Validated once when the connection is made; the API key
 * and the webhook secret arrive resolved from env references and are never logged.
 */
import { z } from 'zod';

export const FreshserviceConfigSchema = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://acme.freshservice.com' })
    .transform((url) => url.replace(/\/+$/, '').replace(/\/api\/v2$/i, ''))
    .describe('The Freshservice helpdesk address, without /api/v2. Example: https://acme.freshservice.com'),
  apiKey: z
    .string()
    .min(1)
    .describe(
      "secret: the API key of the hub's agent (Profile settings > API key), sent as Basic `{apiKey}:X`. Example: env:FRESHSERVICE_API_KEY",
    ),
  defaultRequesterEmail: z
    .email({ error: 'must be an email address' })
    .describe(
      'Freshservice needs a requester on every ticket: hub tickets without one are raised for this email. Example: msp-desk@acme.example',
    ),
  correlationField: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'must be a custom field name such as cf_hub_ticket_id')
    .default('cf_hub_ticket_id')
    .describe(
      "The single-line text custom field holding the hub ticket id, as its key appears in a ticket's custom_fields. Example: cf_hub_ticket_id",
    ),
  departmentId: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'The department (in MSP mode: the company) hub tickets are raised for when the hub names none; on a scoped connection it must be in the scope. Example: 27000050001',
    ),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(100)
    .describe('Tickets per list page (Freshservice allows at most 100). Example: 100'),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(60)
    .describe('Each incremental pull re-reads this many seconds before the cursor. Example: 60'),
  webhookSecret: z
    .string()
    .min(16, 'use at least 16 random characters')
    .optional()
    .describe(
      'secret: the value the Workflow Automator webhook sends in webhookHeader; without it every webhook is refused. Example: env:FRESHSERVICE_WEBHOOK_SECRET',
    ),
  webhookHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('X-Hub-Webhook-Secret')
    .describe('The header the automator webhook carries the shared secret in. Example: X-Hub-Webhook-Secret'),
});

export type FreshserviceConfig = z.infer<typeof FreshserviceConfigSchema>;

/** `Authorization` for Freshservice's API-key Basic scheme: the key as user, `X` as password. */
export function freshserviceAuthHeader(config: Pick<FreshserviceConfig, 'apiKey'>): string {
  return `Basic ${Buffer.from(`${config.apiKey}:X`).toString('base64')}`;
}
