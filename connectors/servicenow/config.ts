/**
 * A ServiceNow connection's settings. Validated once when the connection is made; `password`,
 * `oauthClientSecret` and `webhookSecret` arrive resolved from env references and are never logged.
 */
import { z } from 'zod';

const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-hex sys_id');

export const ServiceNowConfigSchema = z
  .object({
    instanceUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://acme.service-now.com' })
      .transform((url) => url.replace(/\/+$/, ''))
      .describe('The instance address, without /api, e.g. https://acme.service-now.com'),
    auth: z
      .enum(['basic', 'oauth'])
      .default('basic')
      .describe(
        '"basic" sends username:password; "oauth" trades them for a bearer token at /oauth_token.do, e.g. "basic"',
      ),
    username: z
      .string()
      .min(1)
      .describe(
        'The integration user (roles itil + rest_api_explorer or snc_platform_rest_api_access), e.g. "hub.integration"',
      ),
    password: z.string().min(1).describe('secret: the integration user\'s password, e.g. "env:SN_PASSWORD"'),
    oauthClientId: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Client id from System OAuth > Application Registry (auth "oauth" only), e.g. "ac0dd3408c1031006907010c2cc6ef6d"',
      ),
    oauthClientSecret: z
      .string()
      .min(1)
      .optional()
      .describe('secret: the OAuth client secret (auth "oauth" only), e.g. "env:SN_OAUTH_CLIENT_SECRET"'),
    scopeQuery: z
      .string()
      .default('')
      .refine(
        (q) => !/\^NQ|ORDERBY/i.test(q),
        'must not contain ^NQ or ORDERBY: the connector adds its own order',
      )
      .describe(
        'Encoded query ANDed to every pull, e.g. "assignment_group=287ebd7da9fe198100f92cc8d1d2154e^active=true"',
      ),
    assignmentGroup: sysId
      .optional()
      .describe(
        'sys_id of the group hub-created incidents are assigned to, e.g. "287ebd7da9fe198100f92cc8d1d2154e"',
      ),
    company: sysId
      .optional()
      .describe(
        'sys_id of the customer company (core_company) hub-created incidents belong to when the hub names none; on a scoped connection it must be in the scope, e.g. "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001"',
      ),
    callerId: sysId
      .optional()
      .describe(
        'sys_id of the caller for hub-created incidents without a known requester, e.g. "681ccaf9c0a8016400b98a06818d57c7"',
      ),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .describe('Records per request (sysparm_limit); the Table API caps it at 10000, e.g. 100'),
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(60)
      .describe('Incremental pulls re-read this many seconds before the cursor, e.g. 60'),
    priorityWrite: z
      .enum(['impact-urgency', 'priority'])
      .default('impact-urgency')
      .describe(
        'Write priority as impact + urgency (the default lookup computes priority) or as "priority" itself, e.g. "impact-urgency"',
      ),
    resolveCloseCode: z
      .string()
      .min(1)
      .default('Solution provided')
      .describe(
        'close_code written when the hub resolves or closes an incident (mandatory there), e.g. "Solution provided"',
      ),
    resolveCloseNotes: z
      .string()
      .min(1)
      .default('Resolved through the co-managed ticket hub.')
      .describe('close_notes written with it, e.g. "Resolved through the co-managed ticket hub."'),
    holdReason: z
      .string()
      .min(1)
      .default('1')
      .describe('hold_reason written when the hub puts an incident On Hold (1 = Awaiting Caller), e.g. "1"'),
    webhookSecret: z
      .string()
      .min(16)
      .optional()
      .describe(
        'secret: the shared secret the Business Rule sends or signs with (at least 16 characters), e.g. "env:SN_WEBHOOK_SECRET"',
      ),
    webhookAuth: z
      .enum(['hmac-sha256', 'shared-secret'])
      .default('hmac-sha256')
      .describe(
        '"hmac-sha256": signed timestamp + body (the README\'s Business Rule); "shared-secret": a static header (Flow Designer REST step), e.g. "hmac-sha256"',
      ),
    webhookToleranceSeconds: z
      .number()
      .int()
      .min(30)
      .max(3_600)
      .default(300)
      .describe('How old a signed webhook timestamp may be before it is refused as a replay, e.g. 300'),
  })
  .superRefine((config, ctx) => {
    if (config.auth !== 'oauth') return;
    for (const field of ['oauthClientId', 'oauthClientSecret'] as const) {
      if (!config[field])
        ctx.addIssue({ code: 'custom', path: [field], message: 'required when auth is "oauth"' });
    }
  });

export type ServiceNowConfig = z.infer<typeof ServiceNowConfigSchema>;
