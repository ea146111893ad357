import { describe, expect, it } from 'vitest';
import { mergeMappings, TICKET_PRIORITIES, withOriginMarker } from '../../src/connector-kit/index.ts';
import type { AtTicket, AtTicketNote } from './api-types.ts';
import type { TicketPicklists } from './lookups.ts';
import {
  autotaskDefaultMappings,
  correlationOf,
  parseAtDate,
  ROUND_TRIP_STATUSES,
  toAtTitle,
  toCommentRecord,
  toNoteBody,
  toTicketRecord,
  toVisibility,
} from './mapping.ts';
import { ISSUE_TYPE_VALUES, PRIORITY_VALUES, QUEUE_VALUES, STATUS_VALUES } from './sim-seed.ts';

const picklist = (values: Array<{ value: number; label: string }>) => ({
  byValue: new Map(values.map((v) => [v.value, v.label])),
  byLabel: new Map(values.map((v) => [v.label.toLowerCase(), v.value])),
});
const picklists: TicketPicklists = {
  status: picklist(STATUS_VALUES),
  priority: picklist(PRIORITY_VALUES),
  queueID: picklist(QUEUE_VALUES),
  issueType: picklist(ISSUE_TYPE_VALUES),
};
const ticket = (overrides: Partial<AtTicket> = {}): AtTicket => ({
  id: 7001,
  title: 'VPN drops every hour',
  status: 8,
  priority: 1,
  queueID: 29683355,
  companyID: 174,
  assignedResourceID: 29682886,
  assignedResourceRoleID: 29683461,
  externalID: 'hub-123',
  createDate: '2024-06-01T08:00:00.123Z',
  lastActivityDate: '2024-06-01T09:30:00.5Z',
  ...overrides,
});
const ctx = (maps = autotaskDefaultMappings) => ({ maps, picklists, webUrl: 'https://ww5.autotask.net/' });

describe('toTicketRecord', () => {
  it('maps picklist values through their labels and keeps the raw label', () => {
    const record = toTicketRecord(ticket(), ctx());
    expect(record).toMatchObject({
      externalId: '7001',
      status: 'IN_PROGRESS',
      rawStatus: 'In Progress',
      priority: 'HIGH',
      queue: 'Level I Support',
      correlationId: 'hub-123',
    });
    expect(record.assignee).toEqual({ externalId: '29682886', name: null, email: null });
    expect(record.updatedAt.toISOString()).toBe('2024-06-01T09:30:00.500Z');
    expect(record.externalUrl).toBe(
      'https://ww5.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?workspace=False&mode=0&TicketID=7001',
    );
  });

  it('falls back on RESOLVED for Complete and OPEN for other unknown statuses, MEDIUM for unknown priorities', () => {
    const bare = mergeMappings(autotaskDefaultMappings, {});
    bare.status.toCanonical = {};
    expect(toTicketRecord(ticket({ status: 5 }), ctx(bare)).status).toBe('RESOLVED');
    expect(toTicketRecord(ticket({ status: 42, priority: 99 }), ctx()).status).toBe('OPEN');
    expect(toTicketRecord(ticket({ status: 42 }), ctx()).rawStatus).toBe('42');
    expect(toTicketRecord(ticket({ priority: 99 }), ctx()).priority).toBe('MEDIUM');
  });

  it("reads a connection's override by label or by numeric value", () => {
    const maps = mergeMappings(autotaskDefaultMappings, {
      status: { toCanonical: { 'In Progress': 'OPEN', '12': 'IN_PROGRESS' } },
    });
    expect(toTicketRecord(ticket(), ctx(maps)).status).toBe('OPEN');
    expect(toTicketRecord(ticket({ status: 12 }), ctx(maps)).status).toBe('IN_PROGRESS');
  });

  it('reads the correlation from a UDF when one is configured', () => {
    const t = ticket({
      userDefinedFields: [
        { name: 'Hub Ticket Id', value: 'hub-9' },
        { name: 'Site', value: null },
      ],
    });
    expect(correlationOf(t, 'hub ticket id')).toBe('hub-9');
    expect(correlationOf(t)).toBe('hub-123');
    expect(correlationOf(ticket({ userDefinedFields: {} }), 'Hub Ticket Id')).toBeNull();
  });
});

describe('default maps', () => {
  it('round-trip every status but CLOSED, which Autotask only knows as Complete (read as RESOLVED)', () => {
    const { status } = autotaskDefaultMappings;
    for (const s of ROUND_TRIP_STATUSES) expect(status.toCanonical[status.fromCanonical[s]]).toBe(s);
    expect(status.toCanonical[status.fromCanonical.CLOSED]).toBe('RESOLVED');
    for (const label of Object.values(status.fromCanonical))
      expect(STATUS_VALUES.some((v) => v.label === label)).toBe(true);
  });

  it('round-trip every priority', () => {
    const { priority } = autotaskDefaultMappings;
    for (const p of TICKET_PRIORITIES) expect(priority.toCanonical[priority.fromCanonical[p]]).toBe(p);
  });
});

describe('notes', () => {
  const note = (overrides: Partial<AtTicketNote> = {}): AtTicketNote => ({
    id: 90001,
    ticketID: 7001,
    description: 'Rebooted the firewall',
    noteType: 1,
    publish: 1,
    createDateTime: '2024-06-01T10:00:00Z',
    creatorResourceID: 29682886,
    ...overrides,
  });

  it('only publish 1 (All Autotask Users) is public; 2 and anything unknown stay internal', () => {
    expect(toVisibility(1)).toBe('PUBLIC');
    expect(toVisibility(2)).toBe('INTERNAL');
    expect(toVisibility(3)).toBe('INTERNAL');
    expect(toVisibility(0)).toBe('INTERNAL');
  });

  it('maps a note and recognises the origin marker', () => {
    expect(toCommentRecord(note())).toMatchObject({
      externalId: '90001',
      visibility: 'PUBLIC',
      fromHub: false,
    });
    expect(toCommentRecord(note({ publish: 2, description: withOriginMarker('hi') })).fromHub).toBe(true);
    expect(toCommentRecord(note({ creatorResourceID: null, createdByContactID: 5 })).author?.externalId).toBe(
      'contact:5',
    );
  });

  it('writes visibility as publish and keeps the body whole', () => {
    const body = withOriginMarker('Internal only');
    expect(toNoteBody({ body, visibility: 'INTERNAL', authorName: 'Ana' }, 7001, 3)).toEqual({
      ticketID: 7001,
      title: 'Update from Ana',
      description: body,
      noteType: 3,
      publish: 2,
    });
    expect(toNoteBody({ body, visibility: 'PUBLIC', authorName: null }, 7001, 1)['publish']).toBe(1);
  });
});

describe('small helpers', () => {
  it('cuts long titles to 255 at a code point, with an ellipsis', () => {
    const title = toAtTitle(`${'x'.repeat(253)}😀😀`);
    expect(title.length).toBeLessThanOrEqual(255);
    expect(title.endsWith('…')).toBe(true);
    expect(toAtTitle('  a   b ')).toBe('a b');
  });

  it('reads times without a zone as UTC', () => {
    expect(parseAtDate('2024-06-01T08:00:00').toISOString()).toBe('2024-06-01T08:00:00.000Z');
    expect(parseAtDate('2024-06-01T08:00:00.5+02:00').toISOString()).toBe('2024-06-01T06:00:00.500Z');
  });
});
