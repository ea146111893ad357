/**
 * The pure mappings: incident -> TicketRecord (from a recorded payload), states and priorities both
 * ways, the fields each state needs, journal entries -> comments, and title fitting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeMappings, withOriginMarker } from '../../src/connector-kit/index.ts';
import { SnIncidentResult, SnJournalList } from './api-types.ts';
import {
  serviceNowDefaultMappings,
  toCommentRecord,
  toIncidentUrl,
  toJournalElement,
  toPriorityFields,
  toShortDescription,
  toStateFields,
  toTicketRecord,
} from './mapping.ts';
import { priorityFor } from './sim-tables.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const maps = mergeMappings(serviceNowDefaultMappings);
const instanceUrl = 'https://acme.service-now.com';

describe('toTicketRecord', () => {
  const incident = SnIncidentResult.parse(fixture('incident.json')).result;

  it('maps a recorded incident, reading UTC date-times without a zone marker', () => {
    const users = new Map([
      [
        '46d44a23a9fe19810012d100cca80666',
        {
          sys_id: '46d44a23a9fe19810012d100cca80666',
          user_name: 'beth.anglin',
          name: 'Beth Anglin',
          email: 'beth.anglin@example.com',
        },
      ],
    ]);
    expect(toTicketRecord(incident, { maps, instanceUrl, users })).toEqual({
      externalId: '9d385017c611228701d22104cc95c371',
      externalUrl:
        'https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3D9d385017c611228701d22104cc95c371',
      title: 'Email not syncing on mobile',
      description: 'Outlook on iOS stopped syncing after the password change.',
      status: 'IN_PROGRESS',
      rawStatus: '2',
      priority: 'MEDIUM',
      assignee: {
        externalId: '46d44a23a9fe19810012d100cca80666',
        name: 'Beth Anglin',
        email: 'beth.anglin@example.com',
      },
      requester: { externalId: '681ccaf9c0a8016400b98a06818d57c7', name: null, email: null },
      queue: '287ebd7da9fe198100f92cc8d1d2154e',
      category: null,
      scopeKey: null,
      correlationId: null,
      createdAt: new Date('2024-05-02T09:14:07Z'),
      updatedAt: new Date('2024-05-03T16:40:51Z'),
    });
  });

  it('accepts references rendered as { link, value } when the link is not excluded', () => {
    const body = fixture('incident-reference-link.json').body.result;
    const parsed = SnIncidentResult.parse({ result: { ...fixture('incident.json').result, ...body } }).result;
    expect(parsed.assigned_to).toBe('46d44a23a9fe19810012d100cca80666');
  });

  it('reads the customer from company and the category as it is', () => {
    const record = toTicketRecord(
      { ...incident, company: 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001', category: 'network' },
      { maps, instanceUrl },
    );
    expect([record.scopeKey, record.category]).toEqual(['c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001', 'network']);
  });

  it('falls back on active for an unknown state and on MEDIUM for an unknown priority', () => {
    const odd = { ...incident, state: '42', priority: '9', active: 'false', assigned_to: '' };
    const record = toTicketRecord(odd, { maps, instanceUrl });
    expect(record).toMatchObject({ status: 'CLOSED', rawStatus: '42', priority: 'MEDIUM', assignee: null });
    expect(toTicketRecord({ ...odd, active: 'true' }, { maps, instanceUrl }).status).toBe('OPEN');
  });
});

describe('default mappings', () => {
  it('reads every out-of-the-box state, Canceled as CLOSED', () => {
    expect(serviceNowDefaultMappings.status.toCanonical).toMatchObject({
      '1': 'NEW',
      '3': 'WAITING',
      '6': 'RESOLVED',
      '8': 'CLOSED',
    });
  });

  it('round-trips every status but OPEN, which ServiceNow has no state for', () => {
    const { toCanonical, fromCanonical } = serviceNowDefaultMappings.status;
    for (const status of ['NEW', 'IN_PROGRESS', 'WAITING', 'RESOLVED', 'CLOSED'] as const) {
      expect(toCanonical[fromCanonical[status]]).toBe(status);
    }
    expect(toCanonical[fromCanonical.OPEN]).toBe('IN_PROGRESS');
  });

  it('writes priorities as impact + urgency that the default lookup turns back into the same priority', () => {
    const { toCanonical, fromCanonical } = serviceNowDefaultMappings.priority;
    for (const priority of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const) {
      const fields = toPriorityFields(fromCanonical[priority], 'impact-urgency');
      const computed = priorityFor(fields['impact'] ?? '', fields['urgency'] ?? '');
      expect(toCanonical[computed ?? '']).toBe(priority);
    }
    expect(toPriorityFields('2', 'priority')).toEqual({ priority: '2' });
  });
});

describe('toStateFields', () => {
  const opts = { closeCode: 'Solution provided', closeNotes: 'Done.', holdReason: '4' };
  it('adds what the data policies make mandatory', () => {
    expect(toStateFields('6', opts)).toEqual({
      state: '6',
      close_code: 'Solution provided',
      close_notes: 'Done.',
    });
    expect(toStateFields('7', opts)).toMatchObject({ close_code: 'Solution provided' });
    expect(toStateFields('3', opts)).toEqual({ state: '3', hold_reason: '4' });
    expect(toStateFields('2', opts)).toEqual({ state: '2' });
  });
});

describe('journal entries', () => {
  const [publicEntry, internalEntry] = SnJournalList.parse(fixture('journal-entries.json').body).result;

  it('maps comments to PUBLIC and work_notes to INTERNAL, recognising the hub marker', () => {
    expect(toCommentRecord(publicEntry!)).toMatchObject({
      visibility: 'PUBLIC',
      fromHub: false,
      author: { externalId: 'beth.anglin' },
    });
    expect(toCommentRecord(internalEntry!)).toMatchObject({
      visibility: 'INTERNAL',
      fromHub: true,
      createdAt: new Date('2024-05-03T16:40:51Z'),
    });
    expect(toCommentRecord({ ...publicEntry!, element: 'close_notes' }).visibility).toBe('INTERNAL');
  });

  it('writes PUBLIC as comments and INTERNAL as work_notes', () => {
    expect(toJournalElement('PUBLIC')).toBe('comments');
    expect(toJournalElement('INTERNAL')).toBe('work_notes');
    expect(withOriginMarker('x')).toContain('[via co-managed hub]');
  });
});

describe('toShortDescription', () => {
  it('keeps short titles and cuts long ones at 160 code points with an ellipsis', () => {
    expect(toShortDescription('  VPN   drops ')).toEqual({ value: 'VPN drops', truncated: false });
    const long = toShortDescription('🔥'.repeat(200));
    expect(long.truncated).toBe(true);
    expect([...long.value]).toHaveLength(160);
    expect(long.value.endsWith('…')).toBe(true);
  });

  it('builds the classic UI link', () => {
    expect(toIncidentUrl(instanceUrl, 'abc')).toBe(
      'https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dabc',
    );
  });
});
