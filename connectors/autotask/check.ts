/**
 * `check`: the zone lookup proves the username, the ticket field metadata proves the secret and
 * integration code, and the picklists prove the configured queue and every mapped label exist.
 */
import { type CheckResult, type ConnectorContext, isConnectorError } from '../../src/connector-kit/index.ts';
import type { AutotaskConfig } from './config.ts';
import { ticketPicklists } from './lookups.ts';
import { apiFor } from './session.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

function reasonFor(err: unknown): string {
  if (!isConnectorError(err)) return 'unexpected error while checking Autotask';
  if (err.kind === 'auth' && err.status === 500) {
    return 'Autotask does not know this API username (zoneInformation answered 500): check username';
  }
  if (err.kind === 'auth' && err.status === 403) {
    return "Autotask refused access: give the API user's security level access to tickets";
  }
  const reasons: Partial<Record<typeof err.kind, string>> = {
    auth: 'Autotask rejected the credentials: check secret and integrationCode (the API tracking identifier)',
    not_found: 'Autotask answered 404: check zoneLookupUrl',
    unavailable: `Autotask is unreachable or failing: ${err.message}`,
    rate_limited: 'Autotask is over its request threshold for this database; try again later',
  };
  return reasons[err.kind] ?? err.message;
}

export async function checkConnection(ctx: Ctx): Promise<CheckResult> {
  try {
    const api = await apiFor(ctx, true);
    const picklists = await ticketPicklists(ctx, api, true);
    if (!picklists.queueID.byValue.has(ctx.config.queueId)) {
      return {
        ok: false,
        reason: `Autotask has no ticket queue with id ${ctx.config.queueId}: check queueId`,
      };
    }
    for (const [field, map] of [
      ['status', ctx.maps.status.fromCanonical],
      ['priority', ctx.maps.priority.fromCanonical],
    ] as const) {
      const missing = Object.values(map).filter(
        (label) => !picklists[field].byLabel.has(label.toLowerCase()),
      );
      if (missing.length > 0) {
        return {
          ok: false,
          reason: `Autotask has no ticket ${field} labelled ${missing.map((l) => `"${l}"`).join(', ')}: override the ${field} map for this connection`,
        };
      }
    }
    return {
      ok: true,
      detail: `Autotask zone ${new URL(api.zone.apiBase).host}, ${picklists.status.byValue.size} statuses`,
    };
  } catch (err) {
    return { ok: false, reason: reasonFor(err) };
  }
}
