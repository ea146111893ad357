/** The pure Zendesk <-> canonical mappings, over recorded-shape fixtures. */
import { describe, expect, it } from 'vitest';
import { mergeMappings, TICKET_PRIORITIES, withOriginMarker } from '../../src/connector-kit/index.ts';
import { ZdCommentList, ZdIncrementalPage, ZdTicketEnvelope } from './api-types.ts';
import comments from './fixtures/comments.json' with { type: 'json' };
import exported from './fixtures/incremental-export.json' with { type: 'json' };
import ticketFixture from './fixtures/ticket.json' with { type: 'json' };
import {
  indexUsers,
  zendeskDefaultMappings as maps,
  ROUND_TRIP_STATUSES,
  toCommentRecord,
  toTicketRecord,
  toZdComment,
  toZdCreateBody,
  toZdUpdateBody,
} from './mapping.ts';

const BASE = 'https://acme.zendesk.com';

describe('toTicketRecord', () => {
  it('maps a ticket with its sideloaded people', () => {
    const { ticket, users } = ZdTicketEnvelope.parse(ticketFixture);
    expect(toTicketRecord(ticket, indexUsers(users), maps, BASE)).toEqual({
      externalId: '4512',
      externalUrl: 'https://acme.zendesk.com/agent/tickets/4512',
      title: 'Outlook keeps asking for the password',
      description: 'Since this morning Outlook prompts for credentials every few minutes.',
      status: 'WAITING',
      rawStatus: 'pending',
      priority: 'HIGH',
      assignee: { externalId: '381000000102', name: 'Alice Nguyen', email: 'alice.nguyen@acme.example' },
      requester: { externalId: '381000000104', name: 'Priya Patel', email: 'priya.patel@acme.example' },
      queue: '360000000001',
      category: null,
      scopeKey: null,
      correlationId: '5b0f3c8e-6d1a-4f0e-9a77-2c1e8d4b9f10',
      createdAt: new Date('2024-06-03T08:14:09Z'),
      updatedAt: new Date('2024-06-03T09:02:51Z'),
    });
  });

  it('reads a missing priority as MEDIUM and keeps an unknown status raw', () => {
    const page = ZdIncrementalPage.parse(exported);
    const ticket = page.tickets[0]!;
    const record = toTicketRecord({ ...ticket, status: 'archived' }, indexUsers(page.users), maps, BASE);
    expect([record.priority, record.status, record.rawStatus, record.assignee]).toEqual([
      'MEDIUM',
      'OPEN',
      'archived',
      null,
    ]);
  });

  it('honours a connection override (hold as IN_PROGRESS)', () => {
    const custom = mergeMappings(maps, { status: { toCanonical: { hold: 'IN_PROGRESS' } } });
    const { ticket } = ZdTicketEnvelope.parse(ticketFixture);
    expect(toTicketRecord({ ...ticket, status: 'hold' }, new Map(), custom, BASE).status).toBe('IN_PROGRESS');
  });
});

describe('default maps', () => {
  it('round-trip every status but IN_PROGRESS, and every priority', () => {
    for (const status of ROUND_TRIP_STATUSES) {
      expect(maps.status.toCanonical[maps.status.fromCanonical[status]]).toBe(status);
    }
    expect(maps.status.toCanonical[maps.status.fromCanonical.IN_PROGRESS]).toBe('OPEN');
    for (const priority of TICKET_PRIORITIES) {
      expect(maps.priority.toCanonical[maps.priority.fromCanonical[priority]]).toBe(priority);
    }
  });
});

describe('comments', () => {
  it('maps visibility and recognises the hub marker', () => {
    const list = ZdCommentList.parse(comments);
    const records = list.comments.map((c) => toCommentRecord(c, new Map()));
    expect(records.map((r) => [r.visibility, r.fromHub])).toEqual([
      ['PUBLIC', false],
      ['INTERNAL', false],
      ['PUBLIC', true],
    ]);
    expect(records[2]?.body).toBe('The MSP replaced the conditional access policy.\n\n[via co-managed hub]');
  });

  it('writes an internal note as public: false, never as a reply', () => {
    const body = withOriginMarker('note');
    expect(toZdComment({ body, visibility: 'INTERNAL', authorName: null })).toEqual({ body, public: false });
    expect(toZdComment({ body, visibility: 'PUBLIC', authorName: null })).toEqual({ body, public: true });
  });
});

describe('write bodies', () => {
  const draft = {
    hubTicketId: 'hub-1',
    title: 'Printer jams',
    description: null,
    status: 'WAITING' as const,
    priority: 'CRITICAL' as const,
    assigneeExternalId: '381000000102',
    requesterEmail: 'dana@acme.example',
  };

  it('creates with external_id, a first comment and the requester', () => {
    expect(toZdCreateBody(draft, maps)).toEqual({
      subject: 'Printer jams',
      comment: { body: 'Printer jams', public: true },
      status: 'pending',
      priority: 'urgent',
      external_id: 'hub-1',
      assignee_id: 381000000102,
      requester: { email: 'dana@acme.example', name: 'dana@acme.example' },
    });
  });

  it('updates only the fields present, null clearing the assignee', () => {
    expect(toZdUpdateBody({}, maps)).toEqual({});
    expect(toZdUpdateBody({ assigneeExternalId: null, status: 'RESOLVED' }, maps)).toEqual({
      assignee_id: null,
      status: 'solved',
    });
  });
});
