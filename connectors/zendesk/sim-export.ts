/**
 * The cursor-based incremental ticket export, as Zendesk documents it:
 * `GET /api/v2/incremental/tickets/cursor.json?start_time=<unix>` then `?cursor=<after_cursor>`,
 * answering `{tickets, after_url, after_cursor, before_url, before_cursor, end_of_stream}`.
 *
 * Tickets come in (change second, id) order. The cursor encodes a position in that order the way
 * Zendesk's do (base64 of `"<seconds>.0||<id>|"`). Changes of the last `exclusionSeconds` (60 at
 * Zendesk) are held back, and the cursor at the end of the stream points at that horizon, so a
 * change that lands later with an earlier timestamp is behind every later cursor.
 */
import { badRequest } from './sim-errors.ts';
import { renderTicket, sideloadUsers, ticketPeople } from './sim-render.ts';
import type { SimStore, SimTicket } from './sim-store.ts';

interface Position {
  ts: number;
  /** Past every id of that second when null. */
  id: number | null;
}

export function encodeExportCursor(pos: Position): string {
  return Buffer.from(`${pos.ts}.0||${pos.id ?? ''}|`).toString('base64');
}

export function decodeExportCursor(cursor: string): Position | null {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const m = /^(\d+)\.0\|\|(\d*)\|$/.exec(text);
  if (!m) return null;
  return { ts: Number(m[1]), id: m[2] === '' ? null : Number(m[2]) };
}

const secondsOf = (t: SimTicket) => Math.floor(t.updatedMs / 1000);

function after(t: SimTicket, pos: Position): boolean {
  const ts = secondsOf(t);
  if (ts !== pos.ts) return ts > pos.ts;
  return pos.id !== null && t.id > pos.id;
}

export interface ExportRequest {
  query: URLSearchParams;
  nowMs: number;
  exclusionSeconds: number;
  apiBase: string;
}

function startPosition(query: URLSearchParams): Position {
  const cursor = query.get('cursor');
  if (cursor !== null) {
    const pos = decodeExportCursor(cursor);
    if (!pos) throw badRequest('The cursor is invalid or expired', 'InvalidPaginationParameter');
    return pos;
  }
  const start = query.get('start_time');
  if (start === null || !/^\d+$/.test(start)) {
    throw badRequest('start_time or cursor is required: start_time is a Unix epoch time in seconds');
  }
  // Inclusive: `start_time` itself is in (everything after the end of the previous second).
  return { ts: Number(start) - 1, id: null };
}

export function exportTickets(store: SimStore, req: ExportRequest) {
  const perPage = Number(req.query.get('per_page') ?? 1000);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000) {
    throw badRequest('per_page must be between 1 and 1000');
  }
  const from = startPosition(req.query);
  const horizon = Math.floor(req.nowMs / 1000) - req.exclusionSeconds;
  const eligible = [...store.tickets.values()]
    .filter((t) => secondsOf(t) <= horizon && after(t, from))
    .sort((a, b) => a.updatedMs - b.updatedMs || a.id - b.id);
  const page = eligible.slice(0, perPage);
  const endOfStream = eligible.length <= perPage;
  const last = page.at(-1);
  const afterPos: Position = endOfStream
    ? { ts: Math.max(horizon, from.ts), id: null }
    : { ts: secondsOf(last!), id: last!.id };
  const first = page[0];
  const afterCursor = encodeExportCursor(afterPos);
  const beforeCursor = first ? encodeExportCursor({ ts: secondsOf(first), id: first.id - 1 }) : null;
  const url = (cursor: string) => {
    const params = new URLSearchParams({ cursor, per_page: String(perPage) });
    const include = req.query.get('include');
    if (include) params.set('include', include);
    return `${req.apiBase}/incremental/tickets/cursor.json?${params}`;
  };
  const body: Record<string, unknown> = {
    tickets: page.map((t) => renderTicket(t, req.apiBase, { generated: true })),
    after_url: url(afterCursor),
    after_cursor: afterCursor,
    before_url: beforeCursor ? url(beforeCursor) : null,
    before_cursor: beforeCursor,
    end_of_stream: endOfStream,
  };
  if (req.query.get('include')?.split(',').includes('users')) {
    body.users = sideloadUsers(store, page.flatMap(ticketPeople), req.apiBase);
  }
  return body;
}
