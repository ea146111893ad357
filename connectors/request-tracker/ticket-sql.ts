/**
 * The TicketSQL the connector sends. Pure string building, kept apart so it is easy to test and
 * so the simulator's parser is known to cover exactly these shapes.
 *
 * Dates: RT reads a TicketSQL date literal as wall-clock time in the *querying user's* time zone
 * (their Timezone preference, else RT's $Timezone), even when the literal carries "UTC" or
 * "+0000", and misreads ISO "T...Z" forms (observed on 5.0.3: see README). So every literal is
 * written as `YYYY-MM-DD HH:MM:SS` in the configured `timeZone`.
 */

export const CORRELATION_FIELD = 'HubTicketId';

/** A TicketSQL string literal: single quotes, with backslash escapes for `\` and `'`. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `at` as RT wants it in a TicketSQL literal: wall-clock `YYYY-MM-DD HH:MM:SS` in `timeZone`. */
export function toRtDateLiteral(at: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * `Queue = 'A'`, or `(Queue = 'A' OR Queue = 'B')` for a connection serving several queues (its
 * scope). RT has no `IN` for queues in TicketSQL, so the list is spelled out.
 */
export function queueClause(queues: string | readonly string[]): string {
  const list = typeof queues === 'string' ? [queues] : queues;
  const each = list.map((q) => `Queue = ${quote(q)}`);
  return each.length === 1 ? (each[0] ?? '') : `(${each.join(' OR ')})`;
}

/** Tickets of the queue(s), changed at or after `from` when given (a full backfill otherwise). */
export function changedSinceQuery(
  queue: string | readonly string[],
  from: Date | null,
  timeZone: string,
): string {
  const inQueue = queueClause(queue);
  if (from === null) return inQueue;
  return `${inQueue} AND LastUpdated >= ${quote(toRtDateLiteral(from, timeZone))}`;
}

/**
 * The keyset page after the ticket (`at`, `id`): strictly later, or the same second with a
 * higher id. Sorted by LastUpdated then id, this never skips a ticket when many share a second
 * or when a ticket moves to the end mid-pull. (`LastUpdated = '...'` means "that whole day" in
 * TicketSQL, hence the `>= x AND <= x` pair for "this exact second".)
 */
export function afterKeyQuery(
  queue: string | readonly string[],
  at: Date,
  id: string,
  timeZone: string,
): string {
  const second = quote(toRtDateLiteral(at, timeZone));
  return `${queueClause(queue)} AND (LastUpdated > ${second} OR (LastUpdated >= ${second} AND LastUpdated <= ${second} AND id > ${Number(id)}))`;
}

/** Tickets carrying the hub's id, in any queue (a ticket moved elsewhere still counts). */
export function correlationQuery(hubTicketId: string): string {
  return `CF.{${CORRELATION_FIELD}} = ${quote(hubTicketId)}`;
}

export function byIdQuery(id: string): string {
  return `id = ${Number(id)}`;
}
