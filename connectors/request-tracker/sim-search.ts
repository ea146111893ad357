/**
 * Running a parsed TicketSQL query against the simulator's tickets, with RT's date rules:
 * a literal is wall-clock time in the querying user's time zone, `=` on a date means that
 * whole day, and deleted tickets never match (observed on 5.0.3, even with Status = 'deleted').
 */
import type { SimTicket } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';
import { parseTicketSql, type SqlCondition, type SqlNode, TicketSqlError } from './sim-ticket-sql.ts';

const ACTIVE = ['new', 'open', 'stalled'];
const INACTIVE = ['resolved', 'rejected', 'deleted'];

function offsetMs(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  for (const part of format.formatToParts(new Date(at))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `timeZone` names: the earlier one in a DST fold, and the
 * pre-transition offset in a gap (RT's own choice there is UNCONFIRMED).
 */
export function wallTimeToInstant(fields: number[], timeZone: string): Date {
  const [year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0] = fields;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const day_ = 86_400_000;
  const offsets = [
    offsetMs(wall - day_, timeZone),
    offsetMs(wall, timeZone),
    offsetMs(wall + day_, timeZone),
  ];
  const exact = offsets.map((o) => wall - o).filter((t) => t + offsetMs(t, timeZone) === wall);
  return new Date(exact.length > 0 ? Math.min(...exact) : wall - offsets[0]!);
}

/** `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]`; anything else is refused rather than misread like RT does. */
export function parseDateLiteral(
  value: string,
  timeZone: string,
): { start: Date; endOfDay: Date; dateOnly: boolean } {
  const match = /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d)(?::(\d\d))?)?$/.exec(value.trim());
  if (!match) {
    throw new TicketSqlError(
      `The simulator cannot read the date '${value}': write 'YYYY-MM-DD HH:MM:SS' in the user's time zone (RT 5.0.3 misreads forms such as '2024-01-01T10:00:00Z')`,
    );
  }
  const fields = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const [y, m, d] = fields as [number, number, number];
  return {
    start: wallTimeToInstant(fields, timeZone),
    endOfDay: wallTimeToInstant([y, m, d + 1], timeZone),
    dateOnly: match[4] === undefined,
  };
}

function compare(a: number | string, b: number | string, op: SqlCondition['op']): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      throw new TicketSqlError(`Operator ${op} is not supported on this field`);
  }
}

function matchText(actual: string[], cond: SqlCondition): boolean {
  const wanted = (cond.value ?? '').toLowerCase();
  const values = actual.map((v) => v.toLowerCase());
  switch (cond.op) {
    case 'IS':
      return values.length === 0;
    case 'IS NOT':
      return values.length > 0;
    case 'LIKE':
      return values.some((v) => v.includes(wanted));
    case 'NOT LIKE':
      return !values.some((v) => v.includes(wanted));
    case '!=':
      return !values.includes(wanted);
    default:
      return values.some((v) => compare(v, wanted, cond.op));
  }
}

function matchDate(actual: Date, cond: SqlCondition, timeZone: string): boolean {
  const { start, endOfDay } = parseDateLiteral(cond.value ?? '', timeZone);
  const t = actual.getTime();
  if (cond.op === '=') return t >= start.getTime() && t < endOfDay.getTime();
  return compare(t, start.getTime(), cond.op);
}

function matchCondition(ticket: SimTicket, cond: SqlCondition, store: SimStore, timeZone: string): boolean {
  const field = cond.field.toLowerCase();
  if (field.startsWith('cf.')) {
    // An unknown custom field matches nothing (RT answers 200 with no tickets).
    const cf = store.findCustomField(cond.field.slice(3));
    return cf ? matchText(ticket.customFields.get(cf.id) ?? [], cond) : false;
  }
  switch (field) {
    case 'id':
    case 'effectiveid':
      return compare(ticket.id, Number(cond.value), cond.op);
    case 'priority':
      return compare(ticket.priority, Number(cond.value), cond.op);
    case 'queue': {
      const queue = store.queues.find((q) => q.id === ticket.queueId);
      return String(ticket.queueId) === cond.value ? cond.op === '=' : matchText([queue?.name ?? ''], cond);
    }
    case 'subject':
      return matchText([ticket.subject], cond);
    case 'owner':
      return matchText([store.userById(ticket.ownerId)?.name ?? 'Nobody'], cond);
    case 'status': {
      const group = cond.value === '__Active__' ? ACTIVE : cond.value === '__Inactive__' ? INACTIVE : null;
      if (!group) return matchText([ticket.status], cond);
      return cond.op === '!=' ? !group.includes(ticket.status) : group.includes(ticket.status);
    }
    case 'lastupdated':
      return matchDate(ticket.lastUpdated, cond, timeZone);
    case 'created':
      return matchDate(ticket.created, cond, timeZone);
    default:
      throw new TicketSqlError(`Unknown field: ${cond.field}`);
  }
}

function evaluate(node: SqlNode, ticket: SimTicket, store: SimStore, timeZone: string): boolean {
  if (node.kind === 'condition') return matchCondition(ticket, node, store, timeZone);
  const left = evaluate(node.left, ticket, store, timeZone);
  if (node.kind === 'and') return left && evaluate(node.right, ticket, store, timeZone);
  return left || evaluate(node.right, ticket, store, timeZone);
}

const SORT_KEYS: Record<string, (t: SimTicket) => number | string> = {
  id: (t) => t.id,
  lastupdated: (t) => t.lastUpdated.getTime(),
  created: (t) => t.created.getTime(),
  priority: (t) => t.priority,
  subject: (t) => t.subject.toLowerCase(),
};

/** Matching tickets, sorted by the `orderby`/`order` pairs (then id), deleted ones left out. */
export function searchTickets(
  store: SimStore,
  query: string,
  timeZone: string,
  order: Array<{ field: string; desc: boolean }>,
): SimTicket[] {
  // RT answers an empty result, not an error, when there is no query at all.
  if (query.trim() === '') return [];
  const tree = parseTicketSql(query);
  const found = [...store.tickets.values()].filter(
    (ticket) => ticket.status !== 'deleted' && evaluate(tree, ticket, store, timeZone),
  );
  const keys = [...order, { field: 'id', desc: false }].filter((o) => SORT_KEYS[o.field.toLowerCase()]);
  return found.sort((a, b) => {
    for (const { field, desc } of keys) {
      const key = SORT_KEYS[field.toLowerCase()]!;
      const diff = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
      if (diff !== 0) return desc ? -diff : diff;
    }
    return 0;
  });
}
