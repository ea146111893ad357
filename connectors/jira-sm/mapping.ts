/**
 * Pure translation between Jira issues/comments and the hub's canonical records. No I/O.
 */
import {
  type CommentRecord,
  ConnectorError,
  type Mappings,
  type PersonRef,
  type TicketDraft,
  type TicketPriority,
  type TicketRecord,
  type TicketStatus,
} from '../../src/connector-kit/index.ts';
import { adfToText, hasHubMarker, toAdf } from './adf.ts';
import type { JiraComment, JiraIssue, JiraUser, JsmRequestComment } from './api-types.ts';
import { correlationIdFromLabels, correlationLabel } from './jql.ts';

/**
 * Status names of JSM's default IT service workflow. Reads are many-to-one (Pending and Waiting
 * for customer are both WAITING; Canceled is CLOSED); each canonical status writes the one
 * status the connector transitions to, so all six round-trip. Unknown names fall back on the
 * status category (see `toCanonicalStatus`).
 */
export const JIRA_STATUS_TO_CANONICAL: Record<string, TicketStatus> = {
  'Waiting for support': 'NEW',
  Open: 'OPEN',
  'In Progress': 'IN_PROGRESS',
  'Work in progress': 'IN_PROGRESS',
  'Waiting for customer': 'WAITING',
  Pending: 'WAITING',
  Resolved: 'RESOLVED',
  Closed: 'CLOSED',
  Canceled: 'CLOSED',
};
export const CANONICAL_TO_JIRA_STATUS: Record<TicketStatus, string> = {
  NEW: 'Waiting for support',
  OPEN: 'Open',
  IN_PROGRESS: 'In Progress',
  WAITING: 'Waiting for customer',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
};

/** Jira's five default priorities; Lowest reads as LOW and LOW writes Low. */
export const JIRA_PRIORITY_TO_CANONICAL: Record<string, TicketPriority> = {
  Highest: 'CRITICAL',
  High: 'HIGH',
  Medium: 'MEDIUM',
  Low: 'LOW',
  Lowest: 'LOW',
};
export const CANONICAL_TO_JIRA_PRIORITY: Record<TicketPriority, string> = {
  CRITICAL: 'Highest',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};

export const jiraDefaultMappings: Mappings = {
  status: { toCanonical: JIRA_STATUS_TO_CANONICAL, fromCanonical: CANONICAL_TO_JIRA_STATUS },
  priority: { toCanonical: JIRA_PRIORITY_TO_CANONICAL, fromCanonical: CANONICAL_TO_JIRA_PRIORITY },
};

const CATEGORY_FALLBACK: Record<string, TicketStatus> = {
  new: 'NEW',
  indeterminate: 'IN_PROGRESS',
  done: 'RESOLVED',
};

export function toCanonicalStatus(
  status: { name: string; statusCategory?: { key: string } | undefined },
  maps: Mappings,
): TicketStatus {
  const exact = maps.status.toCanonical[status.name];
  if (exact) return exact;
  const lower = status.name.toLowerCase();
  const loose = Object.entries(maps.status.toCanonical).find(([name]) => name.toLowerCase() === lower)?.[1];
  return loose ?? CATEGORY_FALLBACK[status.statusCategory?.key ?? ''] ?? 'OPEN';
}

export function toCanonicalPriority(name: string | undefined, maps: Mappings): TicketPriority {
  return (name && maps.priority.toCanonical[name]) || 'MEDIUM';
}

/**
 * Jira writes `2024-03-01T21:00:00.000+1100` (offset without a colon, in the user's zone);
 * ECMAScript only promises to parse `+11:00`, so the colon is put back first.
 */
export function parseJiraDate(value: string): Date | null {
  const normalised = value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

function requiredDate(value: string, field: string, id: string): Date {
  const date = parseJiraDate(value);
  if (!date) throw new ConnectorError('invalid_response', `Jira issue ${id} has an unreadable ${field}`);
  return date;
}

export function toPersonRef(user: JiraUser | null | undefined): PersonRef | null {
  if (!user) return null;
  return { externalId: user.accountId, name: user.displayName ?? null, email: user.emailAddress ?? null };
}

export function issueUrl(siteUrl: string, key: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/browse/${key}`;
}

/** The externalId is the numeric issue id: keys change when an issue moves between projects. */
export function toTicketRecord(issue: JiraIssue, maps: Mappings, siteUrl: string): TicketRecord {
  const f = issue.fields;
  const description = adfToText(f.description);
  return {
    externalId: issue.id,
    externalUrl: issueUrl(siteUrl, issue.key),
    title: f.summary,
    description: description === '' ? null : description,
    status: toCanonicalStatus(f.status, maps),
    rawStatus: f.status.name,
    priority: toCanonicalPriority(f.priority?.name, maps),
    assignee: toPersonRef(f.assignee),
    requester: toPersonRef(f.reporter),
    queue: f.project?.key ?? null,
    category: f.issuetype?.name ?? null,
    // The project is the customer key: an MSP co-manages one service project per customer.
    scopeKey: f.project?.key ?? null,
    correlationId: correlationIdFromLabels(f.labels),
    createdAt: requiredDate(f.created, 'created', issue.id),
    updatedAt: requiredDate(f.updated, 'updated', issue.id),
  };
}

/**
 * Internal unless Jira says the comment is public: `jsdPublic: false`, a role/group restriction,
 * or no `jsdPublic` at all (not a service project) all stay INTERNAL. Leaking a note is the
 * worst failure, so the unknown case errs on the side of privacy.
 */
export function toCommentRecord(comment: JiraComment): CommentRecord {
  const body = adfToText(comment.body);
  const isPublic = comment.jsdPublic === true && comment.visibility === undefined;
  const createdAt = parseJiraDate(comment.created);
  if (!createdAt)
    throw new ConnectorError('invalid_response', `Jira comment ${comment.id} has an unreadable created`);
  return {
    externalId: comment.id,
    body,
    visibility: isPublic ? 'PUBLIC' : 'INTERNAL',
    author: toPersonRef(comment.author),
    createdAt,
    fromHub: hasHubMarker(body),
  };
}

export function toCommentRecordFromJsm(comment: JsmRequestComment): CommentRecord {
  return {
    externalId: comment.id,
    body: comment.body,
    visibility: comment.public ? 'PUBLIC' : 'INTERNAL',
    author: toPersonRef(comment.author),
    createdAt: new Date(comment.created.epochMillis),
    fromHub: hasHubMarker(comment.body),
  };
}

/** `fields` for `POST /rest/api/3/issue`; the status is reached by a transition afterwards. */
export function toCreateFields(
  draft: TicketDraft,
  opts: { projectKey: string; issueType: string; maps: Mappings; reporterAccountId: string | null },
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    project: { key: opts.projectKey },
    issuetype: { name: opts.issueType },
    summary: draft.title,
    priority: { name: opts.maps.priority.fromCanonical[draft.priority] },
    labels: [correlationLabel(draft.hubTicketId)],
  };
  if (draft.description) fields.description = toAdf(draft.description);
  if (draft.assigneeExternalId) fields.assignee = { accountId: draft.assigneeExternalId };
  if (opts.reporterAccountId) fields.reporter = { accountId: opts.reporterAccountId };
  return fields;
}
