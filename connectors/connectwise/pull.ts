/**
 * `pullTickets`: tickets on the configured board in `lastUpdated, id` order, oldest first.
 *
 * Each page after the first asks for "after the last key seen" (keyset) instead of `page=N`:
 * with page numbers, a ticket updated mid-pull jumps to the end of the order, every later
 * ticket shifts one place forward, and the one sliding onto an already-served page is never
 * seen. CW's forward-only paging (`pageId`) is id-ordered, so it cannot give oldest-first either.
 *
 * An incremental pull starts inclusively at `cursor.ts - overlapSeconds` and re-reads that window:
 * a ticket changed in the same second as the cursor, after the pull that set it, would
 * otherwise be lost. Records repeat across pulls; the engine's merge is idempotent.
 */
import {
  type ConnectorContext,
  ConnectorError,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { CwTicket } from './api-types.ts';
import { createCwHttp, listTickets } from './client.ts';
import { boardsRead, type ConnectWiseConfig } from './config.ts';
import { compareKeys, decodeCursor, encodeCursor } from './cursor.ts';
import { loadMembers } from './lookups.ts';
import { toTicketRecord } from './mapping.ts';
import {
  afterKeyCondition,
  boardCondition,
  changedSinceCondition,
  floorToSecond,
  PULL_ORDER,
  type PullFilter,
} from './query.ts';

type Ctx = ConnectorContext<ConnectWiseConfig>;

function firstConditions(config: ConnectWiseConfig, filter: PullFilter, cursorTs: string | undefined) {
  if (cursorTs === undefined) return boardCondition(filter);
  const since = floorToSecond(new Date(Date.parse(cursorTs) - config.overlapSeconds * 1000));
  return changedSinceCondition(filter, since);
}

export async function* pullTickets(ctx: Ctx, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  const { config, maps } = ctx;
  // Scoped to no company: nothing to ask for (CW rejects an empty `in ()`).
  if (scopeIsEmpty(ctx)) return;
  // Server-side scope: only the connection's companies' tickets leave CW.
  const filter: PullFilter = { boards: boardsRead(config), companies: ctx.scopeKeys };
  const http = createCwHttp(ctx);
  const members = await loadMembers(ctx, http);
  const toRecord = (t: CwTicket) =>
    toTicketRecord(t, { maps, members, baseUrl: config.baseUrl, companyId: config.companyId });
  const start = decodeCursor(rawCursor, ctx.log);
  // A ticket changed mid-pull is met twice; yield each (id, lastUpdated) once.
  const seen = new Set<string>();
  let position: { ts: string; id: number } | null = start ? { ts: start.ts, id: start.id } : null;
  let conditions = firstConditions(config, filter, start?.ts);
  let fetched = 0;
  let previousKey: { ts: string; id: number } | null = null;
  for (;;) {
    const tickets = await listTickets(http, {
      conditions,
      orderBy: PULL_ORDER,
      pageSize: config.pageSize,
      page: 1,
    });
    const records: TicketRecord[] = [];
    for (const ticket of tickets) {
      const key = `${ticket.id}|${ticket._info.lastUpdated}`;
      if (!seen.has(key)) records.push(toRecord(ticket));
      seen.add(key);
    }
    fetched += records.length;
    const last = tickets.at(-1);
    const lastKey = last ? { ts: last._info.lastUpdated, id: last.id } : null;
    if (lastKey && previousKey && compareKeys(lastKey, previousKey) <= 0) {
      // A server that ignored the keyset condition would otherwise loop here forever.
      throw new ConnectorError(
        'invalid_response',
        'ConnectWise returned a page that does not advance the pull',
        {
          method: 'GET',
          path: '/service/tickets',
        },
      );
    }
    previousKey = lastKey;
    // The overlap re-reads records behind the cursor; the checkpoint itself never moves back.
    if (lastKey && (position === null || compareKeys(lastKey, position) > 0)) position = lastKey;
    // An empty board has no position yet: the epoch is as inclusive as a full pull.
    const cursor = encodeCursor(position ?? { ts: '1970-01-01T00:00:00Z', id: 0 });
    yield { records, cursor, progress: { fetched } };
    if (!lastKey || tickets.length < config.pageSize) return;
    conditions = afterKeyCondition(filter, { ts: new Date(lastKey.ts), id: lastKey.id });
  }
}
