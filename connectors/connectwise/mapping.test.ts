import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeMappings, TICKET_PRIORITIES, TICKET_STATUSES } from '../../src/connector-kit/index.ts';
import { CwError, CwMember, CwNote, CwTicket } from './api-types.ts';
import {
  connectWiseDefaultMappings as defaults,
  toCommentRecord,
  toCwNoteBody,
  toCwSummary,
  toCwTicketUrl,
  toTicketRecord,
} from './mapping.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const cwTicket = CwTicket.parse(fixture('ticket.json'));
const cwNotes = CwNote.array().parse(fixture('notes.json'));
const baseUrl = 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0';
const members = new Map([
  [
    151,
    CwMember.parse({
      id: 151,
      identifier: 'akumar',
      firstName: 'Asha',
      lastName: 'Kumar',
      officeEmail: 'akumar@contoso-msp.example',
    }),
  ],
]);
const ctx = { maps: defaults, baseUrl, companyId: 'contoso_msp', members };

describe('toTicketRecord', () => {
  it('maps a real CW ticket payload', () => {
    expect(toTicketRecord(cwTicket, ctx)).toEqual({
      externalId: '48213',
      externalUrl:
        'https://na.myconnectwise.net/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=48213&companyName=contoso_msp',
      title: 'Outlook keeps prompting for password on RDS host',
      status: 'IN_PROGRESS',
      rawStatus: 'In Progress',
      priority: 'HIGH',
      assignee: { externalId: '151', name: 'Asha Kumar', email: 'akumar@contoso-msp.example' },
      requester: { externalId: '3001', name: 'Dana Lee', email: 'dana.lee@contoso.example' },
      queue: 'Help Desk',
      category: 'Email',
      scopeKey: 'Contoso',
      correlationId: 'hub_7f3c2a9e-5b1d-4c8e-9a2f-1e6d3b4c5a60',
      createdAt: new Date('2024-05-14T13:05:51Z'),
      updatedAt: new Date('2024-05-14T15:42:07Z'),
    });
  });

  it('the customer is the company identifier, or its id when CW leaves the identifier out', () => {
    expect(toTicketRecord({ ...cwTicket, company: { id: 19300 } }, ctx).scopeKey).toBe('19300');
    expect(toTicketRecord({ ...cwTicket, company: null }, ctx).scopeKey).toBeNull();
    expect(toTicketRecord({ ...cwTicket, type: undefined }, ctx).category).toBeNull();
  });

  it('falls back on closedFlag for a status name the map does not know', () => {
    const renamed = { ...cwTicket, status: { id: 900, name: 'Closed - No Response' } };
    expect(toTicketRecord({ ...renamed, closedFlag: true }, ctx).status).toBe('CLOSED');
    expect(toTicketRecord({ ...renamed, closedFlag: false }, ctx).status).toBe('OPEN');
    expect(toTicketRecord(renamed, ctx).rawStatus).toBe('Closed - No Response');
  });

  it('uses the connection maps, so an override wins over the default', () => {
    const maps = mergeMappings(defaults, { status: { toCanonical: { 'In Progress': 'OPEN' } } });
    expect(toTicketRecord(cwTicket, { ...ctx, maps }).status).toBe('OPEN');
  });

  it('maps an unassigned ticket without contact to null people and no correlation', () => {
    const {
      owner: _o,
      contact: _c,
      contactEmailAddress: _e,
      contactName: _n,
      externalXRef: _x,
      ...bare
    } = cwTicket;
    const record = toTicketRecord(bare, ctx);
    expect([record.assignee, record.requester, record.correlationId]).toEqual([null, null, null]);
  });
});

describe('default maps', () => {
  it('round-trip every canonical status and priority', () => {
    for (const status of TICKET_STATUSES) {
      expect(defaults.status.toCanonical[defaults.status.fromCanonical[status]]).toBe(status);
    }
    for (const priority of TICKET_PRIORITIES) {
      expect(defaults.priority.toCanonical[defaults.priority.fromCanonical[priority]]).toBe(priority);
    }
  });
});

describe('toCommentRecord', () => {
  it('maps Discussion to PUBLIC, Internal to INTERNAL, and spots the hub marker', () => {
    const [fromContact, internal, fromHub] = cwNotes.map(toCommentRecord);
    expect(fromContact).toMatchObject({ externalId: '880412', visibility: 'PUBLIC', fromHub: false });
    expect(fromContact?.author).toEqual({ externalId: 'contact:3001', name: 'Dana Lee', email: null });
    expect(internal).toMatchObject({
      visibility: 'INTERNAL',
      author: { externalId: '151', name: 'Asha Kumar' },
    });
    expect(fromHub).toMatchObject({
      visibility: 'PUBLIC',
      fromHub: true,
      createdAt: new Date('2024-05-14T15:42:07Z'),
    });
  });

  it.each([
    [{ detailDescriptionFlag: true, internalAnalysisFlag: true }, 'INTERNAL'],
    [{ resolutionFlag: true }, 'PUBLIC'],
    [{ resolutionFlag: true, internalAnalysisFlag: true }, 'INTERNAL'],
    [{}, 'INTERNAL'],
  ])('flags %j -> %s (internal wins, no flag stays internal)', (flags, visibility) => {
    const note = CwNote.parse({ id: 1, text: 'x', dateCreated: '2024-05-14T15:42:07Z', ...flags });
    expect(toCommentRecord(note).visibility).toBe(visibility);
  });

  it('writes exactly one visibility flag', () => {
    expect(toCwNoteBody({ body: 'b', visibility: 'INTERNAL', authorName: null })).toEqual({
      text: 'b',
      detailDescriptionFlag: false,
      internalAnalysisFlag: true,
      resolutionFlag: false,
    });
    expect(toCwNoteBody({ body: 'b', visibility: 'PUBLIC', authorName: 'Ann' })).toMatchObject({
      detailDescriptionFlag: true,
      internalAnalysisFlag: false,
    });
  });
});

describe('toCwSummary', () => {
  it('keeps titles up to 100 units and collapses whitespace', () => {
    expect(toCwSummary('  VPN   down\n again ')).toEqual({ summary: 'VPN down again', truncated: false });
    expect(toCwSummary('x'.repeat(100))).toEqual({ summary: 'x'.repeat(100), truncated: false });
  });

  it('cuts long titles to 100 UTF-16 units with an ellipsis, never inside an emoji', () => {
    const { summary, truncated } = toCwSummary(`${'a'.repeat(98)}😀😀 tail`);
    expect(truncated).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(100);
    expect(summary).toBe(`${'a'.repeat(98)}…`);
    expect(toCwSummary('😀'.repeat(60)).summary).toBe(`${'😀'.repeat(49)}…`);
  });
});

describe('fixtures', () => {
  it('error bodies match the CW error envelope', () => {
    expect(CwError.parse(fixture('error-validation.json')).errors?.[0]).toMatchObject({ field: 'company' });
    expect(CwError.parse(fixture('error-unauthorized.json')).code).toBe('Unauthorized');
  });
});

describe('toCwTicketUrl', () => {
  it('keeps an on-prem host and codebase as they are', () => {
    expect(toCwTicketUrl('https://cw.example.com/v2024_1/apis/3.0', 'acme', 5)).toBe(
      'https://cw.example.com/v2024_1/services/system_io/Service/fv_sr100_request.rails?service_recid=5&companyName=acme',
    );
  });
});
