import type { Context } from '../context.ts';
import type { EngagementRow } from '../db/schema/index.ts';
import { pickEngagement } from '../domain/engagements.ts';

/** The engagement an argument names (a slug), among those the viewer may see; the only one when omitted. */
export function engagementArg(
  ctx: Context,
  slug: string | null | undefined,
  field = 'engagement',
): Promise<EngagementRow> {
  return pickEngagement(ctx.db, ctx.viewer.engagementIds, { slug: slug ?? null }, field);
}
