/**
 * Lossy maps: several canonical values may share one vendor value (RT has one `open` for OPEN and
 * IN_PROGRESS). The engine compares values in the tool's terms, so a tool that reads back a
 * different canonical value for what the hub wrote is no change, as long as that value maps to
 * the same vendor value again. These checks write every many-to-one value and hold the connector
 * to that: otherwise the hub would see a change the tool never made and overwrite the other side.
 */
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPatch, type TicketRecord } from '../records.ts';
import { assertTicketRecord, type CheckTarget, call, draftFor, ensure } from './support.ts';

type Field = 'status' | 'priority';

/** Canonical values whose vendor value reads back as another canonical value. */
export function manyToOneValues(
  map: { toCanonical: Record<string, string>; fromCanonical: Record<string, string> },
  values: readonly string[],
): { canonical: string; vendor: string; readBack: string | undefined }[] {
  return values.flatMap((canonical) => {
    const vendor = map.fromCanonical[canonical];
    if (vendor === undefined) return [];
    const readBack = map.toCanonical[vendor] ?? map.toCanonical[vendor.toLowerCase()];
    return readBack === canonical ? [] : [{ canonical, vendor, readBack }];
  });
}

async function checkManyToOne<C>(t: CheckTarget<C>, field: Field): Promise<void> {
  const map = t.ctx.maps[field] as {
    toCanonical: Record<string, string>;
    fromCanonical: Record<string, string>;
  };
  const values = field === 'status' ? TICKET_STATUSES : TICKET_PRIORITIES;
  const lossy = manyToOneValues(map, values);
  if (lossy.length === 0) return;
  const draft = draftFor(t, `lossy ${field}`);
  const created = await call('createTicket', () => t.connector.createTicket(t.ctx, draft));
  for (const { canonical, vendor } of lossy) {
    const patch: TicketPatch =
      field === 'status' ? { status: canonical as never } : { priority: canonical as never };
    const fix = `${field}.toCanonical must map "${vendor}" (what ${field}.fromCanonical.${canonical} writes) to a value whose ${field}.fromCanonical is "${vendor}" again`;
    const check = (record: TicketRecord, how: string) => {
      assertTicketRecord(record, how);
      const read = record[field];
      ensure(
        map.fromCanonical[read] === vendor,
        `after writing ${field} ${canonical} (vendor "${vendor}"), ${how} read ${read}, which the map writes as "${map.fromCanonical[read]}": the hub would take the echo of its own write for a change. ${fix}`,
      );
    };
    check(
      await call(`updateTicket(${JSON.stringify(patch)})`, () =>
        t.connector.updateTicket(t.ctx, created.externalId, patch),
      ),
      'updateTicket',
    );
    const got = await call('getTicket', () => t.connector.getTicket(t.ctx, created.externalId));
    ensure(got, `getTicket("${created.externalId}") returned null after updateTicket`);
    check(got, 'getTicket');
  }
}

export function checkManyToOneStatuses<C>(t: CheckTarget<C>): Promise<void> {
  return checkManyToOne(t, 'status');
}

export function checkManyToOnePriorities<C>(t: CheckTarget<C>): Promise<void> {
  return checkManyToOne(t, 'priority');
}
