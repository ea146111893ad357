import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeMappings, TICKET_PRIORITIES, TICKET_STATUSES } from '../../src/connector-kit/index.ts';
import {
  RtAttachmentCollection,
  RtTicket,
  RtTicketCollection,
  RtTransactionCollection,
} from './api-types.ts';
import type { RecordedStep } from './capture-fixtures.ts';
import { bodyOf, htmlToText, toCommentRecords } from './comment-mapping.ts';
import {
  rtDefaultMappings as maps,
  ROUND_TRIP_STATUSES,
  toCanonicalPriority,
  toCanonicalStatus,
  toRtCreateBody,
  toRtUpdateBody,
  toTicketRecord,
} from './mapping.ts';

const steps = (
  JSON.parse(readFileSync(new URL('./fixtures/rt-5.0.3-scenario.json', import.meta.url), 'utf8')) as {
    steps: RecordedStep[];
  }
).steps;
const recorded = (name: string) => {
  const step = steps.find((s) => s.name === name);
  if (!step) throw new Error(`no recorded step "${name}"`);
  return step.body;
};

describe('statuses', () => {
  it('reads every default-lifecycle status', () => {
    expect(
      ['new', 'open', 'stalled', 'resolved', 'rejected', 'deleted'].map((s) => toCanonicalStatus(s, maps)),
    ).toEqual(['NEW', 'OPEN', 'WAITING', 'RESOLVED', 'CLOSED', 'CLOSED']);
  });

  it('round-trips exactly the statuses the harness declares, and no others', () => {
    const roundTrips = TICKET_STATUSES.filter(
      (s) => toCanonicalStatus(maps.status.fromCanonical[s], maps) === s,
    );
    expect(roundTrips).toEqual(ROUND_TRIP_STATUSES);
    expect(toCanonicalStatus(maps.status.fromCanonical.IN_PROGRESS, maps)).toBe('OPEN');
    expect(toCanonicalStatus(maps.status.fromCanonical.CLOSED, maps)).toBe('RESOLVED');
  });

  it('reads a custom lifecycle status as OPEN unless the connection maps it', () => {
    expect(toCanonicalStatus('waiting on vendor', maps)).toBe('OPEN');
    const custom = mergeMappings(maps, { status: { toCanonical: { 'waiting on vendor': 'WAITING' } } });
    expect(toCanonicalStatus('waiting on vendor', custom)).toBe('WAITING');
  });
});

describe('priorities', () => {
  it('bands RT integers by 25 (0-24 LOW ... 75+ CRITICAL)', () => {
    const cases: Array<[string, string]> = [
      ['0', 'LOW'],
      ['24', 'LOW'],
      ['-5', 'LOW'],
      ['25', 'MEDIUM'],
      ['49', 'MEDIUM'],
      ['50', 'HIGH'],
      ['74', 'HIGH'],
      ['75', 'CRITICAL'],
      ['100', 'CRITICAL'],
    ];
    expect(cases.map(([raw]) => [raw, toCanonicalPriority(raw, maps)])).toEqual(cases);
  });

  it('round-trips every canonical priority', () => {
    for (const p of TICKET_PRIORITIES)
      expect(toCanonicalPriority(maps.priority.fromCanonical[p], maps)).toBe(p);
  });
});

describe('tickets from recorded RT answers', () => {
  it('maps a search item with expanded people, queue and HubTicketId', () => {
    const page = RtTicketCollection.parse(recorded('search by correlation id'));
    const record = toTicketRecord(page.items[0]!, maps, 'https://rt.example.com/');
    expect(record).toMatchObject({
      title: 'fixture one renamed',
      status: 'OPEN',
      rawStatus: 'open',
      priority: 'HIGH',
      assignee: { externalId: 'hub-alice', name: 'Alice Agent', email: 'alice@hub.local' },
      requester: { externalId: 'carol@example.com', email: 'carol@example.com' },
      queue: 'General',
      correlationId: 'hub-fixture-1b',
    });
    expect(record.externalUrl).toBe(`https://rt.example.com/Ticket/Display.html?id=${record.externalId}`);
    expect(record.updatedAt.getTime()).toBeGreaterThanOrEqual(record.createdAt.getTime());
  });

  it('maps a single GET (numeric id, unexpanded requestor, Nobody as owner)', () => {
    const record = toTicketRecord(RtTicket.parse(recorded('read ticket')), maps, 'https://rt.example.com');
    expect(typeof record.externalId).toBe('string');
    expect(record.assignee).toBeNull();
    expect(record.requester).toMatchObject({ externalId: 'carol@example.com', email: 'carol@example.com' });
  });

  it('refuses a ticket without LastUpdated as invalid_response', () => {
    expect(() =>
      toTicketRecord(
        RtTicket.parse({ id: '1', Subject: 's', Status: 'new', Created: '2024-01-01T00:00:00Z' }),
        maps,
        'x',
      ),
    ).toThrow(/LastUpdated/);
  });
});

describe('writes', () => {
  const draft = {
    hubTicketId: 'hub-1',
    title: 't',
    description: null,
    status: 'WAITING' as const,
    priority: 'CRITICAL' as const,
    assigneeExternalId: 'hub-bob',
    requesterEmail: 'carol@example.com',
  };

  it('creates without a status RT refuses at creation, and says which to set after', () => {
    const { body, statusAfterCreate } = toRtCreateBody(draft, 'General', maps, ['new', 'open', 'resolved']);
    expect(body).toEqual({
      Queue: 'General',
      Subject: 't',
      Priority: 100,
      Owner: 'hub-bob',
      Requestor: 'carol@example.com',
      CustomFields: { HubTicketId: 'hub-1' },
    });
    expect(statusAfterCreate).toBe('stalled');
    expect(toRtCreateBody({ ...draft, status: 'NEW' }, 'General', maps, ['new']).body.Status).toBe('new');
  });

  it('writes only the patched fields, with Nobody for a cleared assignee', () => {
    expect(toRtUpdateBody({ assigneeExternalId: null }, maps)).toEqual({ Owner: 'Nobody' });
    expect(toRtUpdateBody({ title: 'x', status: 'CLOSED', priority: 'LOW' }, maps)).toEqual({
      Subject: 'x',
      Status: 'resolved',
      Priority: 0,
    });
  });
});

describe('comments from recorded RT answers', () => {
  it('keeps Correspond and Comment only, with their text and visibility', () => {
    const history = RtTransactionCollection.parse(recorded('history')).items;
    const attachments = RtAttachmentCollection.parse(recorded('attachments')).items;
    const comments = toCommentRecords(history, attachments);
    expect(comments.map((c) => [c.visibility, c.body, c.fromHub, c.author?.externalId])).toEqual([
      ['PUBLIC', 'We are on it.', false, 'root'],
      ['INTERNAL', 'Internal: ünïcode ✓\n\n[via co-managed hub]', true, 'root'],
    ]);
  });

  it('prefers text/plain, ignores files, and turns HTML into text', () => {
    const part = (ContentType: string, Content: string, Filename = '') => ({
      id: '1',
      TransactionId: '9',
      ContentType,
      Content,
      Filename,
    });
    expect(bodyOf([part('text/html', '<p>html</p>'), part('text/plain', 'plain')])).toBe('plain');
    expect(bodyOf([part('text/plain', 'log', 'log.txt'), part('text/html', '<p>a<br>b</p>')])).toBe('a\nb');
    expect(htmlToText('<div>x &lt;y&gt; &#233;&#x263A;</div><script>alert(1)</script>')).toBe('x <y> é☺');
  });
});
