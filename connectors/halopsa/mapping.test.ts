import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withOriginMarker } from '../../src/connector-kit/index.ts';
import { HaloActionList, HaloAgent, HaloTicket, HaloTicketList } from './api-types.ts';
import {
  HALO_SUMMARY_MAX,
  haloDefaultMappings,
  parseHaloDate,
  toCommentRecord,
  toHaloAction,
  toHaloSummary,
  toTicketRecord,
} from './mapping.ts';
import { advanceKeyset, MAX_EXCLUDED, toListParams } from './pull.ts';
import { createHaloSimulator } from './simulator.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const agents = new Map(
  HaloAgent.array()
    .parse(fixture('agents.json'))
    .map((a) => [a.id, a] as const),
);
const ctx = { maps: haloDefaultMappings, baseUrl: 'https://acme.halopsa.com', agents };

describe('toTicketRecord', () => {
  it('maps a Halo ticket, reading its zoneless dates as UTC and the agent e-mail from /api/Agent', () => {
    const record = toTicketRecord(HaloTicket.parse(fixture('ticket.json')), ctx);
    expect(record).toMatchObject({
      externalId: '1042',
      externalUrl: 'https://acme.halopsa.com/ticket?id=1042',
      title: 'Outlook keeps asking for a password',
      status: 'IN_PROGRESS',
      rawStatus: '2',
      priority: 'HIGH',
      assignee: { externalId: '2', name: 'Alice Tech', email: 'alice@msp.example' },
      requester: { externalId: '311', name: 'Dana Whitfield' },
      queue: '1st Line Support',
      correlationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    });
    expect(record.updatedAt.toISOString()).toBe('2024-06-03T09:02:47.130Z');
    expect(record.createdAt.toISOString()).toBe('2024-06-03T08:14:22.517Z');
  });

  it('treats agent_id 0 as unassigned, an empty correlation as none, and unknown ids as OPEN / MEDIUM', () => {
    const [unassigned] = HaloTicketList.parse(fixture('tickets-page.json')).tickets;
    const record = toTicketRecord({ ...unassigned!, status_id: 77, priority_id: 9 }, ctx);
    expect(record).toMatchObject({
      assignee: null,
      requester: null,
      correlationId: null,
      status: 'OPEN',
      priority: 'MEDIUM',
      rawStatus: '77',
    });
  });

  it('keeps every canonical status and priority on a round trip through the default maps', () => {
    for (const [canonical, id] of Object.entries(haloDefaultMappings.status.fromCanonical)) {
      expect(haloDefaultMappings.status.toCanonical[id]).toBe(canonical);
    }
    for (const [canonical, id] of Object.entries(haloDefaultMappings.priority.fromCanonical)) {
      expect(haloDefaultMappings.priority.toCanonical[id]).toBe(canonical);
    }
    expect(haloDefaultMappings.status.toCanonical['9']).toBe('CLOSED');
  });
});

describe('dates and summaries', () => {
  it('reads Halo dates without a zone as UTC and keeps explicit zones', () => {
    expect(parseHaloDate('2024-06-03T09:02:47.13').toISOString()).toBe('2024-06-03T09:02:47.130Z');
    expect(parseHaloDate('2024-06-03T09:02:47+02:00').toISOString()).toBe('2024-06-03T07:02:47.000Z');
  });

  it('cuts long titles at a code point with an ellipsis', () => {
    const summary = toHaloSummary(`${'x'.repeat(HALO_SUMMARY_MAX - 1)}😀 tail`);
    expect(summary.length).toBeLessThanOrEqual(HALO_SUMMARY_MAX);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary).not.toMatch(/\uD83D(?!\uDE00)/);
    expect(toHaloSummary('  two\n lines ')).toBe('two lines');
  });
});

describe('actions <-> comments', () => {
  const actions = HaloActionList.parse(fixture('actions.json')).actions;

  it('reads hiddenfromuser: true as INTERNAL, false as PUBLIC, and spots the hub marker', () => {
    const [internal, publicNote] = actions.map(toCommentRecord);
    expect(internal).toMatchObject({
      visibility: 'INTERNAL',
      fromHub: false,
      author: { externalId: '2', name: 'Alice Tech' },
    });
    expect(publicNote).toMatchObject({ visibility: 'PUBLIC', fromHub: true });
    expect(publicNote?.createdAt.toISOString()).toBe('2024-06-03T08:40:05.000Z');
  });

  it('keeps a note without the flag, or a private note, INTERNAL', () => {
    const base = { id: 1, ticket_id: 1, note: 'x', datetime: '2024-06-03T08:40:05' };
    expect(toCommentRecord(base).visibility).toBe('INTERNAL');
    expect(toCommentRecord({ ...base, hiddenfromuser: false, private_note: true }).visibility).toBe(
      'INTERNAL',
    );
  });

  it('falls back on note_html when note is absent', () => {
    expect(toCommentRecord({ id: 1, ticket_id: 1, note_html: '<p>a &amp; b<br>c</p>' }).body).toBe(
      'a & b\nc',
    );
  });

  it('writes internal notes hidden from the user and never e-mails', () => {
    const outcomes = { publicOutcome: 'Public Note', internalOutcome: 'Private Note' };
    const body = withOriginMarker('hello');
    expect(toHaloAction(7, { body, visibility: 'INTERNAL', authorName: null }, outcomes)).toEqual({
      ticket_id: 7,
      note: body,
      outcome: 'Private Note',
      hiddenfromuser: true,
      sendemail: false,
    });
    expect(toHaloAction(7, { body, visibility: 'PUBLIC', authorName: null }, outcomes)).toMatchObject({
      outcome: 'Public Note',
      hiddenfromuser: false,
    });
  });
});

describe('keyset', () => {
  const t = (id: number, at: string) => HaloTicket.parse({ id, status_id: 1, last_update: at });
  const since = parseHaloDate('2024-06-03T08:00:00');

  it('moves to the newest time on a page and excludes only the ids seen at that time', () => {
    const next = advanceKeyset({ since, excluded: [1], pageNo: 1 }, [
      t(2, '2024-06-03T08:00:00'),
      t(3, '2024-06-03T09:00:00'),
      t(4, '2024-06-03T09:00:00'),
    ]);
    expect(next).toEqual({ since: parseHaloDate('2024-06-03T09:00:00'), excluded: [3, 4], pageNo: 1 });
  });

  it('grows the exclusion list inside one timestamp, then pages by page_no past MAX_EXCLUDED', () => {
    const same = [t(10, '2024-06-03T08:00:00'), t(11, '2024-06-03T08:00:00')];
    expect(advanceKeyset({ since, excluded: [9], pageNo: 1 }, same).excluded).toEqual([9, 10, 11]);
    const full = Array.from({ length: MAX_EXCLUDED }, (_, i) => i + 1);
    expect(advanceKeyset({ since, excluded: full, pageNo: 1 }, same)).toEqual({
      since,
      excluded: full,
      pageNo: 2,
    });
  });

  it('asks Halo for last_update order, the changed-since window and the exclusions', async () => {
    const sim = await createHaloSimulator();
    try {
      const params = toListParams(sim.connectorConfig({ pageSize: 7 }), {
        since,
        excluded: [5, 6],
        pageNo: 1,
      });
      expect(params).toEqual({
        order: 'last_update',
        orderdesc: false,
        order2: 'id',
        orderdesc2: false,
        page_size: 7,
        page_no: 1,
        client_id: 12,
        datesearch: 'last_update',
        startdate: '2024-06-03T08:00:00.000',
        excludethese: '5,6',
      });
    } finally {
      await sim.close();
    }
  });
});
