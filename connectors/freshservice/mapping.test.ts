/** The pure Freshservice <-> canonical mappings, over recorded-shape fixtures. */
import { describe, expect, it } from 'vitest';
import { TICKET_PRIORITIES } from '../../src/connector-kit/index.ts';
import { FsAgentList, FsConversationList, FsTicketEnvelope } from './api-types.ts';
import agents from './fixtures/agents.json' with { type: 'json' };
import conversations from './fixtures/conversations.json' with { type: 'json' };
import ticketFixture from './fixtures/ticket.json' with { type: 'json' };
import {
  filterFieldOf,
  fromHtml,
  freshserviceDefaultMappings as maps,
  ROUND_TRIP_STATUSES,
  toCommentRecord,
  toFsCreateBody,
  toFsUpdateBody,
  toHtml,
  toTicketRecord,
} from './mapping.ts';

const directory = new Map(FsAgentList.parse(agents).agents.map((a) => [a.id, a]));
const opts = {
  maps,
  agents: directory,
  baseUrl: 'https://acme.freshservice.com',
  correlationField: 'cf_hub_ticket_id',
};

describe('toTicketRecord', () => {
  it('maps a ticket with its requester and agent', () => {
    const { ticket } = FsTicketEnvelope.parse(ticketFixture);
    expect(toTicketRecord(ticket, opts)).toEqual({
      externalId: '318',
      externalUrl: 'https://acme.freshservice.com/a/tickets/318',
      title: 'VPN client fails after Windows update',
      description: 'Since KB5039212 the GlobalProtect client cannot connect.\nError: gateway unreachable',
      status: 'WAITING',
      rawStatus: '3',
      priority: 'HIGH',
      assignee: { externalId: '27000101002', name: 'Maria Lopez', email: 'maria.lopez@acme.example' },
      requester: { externalId: '27000101004', name: 'Sam Ortiz', email: 'sam.ortiz@acme.example' },
      queue: '27000044512',
      category: null,
      scopeKey: null,
      correlationId: '8e7c1f52-3b0a-4d7e-a1f9-5c2d6e4b7a90',
      createdAt: new Date('2024-06-03T08:14:09Z'),
      updatedAt: new Date('2024-06-03T09:02:51Z'),
    });
  });

  it('reads a custom status as OPEN, keeps it raw, and an empty correlation as null', () => {
    const { ticket } = FsTicketEnvelope.parse(ticketFixture);
    const record = toTicketRecord({ ...ticket, status: 7, custom_fields: { cf_hub_ticket_id: null } }, opts);
    expect([record.status, record.rawStatus, record.correlationId]).toEqual(['OPEN', '7', null]);
  });
});

describe('default maps', () => {
  it('round-trip Open, Pending, Resolved, Closed and every priority', () => {
    for (const status of ROUND_TRIP_STATUSES) {
      expect(maps.status.toCanonical[maps.status.fromCanonical[status]]).toBe(status);
    }
    expect([maps.status.fromCanonical.NEW, maps.status.fromCanonical.IN_PROGRESS]).toEqual(['2', '2']);
    for (const priority of TICKET_PRIORITIES) {
      expect(maps.priority.toCanonical[maps.priority.fromCanonical[priority]]).toBe(priority);
    }
  });
});

describe('comments and HTML', () => {
  it('maps private notes as INTERNAL and recognises the hub marker', () => {
    const list = FsConversationList.parse(conversations).conversations.map((c) =>
      toCommentRecord(c, directory),
    );
    expect(list.map((c) => [c.visibility, c.fromHub, c.author?.email ?? null])).toEqual([
      ['INTERNAL', false, 'maria.lopez@acme.example'],
      ['PUBLIC', true, null],
    ]);
  });

  it('round-trips text through HTML', () => {
    const text = 'a < b & "c"\nsecond line\n\n[via co-managed hub]';
    expect(toHtml(text)).toBe(
      '<div>a &lt; b &amp; &quot;c&quot;<br>second line<br><br>[via co-managed hub]</div>',
    );
    expect(fromHtml(toHtml(text))).toBe(text);
    expect(fromHtml('<p>one</p><p>two &amp;nbsp;</p>')).toBe('one\ntwo &nbsp;');
  });
});

describe('write bodies', () => {
  const draft = {
    hubTicketId: 'hub-1',
    title: 'Printer jams',
    description: null,
    status: 'WAITING' as const,
    priority: 'CRITICAL' as const,
    assigneeExternalId: '27000101002',
    requesterEmail: null,
  };

  it('creates with numbers, the correlation field and the default requester', () => {
    const config = { correlationField: 'cf_hub_ticket_id', defaultRequesterEmail: 'msp@acme.example' };
    expect(toFsCreateBody(draft, maps, config)).toEqual({
      subject: 'Printer jams',
      description: '<div>Printer jams</div>',
      email: 'msp@acme.example',
      status: 3,
      priority: 4,
      custom_fields: { cf_hub_ticket_id: 'hub-1' },
      responder_id: 27000101002,
    });
  });

  it('updates only the fields present, null clearing the agent', () => {
    expect(toFsUpdateBody({}, maps)).toEqual({});
    expect(toFsUpdateBody({ assigneeExternalId: null, priority: 'LOW' }, maps)).toEqual({
      responder_id: null,
      priority: 1,
    });
  });

  it('names custom fields without cf_ in filter queries', () => {
    expect([filterFieldOf('cf_hub_ticket_id'), filterFieldOf('hub_id')]).toEqual(['hub_ticket_id', 'hub_id']);
  });
});
