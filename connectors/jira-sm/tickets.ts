/**
 * Reading and writing single issues. Jira splits a "ticket update" over three endpoints: fields
 * (summary, priority) through `PUT /issue`, the assignee through `PUT /issue/{id}/assignee`, and
 * the status only through a workflow transition. Every write returns the issue as Jira now holds it.
 */
import type { AxiosInstance } from 'axios';
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  resolveCreateScope,
  type TicketDraft,
  type TicketPatch,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { toAdf } from './adf.ts';
import * as jira from './client.ts';
import type { JiraSmConfig } from './config.ts';
import { correlationJql } from './jql.ts';
import { toCreateFields, toTicketRecord } from './mapping.ts';

type Ctx = ConnectorContext<JiraSmConfig>;

/** Jira ids are numeric; anything else (a key from another system) is never an issue of ours. */
const isIssueId = (id: string) => /^\d{1,18}$/.test(id);

async function read(ctx: Ctx, http: AxiosInstance, id: string): Promise<TicketRecord> {
  return toTicketRecord(await jira.getIssue(http, id), ctx.maps, ctx.config.siteUrl);
}

export async function getTicket(ctx: Ctx, id: string): Promise<TicketRecord | null> {
  if (!isIssueId(id)) return null;
  try {
    return await read(ctx, jira.createJiraHttp(ctx), id);
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

/**
 * Move the issue to `target` (a status name or id) with the one transition that leads there.
 * Workflows differ per project, so the transitions are asked for every time rather than cached.
 */
export async function transitionTo(
  http: AxiosInstance,
  id: string,
  target: string,
  current: string,
): Promise<void> {
  const wanted = target.toLowerCase();
  if (current.toLowerCase() === wanted) return;
  const transitions = await jira.getTransitions(http, id);
  const match = transitions.find((t) => t.to.name.toLowerCase() === wanted || t.to.id === target);
  if (!match) {
    const offered = transitions.map((t) => `${t.name} -> ${t.to.name}`).join(', ') || 'none';
    throw new ConnectorError(
      'conflict',
      `Jira's workflow has no transition from "${current}" to "${target}" for issue ${id} (offered: ${offered})`,
    );
  }
  await jira.doTransition(http, id, match.id);
}

/** The account id for an email, if Jira shows it (user/search matches display names too). */
export async function findAccountIdByEmail(http: AxiosInstance, email: string): Promise<string | null> {
  const users = await jira.searchUsers(http, email);
  const wanted = email.toLowerCase();
  return users.find((u) => u.emailAddress?.toLowerCase() === wanted)?.accountId ?? null;
}

export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  if (/\s/.test(draft.hubTicketId) || draft.hubTicketId === '') {
    throw new ConnectorError('bad_request', 'the hub ticket id cannot be a Jira label (empty or has spaces)');
  }
  // Before any request: a project outside the connection's scope is refused, nothing written.
  const projectKey = resolveCreateScope(ctx, draft, ctx.config.projectKey) ?? ctx.config.projectKey;
  const http = jira.createJiraHttp(ctx);
  const { issueType, siteUrl } = ctx.config;
  const existing = await jira.searchJql(http, correlationJql(projectKey, draft.hubTicketId), {
    maxResults: 1,
  });
  const linked = existing.issues[0];
  if (linked) return toTicketRecord(linked, ctx.maps, siteUrl);

  const reporterAccountId = draft.requesterEmail
    ? await findAccountIdByEmail(http, draft.requesterEmail)
    : null;
  const fields = toCreateFields(draft, { projectKey, issueType, maps: ctx.maps, reporterAccountId });
  const created = await jira.createIssue(http, fields);
  const record = await read(ctx, http, created.id);
  const target = ctx.maps.status.fromCanonical[draft.status];
  if (record.rawStatus === target) return record;
  // The issue exists and carries its label: a failed transition must not make the engine retry
  // the create, so it is logged and the issue is returned in its initial status.
  try {
    await transitionTo(http, created.id, target, record.rawStatus ?? '');
    return await read(ctx, http, created.id);
  } catch (err) {
    if (!isConnectorError(err) || err.retryable) throw err;
    ctx.log.warn(
      { connectionId: ctx.connectionId, issue: created.key },
      `initial status not set: ${err.message}`,
    );
    return record;
  }
}

export async function updateTicket(ctx: Ctx, id: string, patch: TicketPatch): Promise<TicketRecord> {
  if (!isIssueId(id)) throw new ConnectorError('not_found', `"${id}" is not a Jira issue id`);
  const http = jira.createJiraHttp(ctx);
  const fields: Record<string, unknown> = {};
  if (patch.title !== undefined) fields.summary = patch.title;
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
  if (patch.description !== undefined)
    fields.description = patch.description ? toAdf(patch.description) : null;
  if (patch.priority !== undefined)
    fields.priority = { name: ctx.maps.priority.fromCanonical[patch.priority] };
  if (Object.keys(fields).length > 0) await jira.editIssue(http, id, fields);
  if (patch.assigneeExternalId !== undefined) await jira.assignIssue(http, id, patch.assigneeExternalId);
  if (patch.status !== undefined) {
    const before = await jira.getIssue(http, id);
    await transitionTo(http, id, ctx.maps.status.fromCanonical[patch.status], before.fields.status.name);
  }
  return read(ctx, http, id);
}
