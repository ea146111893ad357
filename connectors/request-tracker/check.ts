/**
 * `check()`: the queue is visible, HubTicketId is applied to it, and RT reads TicketSQL dates
 * in the configured time zone. Never throws: every failure becomes a reason a person can act on.
 */
import { type CheckResult, type ConnectorContext, isConnectorError } from '../../src/connector-kit/index.ts';
import * as rt from './client.ts';
import type { RtConfig } from './config.ts';
import { parseRtDate } from './mapping.ts';
import { CORRELATION_FIELD, quote, toRtDateLiteral } from './ticket-sql.ts';

function reasonFor(err: unknown, config: RtConfig): string {
  if (!isConnectorError(err)) return 'the Request Tracker check failed unexpectedly';
  switch (err.kind) {
    case 'auth':
      // Worded without "password": RT's default one is literally that, and reasons must not echo secrets.
      return `RT rejected the credentials or their rights (HTTP ${err.status ?? '?'}): check the token or the basic-auth login, and that the user may see queue "${config.queue}" (SeeQueue)`;
    case 'not_found':
      return `RT has no queue "${config.queue}" (HTTP 404), or baseUrl does not point at RT (REST2 lives at <baseUrl>/REST/2.0)`;
    case 'unavailable':
      return `RT did not answer at ${config.baseUrl}: ${err.message}`;
    case 'invalid_response':
      return `the answer from ${config.baseUrl} does not look like RT REST2: is baseUrl right?`;
    default:
      return `RT refused the check (${err.kind}${err.status ? `, HTTP ${err.status}` : ''})`;
  }
}

/**
 * Reads one ticket's LastUpdated (UTC) and asks RT for that exact second written in the
 * configured zone. A wrong zone shifts the literal by hours and the ticket is not found.
 */
async function timeZoneMismatch(ctx: ConnectorContext<RtConfig>): Promise<string | null> {
  const http = rt.createRtHttp(ctx);
  const { queue, timeZone } = ctx.config;
  const sample = (await rt.searchTickets(http, `Queue = ${quote(queue)}`, { perPage: 1 })).items[0];
  const at = parseRtDate(sample?.LastUpdated);
  if (!sample || !at) return null;
  const second = quote(toRtDateLiteral(at, timeZone));
  const probe = `id = ${Number(sample.id)} AND LastUpdated >= ${second} AND LastUpdated <= ${second}`;
  const found = await rt.searchTickets(http, probe, { perPage: 1 });
  if (found.count === 1) return null;
  return `RT does not read TicketSQL dates in ${timeZone} for this user: set timeZone to the RT user's Timezone preference (or RT's $Timezone when it has none), or incremental pulls would miss changes`;
}

export async function checkConnection(ctx: ConnectorContext<RtConfig>): Promise<CheckResult> {
  try {
    const http = rt.createRtHttp(ctx);
    const queue = await rt.getQueue(http, ctx.config.queue);
    if (!queue.TicketCustomFields.some((cf) => cf.name === CORRELATION_FIELD)) {
      return {
        ok: false,
        reason: `the ticket custom field ${CORRELATION_FIELD} is not applied to queue "${queue.Name}" (or the user lacks SeeCustomField): without it creates are not idempotent (see the connector README)`,
      };
    }
    const mismatch = await timeZoneMismatch(ctx);
    if (mismatch) return { ok: false, reason: mismatch };
    const info = await rt.getSystemInfo(http);
    return { ok: true, detail: `RT ${info.Version}, queue "${queue.Name}"` };
  } catch (err) {
    return { ok: false, reason: reasonFor(err, ctx.config) };
  }
}
