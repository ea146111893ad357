/**
 * A HaloPSA connection's settings. Validated once when the connection is made; the OAuth client
 * secret and the webhook secret arrive resolved from env references and are never logged.
 */
import { z } from 'zod';

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

export const HaloConfigSchema = z.object({
  baseUrl: httpUrl.describe(
    'The Halo web address without /api; the API is served at {baseUrl}/api. Example: https://acme.halopsa.com',
  ),
  authServerUrl: httpUrl
    .optional()
    .describe(
      'The Authorisation Server URL from Halo (Configuration > Integrations > HaloPSA API), when it is not {baseUrl}/auth. The token is requested at {authServerUrl}/token. Example: https://acme.halopsa.com/auth',
    ),
  tenant: z
    .string()
    .min(1)
    .optional()
    .describe('Only for Halo-hosted tenants: sent as ?tenant= on the token request. Example: acme'),
  clientId: z
    .string()
    .min(1)
    .describe(
      'The API application\'s Client ID (client credentials). Example: "5f2c0a3e-1b7d-4c1e-9f3a-2d6b8e0c4a11"',
    ),
  clientSecret: z
    .string()
    .min(1)
    .describe('secret: the API application\'s Client Secret. Example: "env:HALO_CLIENT_SECRET"'),
  scope: z
    .string()
    .min(1)
    .default('all')
    .describe(
      'OAuth scope requested with the token; the application needs tickets and actions. Example: "all"',
    ),
  customerId: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'Halo client (customer) id an unscoped connection reads and files tickets under (omit to read every client); on a connection the hub scopes to clients, the default client for creates, which must be in the scope. Example: 12',
    ),
  ticketTypeId: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Ticket type for tickets the hub creates; omit for the Halo default. Example: 1'),
  teamName: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Team (name, as Halo stores it on a ticket) for tickets the hub creates. Example: "1st Line Support"',
    ),
  publicOutcome: z
    .string()
    .min(1)
    .default('Public Note')
    .describe('Action outcome used for public comments (hiddenfromuser false). Example: "Public Note"'),
  internalOutcome: z
    .string()
    .min(1)
    .default('Private Note')
    .describe('Action outcome used for internal notes (hiddenfromuser true). Example: "Private Note"'),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(100)
    .describe('Tickets per list request (page_size); Halo allows at most 100. Example: 100'),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(120)
    .describe('Incremental pulls re-read this many seconds before the cursor. Example: 120'),
  maxRequestsPerSecond: z
    .number()
    .min(0.1)
    .max(50)
    .default(4)
    .describe(
      'Client-side request rate ceiling for this connection (Halo limits are not published). Example: 4',
    ),
  webhookAuth: z
    .enum(['basic', 'header'])
    .default('basic')
    .describe(
      'How Halo authenticates to the hub: "basic" (webhook Authentication = Basic) or "header" (a custom header carrying the secret). Example: "basic"',
    ),
  webhookUsername: z
    .string()
    .min(1)
    .default('halo')
    .describe('Basic auth user name set on the Halo webhook (webhookAuth "basic"). Example: "halo"'),
  webhookHeaderName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('x-hub-webhook-secret')
    .describe('Header carrying the secret (webhookAuth "header"). Example: "x-hub-webhook-secret"'),
  webhookSecret: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe(
      'secret: the Basic auth password or header value set on the Halo webhook; without it every webhook is refused. Example: "env:HALO_WEBHOOK_SECRET"',
    ),
});

export type HaloConfig = z.infer<typeof HaloConfigSchema>;

/** `{baseUrl}/api`: Halo's resource server. */
export function apiUrlOf(config: Pick<HaloConfig, 'baseUrl'>): string {
  return `${config.baseUrl}/api`;
}

/** `{authServerUrl}/token`, defaulting to `{baseUrl}/auth/token`. */
export function tokenUrlOf(config: Pick<HaloConfig, 'baseUrl' | 'authServerUrl'>): string {
  return `${config.authServerUrl ?? `${config.baseUrl}/auth`}/token`;
}
