/**
 * A ConnectWise connection's settings. Validated once when the connection is made; the
 * private key arrives resolved from an env reference and is never logged.
 */
import { z } from 'zod';

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

export const ConnectWiseConfigSchema = z.object({
  baseUrl: httpUrl.describe(
    'REST base URL including codebase and /apis/3.0, e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
  ),
  companyId: z.string().min(1).describe('The company id you log in with, e.g. "contoso_msp"'),
  publicKey: z.string().min(1).describe('The API member\'s public key, e.g. "a1B2c3D4e5F6g7H8"'),
  privateKey: z.string().min(1).describe('secret: the API member\'s private key, e.g. "env:CW_PRIVATE_KEY"'),
  clientId: z
    .string()
    .min(1)
    .describe(
      'Client id from developer.connectwise.com/ClientID, e.g. "2b6f8e1a-1c1d-4a55-9d43-3f2f1c6f3b10"',
    ),
  board: z.string().min(1).describe('Service board the hub files and reads tickets on, e.g. "Help Desk"'),
  boards: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Further service boards the hub reads, and may file on when the area map names one, e.g. ["Network Operations"]',
    ),
  company: z
    .string()
    .min(1)
    .describe(
      'Identifier of the CW company a hub-created ticket belongs to when the hub names none (CW requires one); on a scoped connection it must be in the scope, e.g. "Contoso"',
    ),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(1000)
    .describe('Records per list request; CW allows at most 1000, e.g. 1000'),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(60)
    .describe('Incremental pulls re-read this many seconds before the cursor, e.g. 60'),
  callbackUrlHostAllowlist: z
    .array(z.string().min(1).toLowerCase())
    .default([])
    .describe(
      'Extra https hosts a callback\'s Metadata.key_url may point at besides baseUrl\'s own, e.g. ["api-eu.myconnectwise.net"]',
    ),
});

export type ConnectWiseConfig = z.infer<typeof ConnectWiseConfigSchema>;

/** Every board the connection reads: `board` first, then `boards`, without repeats (CW compares names case-insensitively). */
export function boardsRead(config: Pick<ConnectWiseConfig, 'board' | 'boards'>): string[] {
  const out: string[] = [];
  for (const name of [config.board, ...(config.boards ?? [])]) {
    if (!out.some((b) => b.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}
