import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeMappings, withOriginMarker } from '../../src/connector-kit/index.ts';
import { adfToText, hasHubMarker, toAdf } from './adf.ts';
import { JiraCommentPage, JiraIssue, JsmRequestComment } from './api-types.ts';
import { changedSinceJql, correlationIdFromLabels, correlationJql, quoteJql } from './jql.ts';
import {
  jiraDefaultMappings,
  parseJiraDate,
  toCanonicalStatus,
  toCommentRecord,
  toCommentRecordFromJsm,
  toCreateFields,
  toTicketRecord,
} from './mapping.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const maps = jiraDefaultMappings;

describe('ADF', () => {
  it('round-trips plain text with paragraphs and line breaks, keeping the origin marker', () => {
    const text = withOriginMarker('Line one\nline two\n\nSecond paragraph — ünïcode');
    const doc = toAdf(text);
    expect(doc.content).toHaveLength(3);
    expect(doc.content[0]!.content?.map((n) => n.type)).toEqual(['text', 'hardBreak', 'text']);
    expect(adfToText(doc)).toBe(text);
    expect(hasHubMarker(adfToText(doc))).toBe(true);
  });

  it('never writes empty text nodes (Jira refuses them)', () => {
    const doc = toAdf('a\n\n\n\nb\n');
    const texts = JSON.stringify(doc).match(/"text":""/g);
    expect(texts).toBeNull();
    expect(adfToText(doc)).toBe('a\n\nb');
  });

  it('reads rich ADF as text: mentions, lists, links', () => {
    const issue = JiraIssue.parse(fixture('issue.json'));
    expect(adfToText(issue.fields.description)).toBe(
      'Since Monday the VPN disconnects every hour.\nReported by @Bob Agent\n\n- FortiClient 7.2\n- see KB-12',
    );
  });

  it('recognises the marker when a wiki renderer turned its brackets into a link', () => {
    expect(hasHubMarker('Reboot it.\n\nvia co-managed hub')).toBe(true);
    expect(hasHubMarker('we talked via co-managed hub tooling yesterday, fine')).toBe(false);
  });
});

