/**
 * An Autotask connection's settings. Validated once when the connection is made; the API user's
 * secret (and the webhook secret key) arrive resolved from env references and are never logged.
 */
import { z } from 'zod';

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

const id = z.number().int().min(0);

export const AutotaskConfigSchema = z.object({
  zoneLookupUrl: httpUrl
    .default('https://webservices.autotask.net/atservicesrest')
    .describe(
      'Base URL of the zone lookup; `/v1.0/zoneInformation?user=` is appended, e.g. https://webservices.autotask.net/atservicesrest',
    ),
  username: z
    .string()
    .min(1)
    .describe('The API-only user\'s username (an email-like login), e.g. "hubapi@contoso-msp.com"'),
  secret: z.string().min(1).describe('secret: the API user\'s secret, e.g. "env:AUTOTASK_SECRET"'),
  integrationCode: z
    .string()
    .min(1)
    .describe(
      'The API tracking identifier (ApiIntegrationCode) chosen on the API user, e.g. "HUB7QK2ZLJ4M3ABCDE"',
    ),
  companyId: id.describe(
    'Id of the Autotask company (the co-managed customer) whose tickets are mirrored when the hub scopes the connection to no companies, and the company hub tickets are created for when they name none (on a scoped connection it must be in the scope), e.g. 174',
  ),
  queueId: id.describe('Id of the Service Desk queue hub-created tickets are filed in, e.g. 29683354'),
  correlationUdf: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'Name of a ticket UDF holding the hub ticket id; leave out to use the built-in externalID field, e.g. "Hub Ticket Id"',
    ),
  noteType: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('noteType picklist value for notes the hub writes (13, workflow notes, is reserved), e.g. 1'),
  impersonationResourceId: id
    .optional()
    .describe('Resource to attribute hub writes to (sent as ImpersonationResourceId), e.g. 29682885'),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(500)
    .describe('MaxRecords per query page; Autotask allows at most 500, e.g. 500'),
  windowMaxRecords: z
    .number()
    .int()
    .min(1)
    .max(50_000)
    .default(10_000)
    .describe(
      'Autotask cannot sort a query, so pulls read time windows of at most this many tickets and sort them in memory (each window costs a count request), e.g. 10000',
    ),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(60)
    .describe('Incremental pulls re-read this many seconds before the cursor, e.g. 60'),
  thresholdCheckEvery: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(50)
    .describe('Read GET /ThresholdInformation again after this many requests, e.g. 50'),
  pacingStartPercent: z
    .number()
    .min(0)
    .max(100)
    .default(50)
    .describe('Above this share of the hourly request threshold, requests are spread out, e.g. 50'),
  thresholdReserve: z
    .number()
    .int()
    .min(0)
    .default(200)
    .describe('Requests left unused for other integrations on the tenant, e.g. 200'),
  maxPacingWaitSeconds: z
    .number()
    .min(0)
    .max(600)
    .default(30)
    .describe(
      'A pacing wait longer than this fails the call as rate_limited so the engine reschedules, e.g. 30',
    ),
  webhookSecretKey: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'secret: SecretKey of the ticket webhooks (signs callouts); needed for webhooks, e.g. "env:AUTOTASK_WEBHOOK_KEY"',
    ),
  webhookReplayWindowSeconds: z
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(900)
    .describe(
      'A callout whose EventTime is further than this from its arrival is refused as stale, e.g. 900',
    ),
});

export type AutotaskConfig = z.infer<typeof AutotaskConfigSchema>;
