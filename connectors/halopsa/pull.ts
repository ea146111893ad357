/**
 * `pullTickets`: tickets in `last_update, id` order, oldest first, with keyset pages.
 *
 * Halo pages by `page_no`, and page numbers over a last-updated sort lose tickets: one changed
 * mid-pull jumps to the end and every later ticket slides one place forward, so one slides onto a
 * page already served. So every page is a fresh page 1 of "changed at or after the last time seen"
 * (`datesearch=last_update&startdate=`), with the tickets already seen at exactly that time left
 * out through `excludethese` (the tie-breaker when many share a timestamp). Which parameter Halo
 * honours for "changed since" is UNCONFIRMED; see README.md.
 *
 * An incremental pull starts `overlapSeconds` before the cursor, inclusively; records repeat
 * across pulls and the engine's merge is idempotent.
 */
import {
  type ConnectorContext,
  ConnectorError,
  type ConnectorLogger,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { HaloTicket } from './api-types.ts';
import { type HaloParams, listTickets } from './client.ts';
import type { HaloConfig } from './config.ts';
import { loadAgents } from './lookups.ts';
import { assignedAgentId, parseHaloDate, toHaloDate, toTicketRecord } from './mapping.ts';

type Ctx = ConnectorContext<HaloConfig>;

export const PULL_ORDER = { order: 'last_update', orderdesc: false, order2: 'id', orderdesc2: false };
/** Ids per `excludethese`; past this a tie group is paged by `page_no` (IIS caps query strings). */
export const MAX_EXCLUDED = 200;
const EPOCH_CURSOR = '1970-01-01T00:00:00.000Z';

/** The cursor is the UTC ISO time of the newest ticket applied. Junk restarts a full pull. */
export function decodeCursor(raw: string | null, log?: ConnectorLogger): Date | null {
  if (raw === null || raw === '') return null;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(raw) && !Number.isNaN(Date.parse(raw)))
    return new Date(raw);
  log?.warn({ cursorLength: raw.length }, 'unreadable HaloPSA cursor; starting a full pull');
  return null;
}

interface Keyset {
  /** Tickets changed at or after this time are still to read; null on a full pull's first page. */
  since: Date | null;
  /** Ids already read whose `last_update` is exactly `since`. */
  excluded: number[];
  /** `page_no` within a tie group larger than MAX_EXCLUDED; 1 otherwise. */
  pageNo: number;
}

/**
 * The server-side client filter. Halo's `client_id` takes one id, so a connection scoped to one
 * client is filtered by Halo; one scoped to several reads every client (each record carries its
 * client, and the engine drops the others). Unscoped: the configured `customerId`, if any.
 */
export function pullClientId(scopeKeys: readonly string[] | null, config: HaloConfig): number | undefined {
  if (scopeKeys === null) return config.customerId;
  return scopeKeys.length === 1 ? toClientId(scopeKeys[0] ?? '') : undefined;
}

/** A scope key as a Halo client id; anything else is a configuration mistake, named as such. */
export function toClientId(key: string): number {
  if (!/^\d{1,9}$/.test(key)) {
    throw new ConnectorError(
      'bad_request',
      `"${key.slice(0, 40)}" is not a HaloPSA client id: scope a HaloPSA connection by client ids, e.g. "12"`,
    );
  }
  return Number(key);
}

export function toListParams(
  config: HaloConfig,
  keyset: Keyset,
  scopeKeys: readonly string[] | null = null,
): HaloParams {
  const params: HaloParams = { ...PULL_ORDER, page_size: config.pageSize, page_no: keyset.pageNo };
  const clientId = pullClientId(scopeKeys, config);
  if (clientId !== undefined) params['client_id'] = clientId;
  if (keyset.since) {
    params['datesearch'] = 'last_update';
    params['startdate'] = toHaloDate(keyset.since);
  }
  if (keyset.excluded.length > 0) params['excludethese'] = keyset.excluded.join(',');
  return params;
}

/** Drops what the keyset already covers, in case the server filters at a coarser precision. */
function isAhead(ticket: HaloTicket, keyset: Keyset): boolean {
  if (!keyset.since) return true;
  const at = parseHaloDate(ticket.last_update).getTime();
  const since = keyset.since.getTime();
  return at > since || (at === since && !keyset.excluded.includes(ticket.id));
}

/** The keyset after a page of tickets that are all ahead of `keyset`, in pull order. */
export function advanceKeyset(keyset: Keyset, tickets: HaloTicket[]): Keyset {
  const last = tickets.at(-1);
  if (!last) return keyset;
  const lastAt = parseHaloDate(last.last_update);
  const atLast = tickets
    .filter((t) => parseHaloDate(t.last_update).getTime() === lastAt.getTime())
    .map((t) => t.id);
  if (!keyset.since || lastAt.getTime() > keyset.since.getTime())
    return { since: lastAt, excluded: atLast, pageNo: 1 };
  if (keyset.pageNo === 1 && keyset.excluded.length + atLast.length <= MAX_EXCLUDED) {
    return { since: keyset.since, excluded: [...keyset.excluded, ...atLast], pageNo: 1 };
  }
  return { ...keyset, pageNo: keyset.pageNo + 1 };
}

export async function* pullTickets(ctx: Ctx, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  const { config } = ctx;
  // Scoped to no client: nothing to ask for.
  if (scopeIsEmpty(ctx)) return;
  const start = decodeCursor(rawCursor, ctx.log);
  let keyset: Keyset = {
    since: start ? new Date(start.getTime() - config.overlapSeconds * 1000) : null,
    excluded: [],
    pageNo: 1,
  };
  // The checkpoint never moves back, even while the overlap re-reads older tickets.
  let position = start;
  // A ticket changed mid-pull is met twice; yield each (id, last_update) once.
  const seen = new Set<string>();
  let fetched = 0;
  let total: number | undefined;
  for (;;) {
    const list = await listTickets(ctx, toListParams(config, keyset, ctx.scopeKeys));
    // Later pages count only what is left of the keyset; the first page counts the whole pull.
    total ??= list.record_count;
    const ahead = list.tickets.filter((t) => isAhead(t, keyset));
    const full = list.tickets.length >= config.pageSize;
    if (full && ahead.length === 0) {
      // A server ignoring the changed-since filter would otherwise loop here forever.
      throw new ConnectorError('invalid_response', 'HaloPSA returned a page that does not advance the pull', {
        method: 'GET',
        path: '/Tickets',
      });
    }
    const fresh = ahead.filter((t) => !seen.has(`${t.id}|${t.last_update}`));
    for (const t of fresh) seen.add(`${t.id}|${t.last_update}`);
    const agentIds = fresh.map(assignedAgentId).filter((id): id is number => id !== null);
    const agents = fresh.length > 0 ? await loadAgents(ctx, agentIds) : new Map();
    const records = fresh.map((t) => toTicketRecord(t, { maps: ctx.maps, baseUrl: config.baseUrl, agents }));
    fetched += records.length;
    keyset = advanceKeyset(keyset, ahead);
    if (keyset.since && (position === null || keyset.since > position)) position = keyset.since;
    const cursor = position ? position.toISOString() : EPOCH_CURSOR;
    yield { records, cursor, progress: { fetched, total } };
    if (!full) return;
  }
}
