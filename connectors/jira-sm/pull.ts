/**
 * Incremental pulls over `/rest/api/3/search/jql`.
 *
 * - The filter is `updated >= <epoch ms>` (never a quoted date: Jira reads those in the user's
 *   zone at minute precision), starting `overlapSeconds` before the cursor, since the search
 *   index may show a change later than its `updated` time (eventual consistency).
 * - Pages: Jira documents `nextPageToken` but not whether it is a stable position or an offset
 *   into a re-run query. So the token is only followed while a page ends inside one timestamp;
 *   as soon as a page ends later, the query restarts at that page's last `updated`
 *   (inclusive). An issue changed mid-pull therefore moves behind the restart point and cannot
 *   push others out of the pull, whatever the token means.
 * - Restarts and the overlap repeat issues; they are dropped by (id, updated) within a pull.
 * - The cursor is the epoch ms of the newest issue yielded: everything not yet yielded sorts at
 *   or after it, so resuming from it (inclusive) after any page loses nothing.
 */
import {
  type ConnectorContext,
  type ConnectorLogger,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { createJiraHttp, searchJql } from './client.ts';
import type { JiraSmConfig } from './config.ts';
import { changedSinceJql } from './jql.ts';
import { toTicketRecord } from './mapping.ts';

/** A stored cursor as epoch ms, or null for a full pull. A hand-set ISO time is accepted. */
export function decodeCursor(raw: string | null, log?: ConnectorLogger): number | null {
  if (raw === null || raw === '') return null;
  if (/^\d{1,16}$/.test(raw)) return Number(raw);
  const iso = /^\d{4}-\d\d-\d\dT/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isFinite(iso)) return iso;
  // Re-reading is safe (the engine's merge is idempotent); throwing would stall the connection.
  log?.warn({ cursorLength: raw.length }, 'unreadable Jira cursor; starting a full pull');
  return null;
}

export function encodeCursor(updatedMs: number): string {
  return String(updatedMs);
}

export async function* pullTickets(
  ctx: ConnectorContext<JiraSmConfig>,
  cursor: string | null,
): AsyncGenerator<Page<TicketRecord>> {
  // Scoped to no project: nothing to ask for.
  if (scopeIsEmpty(ctx)) return;
  const http = createJiraHttp(ctx);
  const { pageSize, overlapSeconds, siteUrl } = ctx.config;
  // Server-side scope: the connection's projects, else the configured one.
  const projectKey = ctx.scopeKeys ?? ctx.config.projectKey;
  const start = decodeCursor(cursor, ctx.log);
  let fromMs = start === null ? null : start - overlapSeconds * 1000;
  let newestMs = start;
  const seen = new Set<string>();
  let fetched = 0;
  let token: string | null = null;
  for (;;) {
    const page = await searchJql(http, changedSinceJql(projectKey, fromMs), {
      maxResults: pageSize,
      nextPageToken: token,
    });
    const all = page.issues.map((issue) => toTicketRecord(issue, ctx.maps, siteUrl));
    const fresh = all.filter((r) => {
      const key = `${r.externalId}@${r.updatedAt.getTime()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    for (const r of fresh) newestMs = Math.max(newestMs ?? 0, r.updatedAt.getTime());
    fetched += fresh.length;
    if (fresh.length > 0) yield { records: fresh, cursor: encodeCursor(newestMs!), progress: { fetched } };
    const lastMs = all.at(-1)?.updatedAt.getTime();
    if (!page.nextPageToken || lastMs === undefined) break;
    if (fromMs === null || lastMs > fromMs) {
      fromMs = lastMs;
      token = null;
    } else {
      token = page.nextPageToken;
    }
  }
  // A pull that found nothing new still confirms the stored cursor.
  if (fetched === 0 && newestMs !== null)
    yield { records: [], cursor: encodeCursor(newestMs), progress: { fetched } };
}
