/**
 * One small function per Jira endpoint the hub calls, each response parsed with zod. Errors
 * arrive as `ConnectorError` from the kit's HTTP client (`401` auth, `404` not_found, `429`
 * retried after `Retry-After`...). Paths are relative to the site URL.
 */
import type { AxiosInstance } from 'axios';
import { type ConnectorContext, parseWith } from '../../src/connector-kit/index.ts';
import {
  JiraCommentPage,
  JiraCreated,
  JiraIssue,
  JiraProject,
  JiraSearchPage,
  JiraTransitions,
  JiraUser,
  JiraUserList,
  JsmRequestComment,
} from './api-types.ts';
import { type JiraSmConfig, jiraAuthorization } from './config.ts';
import { ISSUE_FIELDS } from './jql.ts';

export function createJiraHttp(ctx: ConnectorContext<JiraSmConfig>): AxiosInstance {
  return ctx.http({
    baseURL: ctx.config.siteUrl,
    headers: { authorization: jiraAuthorization(ctx.config), 'content-type': 'application/json' },
  });
}

const enc = encodeURIComponent;

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
export async function getMyself(http: AxiosInstance) {
  const res = await http.get('/rest/api/3/myself');
  return parseWith(JiraUser, res.data, { method: 'GET', path: '/rest/api/3/myself' });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-projectidorkey-get
export async function getProject(http: AxiosInstance, key: string) {
  const res = await http.get(`/rest/api/3/project/${enc(key)}`);
  return parseWith(JiraProject, res.data, { method: 'GET', path: '/rest/api/3/project/{key}' });
}

/**
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 * The enhanced search (the old /rest/api/3/search answers 410): no total, `nextPageToken`.
 * POST keeps long JQL out of the URL.
 */
export async function searchJql(
  http: AxiosInstance,
  jql: string,
  opts: { maxResults: number; nextPageToken?: string | null },
) {
  const body = {
    jql,
    fields: ISSUE_FIELDS,
    maxResults: opts.maxResults,
    ...(opts.nextPageToken ? { nextPageToken: opts.nextPageToken } : {}),
  };
  const res = await http.post('/rest/api/3/search/jql', body);
  return parseWith(JiraSearchPage, res.data, { method: 'POST', path: '/rest/api/3/search/jql' });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
export async function getIssue(http: AxiosInstance, idOrKey: string) {
  const res = await http.get(`/rest/api/3/issue/${enc(idOrKey)}`, {
    params: { fields: ISSUE_FIELDS.join(',') },
  });
  return parseWith(JiraIssue, res.data, { method: 'GET', path: '/rest/api/3/issue/{id}' });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
export async function createIssue(http: AxiosInstance, fields: Record<string, unknown>) {
  const res = await http.post('/rest/api/3/issue', { fields });
  return parseWith(JiraCreated, res.data, { method: 'POST', path: '/rest/api/3/issue' });
}

/**
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
 * Summary, priority... but never status: Jira answers 400 "Field 'status' cannot be set".
 */
export async function editIssue(http: AxiosInstance, idOrKey: string, fields: Record<string, unknown>) {
  await http.put(`/rest/api/3/issue/${enc(idOrKey)}`, { fields }, { params: { notifyUsers: false } });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-assignee-put
export async function assignIssue(http: AxiosInstance, idOrKey: string, accountId: string | null) {
  await http.put(`/rest/api/3/issue/${enc(idOrKey)}/assignee`, { accountId });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
export async function getTransitions(http: AxiosInstance, idOrKey: string) {
  const res = await http.get(`/rest/api/3/issue/${enc(idOrKey)}/transitions`);
  return parseWith(JiraTransitions, res.data, { method: 'GET', path: '/rest/api/3/issue/{id}/transitions' })
    .transitions;
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
export async function doTransition(http: AxiosInstance, idOrKey: string, transitionId: string) {
  await http.post(`/rest/api/3/issue/${enc(idOrKey)}/transitions`, { transition: { id: transitionId } });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-search-get
export async function searchUsers(http: AxiosInstance, query: string) {
  const res = await http.get('/rest/api/3/user/search', { params: { query, maxResults: 10 } });
  return parseWith(JiraUserList, res.data, { method: 'GET', path: '/rest/api/3/user/search' });
}

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get
export async function getComments(http: AxiosInstance, idOrKey: string, startAt: number, maxResults = 100) {
  const res = await http.get(`/rest/api/3/issue/${enc(idOrKey)}/comment`, {
    params: { startAt, maxResults, orderBy: 'created' },
  });
  return parseWith(JiraCommentPage, res.data, { method: 'GET', path: '/rest/api/3/issue/{id}/comment' });
}

/**
 * https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
 * The only documented way to write an internal note (`public: false`): platform comments default
 * to `jsdPublic: true`, i.e. emailed to the customer.
 */
export async function addRequestComment(
  http: AxiosInstance,
  idOrKey: string,
  body: string,
  isPublic: boolean,
) {
  const res = await http.post(`/rest/servicedeskapi/request/${enc(idOrKey)}/comment`, {
    body,
    public: isPublic,
  });
  return parseWith(JsmRequestComment, res.data, {
    method: 'POST',
    path: '/rest/servicedeskapi/request/{id}/comment',
  });
}
