/**
 * A Request Tracker connection's settings. Validated when the connection is made; secrets
 * (`token`, `password`) arrive resolved and are never logged.
 */
import { z } from 'zod';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const rtConfigSchema = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/, message: 'baseUrl must be an http(s) URL such as https://rt.example.com' })
      .describe(
        "RT's web address, without /REST/2.0. Example: https://rt.example.com or https://example.com/rt",
      ),
    token: z
      .string()
      .min(1)
      .optional()
      .describe(
        'secret: an RT auth token (user preferences > Auth Tokens), sent as `Authorization: token <t>`. Example: 1-24-4b6f0c...',
      ),
    username: z
      .string()
      .min(1)
      .optional()
      .describe('The RT user name for basic auth, when no token is given. Example: hub-sync'),
    password: z
      .string()
      .min(1)
      .optional()
      .describe('secret: the password for basic auth, when no token is given.'),
    queue: z
      .string()
      .min(1)
      .default('General')
      .describe('The queue the hub reads and creates tickets in. Example: General'),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(50)
      .describe('Tickets per REST2 page (RT caps per_page at 100). Example: 50'),
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(60)
      .describe(
        'Each incremental pull re-reads this many seconds before the cursor, for changes committed late. Example: 60',
      ),
    timeZone: z
      .string()
      .refine(isTimeZone, 'timeZone must be an IANA time zone such as UTC or Europe/Paris')
      .default('UTC')
      .describe(
        "The time zone RT reads TicketSQL dates in for this user: the user's Timezone preference, else RT's $Timezone. check() verifies it. Example: UTC",
      ),
  })
  .superRefine((config, ctx) => {
    if (config.token !== undefined) return;
    if (config.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give a token, or a username and password' });
    } else if (config.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'a username needs a password' });
    }
  });

export type RtConfig = z.infer<typeof rtConfigSchema>;

/** The REST2 root for a config's base URL (tolerates a trailing slash or an included /REST/2.0). */
export function restRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/REST\/2\.0$/i, '')}/REST/2.0`;
}

/** The headers that authenticate a config: a token wins over basic auth. */
export function authHeaders(config: RtConfig): Record<string, string> {
  if (config.token !== undefined) return { authorization: `token ${config.token}` };
  const basic = Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64');
  return { authorization: `Basic ${basic}` };
}