describe('issues', () => {
  it('maps a real issue: id as externalId, key in the URL, label as correlation id, zone-offset dates', () => {
    const record = toTicketRecord(
      JiraIssue.parse(fixture('issue.json')),
      maps,
      'https://contoso-it.atlassian.net/',
    );
    expect(record).toMatchObject({
      externalId: '10042',
      externalUrl: 'https://contoso-it.atlassian.net/browse/ITS-42',
      title: 'VPN drops every hour for the Lyon office',
      status: 'IN_PROGRESS',
      rawStatus: 'In Progress',
      priority: 'HIGH',
      assignee: { externalId: '5b10a2844c20165700ede21g', email: 'alice@contoso-it.example' },
      requester: { externalId: 'qm:0a1b2c3d-4e5f-6789-abcd-ef0123456789:carol', email: null },
      queue: 'ITS',
      correlationId: '3f6c2a9e-1b7d-4d2e-9a51-0c8e7f4b2d11',
    });
    expect(record.updatedAt.toISOString()).toBe('2025-03-04T06:05:09.871Z');
  });

  it('parses the search page envelope: no total, a next page token', () => {
    const page = fixture('search-jql-page.json') as Record<string, unknown>;
    expect(page).not.toHaveProperty('total');
    const record = toTicketRecord(
      JiraIssue.parse((page.issues as unknown[])[0]),
      maps,
      'https://x.atlassian.net',
    );
    expect(record).toMatchObject({ status: 'NEW', priority: 'MEDIUM', assignee: null, description: null });
  });

  it('parses Jira dates with offsets without a colon, and refuses junk', () => {
    expect(parseJiraDate('2025-01-01T00:30:00.000-0530')?.toISOString()).toBe('2025-01-01T06:00:00.000Z');
    expect(parseJiraDate('yesterday')).toBeNull();
  });

  it('maps unknown statuses by category, and respects connection overrides', () => {
    expect(toCanonicalStatus({ name: 'Escalated', statusCategory: { key: 'indeterminate' } }, maps)).toBe(
      'IN_PROGRESS',
    );
    expect(toCanonicalStatus({ name: 'Done', statusCategory: { key: 'done' } }, maps)).toBe('RESOLVED');
    expect(toCanonicalStatus({ name: 'waiting FOR customer' }, maps)).toBe('WAITING');
    const custom = mergeMappings(maps, { status: { toCanonical: { Escalated: 'OPEN' } } });
    expect(toCanonicalStatus({ name: 'Escalated', statusCategory: { key: 'indeterminate' } }, custom)).toBe(
      'OPEN',
    );
  });

  it('round-trips every canonical status and priority through the default maps', () => {
    for (const [status, name] of Object.entries(maps.status.fromCanonical)) {
      expect(maps.status.toCanonical[name]).toBe(status);
    }
    for (const [priority, name] of Object.entries(maps.priority.fromCanonical)) {
      expect(maps.priority.toCanonical[name]).toBe(priority);
    }
  });

  it('builds create fields with the correlation label, ADF description, no status', () => {
    const fields = toCreateFields(
      {
        hubTicketId: 'abc-123',
        title: 'T',
        description: 'D',
        status: 'CLOSED',
        priority: 'CRITICAL',
        assigneeExternalId: 'acc-1',
        requesterEmail: null,
      },
      { projectKey: 'ITS', issueType: 'Service Request', maps, reporterAccountId: 'acc-2' },
    );
    expect(fields).toEqual({
      project: { key: 'ITS' },
      issuetype: { name: 'Service Request' },
      summary: 'T',
      priority: { name: 'Highest' },
      labels: ['hub-abc-123'],
      description: toAdf('D'),
      assignee: { accountId: 'acc-1' },
      reporter: { accountId: 'acc-2' },
    });
  });
});

describe('comments', () => {
  const page = JiraCommentPage.parse(fixture('comments-page.json'));

  it('reads jsdPublic: public replies, internal notes, hub-written notes', () => {
    expect(page.comments.map(toCommentRecord).map((c) => [c.visibility, c.fromHub])).toEqual([
      ['PUBLIC', false],
      ['INTERNAL', false],
      ['INTERNAL', true],
    ]);
  });

  it('keeps a comment internal when jsdPublic is missing or a role restricts it', () => {
    const base = page.comments[0]!;
    expect(toCommentRecord({ ...base, jsdPublic: undefined }).visibility).toBe('INTERNAL');
    expect(
      toCommentRecord({ ...base, visibility: { type: 'role', value: 'Administrators' } }).visibility,
    ).toBe('INTERNAL');
  });

  it('maps the JSM request API answer', () => {
    const record = toCommentRecordFromJsm(JsmRequestComment.parse(fixture('jsm-request-comment.json')));
    expect(record).toMatchObject({ externalId: '10204', visibility: 'PUBLIC', fromHub: true });
    expect(record.createdAt.toISOString()).toBe('2025-03-04T06:06:00.000Z');
  });
});

describe('JQL builders', () => {
  it('filters on epoch milliseconds, oldest first', () => {
    expect(changedSinceJql('ITS', 1732877091000.7)).toBe(
      'project = "ITS" AND updated >= 1732877091000 ORDER BY updated ASC, key ASC',
    );
    expect(changedSinceJql('ITS', null)).toBe('project = "ITS" ORDER BY updated ASC, key ASC');
  });

  it('quotes and finds the correlation label', () => {
    expect(quoteJql('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(correlationJql('ITS', 'x1')).toBe('project = "ITS" AND labels = "hub-x1" ORDER BY created ASC');
    expect(correlationIdFromLabels(['vpn', 'hub-x1'])).toBe('x1');
    expect(correlationIdFromLabels(['hub-', 'vpn'])).toBeNull();
  });
});
