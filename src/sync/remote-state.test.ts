import { describe, expect, it } from 'vitest';
import type { Mappings } from '../connector-kit/contract.ts';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { TicketRow } from '../db/schema/index.ts';
import { desiredState, differingFields, stateFromRecord, toPatch } from './remote-state.ts';

const maps = {
  status: { toCanonical: { open: 'OPEN' }, fromCanonical: { OPEN: 'open' } },
  priority: { toCanonical: { normal: 'MEDIUM' }, fromCanonical: { MEDIUM: 'normal' } },
} as unknown as Mappings;
const record: TicketRecord = {
  externalId: '7',
  title: 'Printer',
  description: 'Jams on floor 2',
  status: 'OPEN',
  priority: 'MEDIUM',
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const ticket = {
  title: 'Printer',
  description: 'Jams on floors 2 and 3',
  status: 'OPEN',
  priority: 'MEDIUM',
} as TicketRow;

describe('the description as a merged field', () => {
  it('is never in a patch for a tool that cannot update it', () => {
    const desired = desiredState(ticket, null, false);
    const fields = differingFields(desired, stateFromRecord(record, false), maps);
    expect(fields).toEqual([]);
    expect(toPatch(desired, fields)).not.toHaveProperty('description');
  });

  it('is patched for a tool that can', () => {
    const desired = desiredState(ticket, null, true);
    const fields = differingFields(desired, stateFromRecord(record, true), maps);
    expect(toPatch(desired, fields)).toEqual({ description: 'Jams on floors 2 and 3' });
  });

  it('is no change when the tool only re-spaces it (CRLF, trailing blank)', () => {
    const desired = desiredState({ ...ticket, description: 'Jams on floor 2' }, null, true);
    const echoed = stateFromRecord({ ...record, description: 'Jams on floor 2\r\n' }, true);
    expect(differingFields(desired, echoed, maps)).toEqual([]);
  });

  it('differs from a link stored before descriptions were mirrored, so the merge sets its baseline', () => {
    const { description: _, ...old } = stateFromRecord(record, true);
    expect(differingFields(stateFromRecord(record, true), old, maps)).toEqual(['description']);
  });
});
