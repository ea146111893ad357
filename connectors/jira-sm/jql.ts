/**
 * The JQL the connector sends. Time filters use epoch milliseconds (airbyte's fix for
 * airbytehq/airbyte#48492): a quoted "yyyy/MM/dd HH:mm" is read in the querying account's time
 * zone at minute precision, so a UTC literal silently skips or repeats issues.
 * https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Updated
 */
import { CORRELATION_LABEL_PREFIX } from './config.ts';

/** A JQL string literal: double quotes, with `"` and `\` escaped. */
export function quoteJql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `project = "ITS"`, or `project in ("ITS", "GLX")` for a connection scoped to several projects. */
export function projectClause(projects: string | readonly string[]): string {
  const list = typeof projects === 'string' ? [projects] : projects;
  return list.length === 1
    ? `project = ${quoteJql(list[0] ?? '')}`
    : `project in (${list.map(quoteJql).join(', ')})`;
}

/** Every issue in the project(s) changed at or after `fromMs` (all when null), oldest first. */
export function changedSinceJql(projectKey: string | readonly string[], fromMs: number | null): string {
  const since = fromMs === null ? '' : ` AND updated >= ${Math.max(0, Math.floor(fromMs))}`;
  return `${projectClause(projectKey)}${since} ORDER BY updated ASC, key ASC`;
}

export function correlationLabel(hubTicketId: string): string {
  return `${CORRELATION_LABEL_PREFIX}${hubTicketId}`;
}

/** Issues carrying the hub's correlation label, in the project. */
export function correlationJql(projectKey: string, hubTicketId: string): string {
  return `project = ${quoteJql(projectKey)} AND labels = ${quoteJql(correlationLabel(hubTicketId))} ORDER BY created ASC`;
}

/** The hub id in an issue's labels, or null. */
export function correlationIdFromLabels(labels: readonly string[]): string | null {
  const label = labels.find(
    (l) => l.startsWith(CORRELATION_LABEL_PREFIX) && l.length > CORRELATION_LABEL_PREFIX.length,
  );
  return label ? label.slice(CORRELATION_LABEL_PREFIX.length) : null;
}

/** The fields every search and read asks for (search/jql returns only ids without `fields`). */
export const ISSUE_FIELDS = [
  'summary',
  'description',
  'status',
  'priority',
  'assignee',
  'reporter',
  'project',
  'issuetype',
  'labels',
  'created',
  'updated',
];
