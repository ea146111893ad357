import { z } from 'zod';

/** __NAME__ connection settings. Mark secrets with `.describe('secret: …')`. */
export const __PASCAL__ConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).describe('The API base URL, e.g. https://acme.__ID__.example/api'),
  apiKey: z.string().min(1).describe('secret: the API key of the integration user, e.g. "env:__ID__ key"'),
  pageSize: z.number().int().min(1).max(100).default(50).describe('Records per list request, e.g. 50'),
});

export type __PASCAL__Config = z.infer<typeof __PASCAL__ConfigSchema>;
