/**
 * `pullTickets`: incidents in the connection's scope in `sys_updated_on, sys_id` order, oldest first.
 *
 * The Table API pages by `sysparm_offset`, and its `Link: rel="next"` only moves the offset. Over a
 * last-updated sort that loses records: an incident updated mid-pull jumps to the end, every later
 * one shifts a place forward, and the one sliding onto an already-served page is never seen. So
 * every page asks for offset 0 "after the last key seen" (keyset, through `sysparm_query`).
 *
 * An incremental pull starts inclusively at `cursor.ts - overlapSeconds`: an incident changed in
 * the cursor's own second after the pull that set it would otherwise be lost. Records repeat across
 * pulls (the engine's merge is idempotent); inside one pull each (sys_id, sys_updated_on) is yielded once.
 */
import {
  type ConnectorContext,
  ConnectorError,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { INCIDENT_PATH, listIncidents, withSn } from './client.ts';
import type { ServiceNowConfig } from './config.ts';
import { compareKeys, decodeCursor, encodeCursor, type SnKey } from './cursor.ts';
import { toTicketRecord } from './mapping.ts';
import {
  afterKey,
  andQuery,
  changedSince,
  inList,
  PULL_ORDER,
  parseGlideDateTime,
  toGlideDateTime,
} from './query.ts';
import { parseSysId } from './tickets.ts';
import { loadUsersFor } from './users.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

/** An empty scope has no position yet: the epoch is as inclusive as a full pull. */
const EPOCH: SnKey = { ts: '1970-01-01 00:00:00', id: '' };

/** The connection's companies (`companyINa,b`), ANDed after the config's own `scopeQuery`. */
export function companyTerm(scopeKeys: readonly string[] | null): string | undefined {
  if (scopeKeys === null) return undefined;
  return inList(
    'company',
    scopeKeys.map((key) => parseSysId(key, 'company')),
  );
}

export function firstQuery(
  config: ServiceNowConfig,
  cursorTs: string | undefined,
  scopeKeys: readonly string[] | null = null,
): string {
  const scope = companyTerm(scopeKeys);
  if (cursorTs === undefined) return andQuery(config.scopeQuery, scope, PULL_ORDER);
  const since = new Date(parseGlideDateTime(cursorTs).getTime() - config.overlapSeconds * 1000);
  return andQuery(config.scopeQuery, scope, changedSince(toGlideDateTime(since)), PULL_ORDER);
}

export function nextQuery(config: ServiceNowConfig, last: SnKey, scopeKeys: readonly string[] | null = null) {
  return andQuery(config.scopeQuery, companyTerm(scopeKeys), afterKey(last), PULL_ORDER);
}

export async function* pullTickets(ctx: Ctx, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  const { config, maps } = ctx;
  // Scoped to no company: nothing to ask for (`companyIN` with no value would match nothing anyway).
  if (scopeIsEmpty(ctx)) return;
  const start = decodeCursor(rawCursor, ctx.log);
  const seen = new Set<string>();
  let position: SnKey | null = start ? { ts: start.ts, id: start.id } : null;
  let query = firstQuery(config, start?.ts, ctx.scopeKeys);
  let fetched = 0;
  let previous: SnKey | null = null;
  for (;;) {
    const { page, users } = await withSn(ctx, async (http) => {
      const result = await listIncidents(http, { query, limit: config.pageSize });
      return { page: result, users: await loadUsersFor(http, result.records) };
    });
    const records: TicketRecord[] = [];
    for (const incident of page.records) {
      const key = `${incident.sys_id}|${incident.sys_updated_on}`;
      if (!seen.has(key))
        records.push(toTicketRecord(incident, { maps, instanceUrl: config.instanceUrl, users }));
      seen.add(key);
    }
    const lastIncident = page.records.at(-1);
    const last = lastIncident ? { ts: lastIncident.sys_updated_on, id: lastIncident.sys_id } : null;
    if (last && previous && compareKeys(last, previous) <= 0) {
      // An instance ignoring the keyset terms (an invalid query is dropped silently) would loop forever.
      throw new ConnectorError(
        'invalid_response',
        'ServiceNow returned a page that does not advance the pull',
        {
          method: 'GET',
          path: INCIDENT_PATH,
        },
      );
    }
    previous = last;
    // The overlap re-reads records behind the cursor; the checkpoint itself never moves back.
    if (last && (position === null || compareKeys(last, position) > 0)) position = last;
    fetched += records.length;
    const total =
      page.total === undefined ? undefined : fetched + Math.max(0, page.total - page.records.length);
    yield {
      records,
      cursor: encodeCursor(position ?? EPOCH),
      progress: { fetched, ...(total === undefined ? {} : { total }) },
    };
    if (!last || page.records.length < config.pageSize) return;
    query = nextQuery(config, last, ctx.scopeKeys);
  }
}
