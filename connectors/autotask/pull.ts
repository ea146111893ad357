/**
 * `pullTickets`: the configured company's tickets by `lastActivityDate` (which Autotask moves on
 * every change, note and time entry; djat syncs on it too), oldest first, in pages of `pageSize`.
 * See `windows.ts` for why pulls read sorted time windows rather than Autotask's id-ordered pages.
 *
 * An incremental pull starts inclusively at `cursor - overlapSeconds`: a ticket changed in the same
 * instant as the cursor, after the pull that set it, would otherwise be lost. Records repeat
 * across pulls; the engine's merge is idempotent.
 */
import {
  type ConnectorContext,
  isConnectorError,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { AtTicket } from './api-types.ts';
import { countQuery, queryPage } from './client.ts';
import type { AutotaskConfig } from './config.ts';
import { decodeCursor, EPOCH_CURSOR, encodeCursor } from './cursor.ts';
import type { AtFilter } from './filter.ts';
import { ticketPicklists } from './lookups.ts';
import { parseAtDate, toTicketRecord } from './mapping.ts';
import { loadResourcesSoftly } from './people.ts';
import { companyCondition } from './scope.ts';
import { type AtApi, apiFor, forgetZone } from './session.ts';
import { readWindows, type WindowSource } from './windows.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

export function ticketSource(api: AtApi): WindowSource<AtTicket> {
  const { pageSize } = api.config;
  return {
    page: (filter: AtFilter[], next?: string) =>
      queryPage(api, 'Tickets', { MaxRecords: pageSize, filter }, AtTicket, next).then((p) => ({
        items: p.items,
        next: p.nextPageUrl,
      })),
    count: (filter: AtFilter[]) => countQuery(api, 'Tickets', filter),
  };
}

export async function* pullTickets(ctx: Ctx, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  try {
    yield* pull(ctx, await apiFor(ctx), rawCursor);
  } catch (err) {
    // A 401 may mean the database moved zone: look it up afresh on the next run.
    if (isConnectorError(err) && err.status === 401) forgetZone(ctx);
    throw err;
  }
}

async function* pull(ctx: Ctx, api: AtApi, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  const { config, maps } = ctx;
  // Scoped to no company: nothing to ask for.
  if (scopeIsEmpty(ctx)) return;
  const picklists = await ticketPicklists(ctx, api);
  const resources = await loadResourcesSoftly(ctx, api);
  const mapping = {
    maps,
    picklists,
    resources,
    webUrl: api.zone.webUrl,
    correlationUdf: config.correlationUdf,
  };
  const start = decodeCursor(rawCursor, ctx.log);
  const from = start ? Date.parse(start.ts) - config.overlapSeconds * 1000 : null;
  // The overlap re-reads records behind the cursor; the checkpoint itself never moves back.
  let position = start ? Date.parse(start.ts) : null;
  const seen = new Set<string>();
  let fetched = 0;
  let yielded = false;
  // Windows rarely hold a multiple of pageSize: records are carried over to the next window so
  // the engine gets full pages (each page costs it a notes read), still oldest first.
  let pending: AtTicket[] = [];
  const emit = (chunk: AtTicket[]): Page<TicketRecord> => {
    const last = parseAtDate(chunk.at(-1)!.lastActivityDate).getTime();
    if (position === null || last > position) position = last;
    fetched += chunk.length;
    yielded = true;
    return {
      records: chunk.map((t) => toTicketRecord(t, mapping)),
      cursor: encodeCursor(new Date(position).toISOString()),
      progress: { fetched },
    };
  };
  // Server-side scope: the hub's companies when the connection is scoped, else the configured one.
  const scope = [companyCondition(ctx)];
  for await (const batch of readWindows(ticketSource(api), scope, from, {
    maxRecords: config.windowMaxRecords,
    now: ctx.now,
  })) {
    // A ticket changed mid-pull can be met twice; yield each (id, lastActivityDate) once.
    for (const t of batch) {
      const key = `${t.id}|${parseAtDate(t.lastActivityDate).getTime()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pending.push(t);
    }
    while (pending.length >= config.pageSize) {
      const chunk = pending.slice(0, config.pageSize);
      pending = pending.slice(config.pageSize);
      yield emit(chunk);
    }
  }
  if (pending.length > 0) yield emit(pending);
  if (!yielded) {
    yield {
      records: [],
      cursor: encodeCursor(position === null ? EPOCH_CURSOR : new Date(position).toISOString()),
    };
  }
}
