/**
 * The simulated REST surface: the paths, envelopes and answers of Jira Cloud REST v3 and the JSM
 * request API that the connector (or jira.js) uses. Every handler gets the authenticated user.
 */
import { adfToText, toAdf } from './adf.ts';
import { asObject, requireIssue, SimHttpError, type SimResponse } from './sim-errors.ts';
import { assigneeChange, readFields } from './sim-fields.ts';
import { findSimProject, SIM_ISSUE_TYPES, transitionsFrom } from './sim-model.ts';
import {
  type RenderEnv,
  renderComment,
  renderIssue,
  renderJsmComment,
  renderProject,
  renderTransition,
  renderUser,
} from './sim-render.ts';
import { type PageTokenMode, runSearch } from './sim-search.ts';

export interface RouteContext extends RenderEnv {
  method: string;
  url: URL;
  body: unknown;
  params: string[];
  tokenMode: PageTokenMode;
}

type Handler = (c: RouteContext) => SimResponse;
interface Route {
  method: string;
  pattern: RegExp;
  /** The endpoint's name in write counters, e.g. `PUT /rest/api/3/issue/{id}`. */
  name: string;
  handler: Handler;
}

const ID = '([^/]+)';
const route = (method: string, path: string, handler: Handler): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/\{[a-z]+\}/g, ID)}$`),
  name: `${method} ${path}`,
  handler,
});

const REMOVED = {
  status: 410,
  body: {
    errorMessages: [
      'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
    ],
    errors: {},
  },
};

function search(c: RouteContext): SimResponse {
  const q = c.url.searchParams;
  const b = c.method === 'POST' ? asObject(c.body ?? {}, 'The request body') : {};
  const params =
    c.method === 'POST'
      ? { jql: b.jql, fields: b.fields, maxResults: b.maxResults, nextPageToken: b.nextPageToken }
      : {
          jql: q.get('jql'),
          fields: q.getAll('fields').join(','),
          maxResults: q.get('maxResults') ?? undefined,
          nextPageToken: q.get('nextPageToken'),
        };
  return { status: 200, body: runSearch(c, params, c.tokenMode), listPage: true };
}

function createIssue(c: RouteContext): SimResponse {
  const fields = asObject(asObject(c.body, 'The request body').fields, 'fields');
  const ref = fields.project as { key?: unknown; id?: unknown } | undefined;
  const project = findSimProject(ref?.key) ?? findSimProject(ref?.id);
  if (!project) throw new SimHttpError(400, [], { project: 'valid project is required' });
  const type = fields.issuetype as { name?: unknown; id?: unknown } | undefined;
  const issueType = SIM_ISSUE_TYPES.find((t) => t.name === type?.name || t.id === type?.id);
  if (!issueType) throw new SimHttpError(400, [], { issuetype: 'Specify an issue type' });
  if (fields.summary === undefined)
    throw new SimHttpError(400, [], { summary: 'You must specify a summary of the issue.' });
  const values = readFields(c.store, fields, ['project', 'issuetype']);
  const issue = c.store.createIssue(
    { ...values, summary: values.summary ?? '', issueType: issueType.name, projectKey: project.key },
    c.viewer,
  );
  return {
    status: 201,
    body: { id: String(issue.id), key: issue.key, self: `${c.base}/rest/api/3/issue/${issue.id}` },
  };
}

function editIssue(c: RouteContext): SimResponse {
  const issue = requireIssue(c.store, c.params[0]!);
  const body = asObject(c.body, 'The request body');
  const changes = readFields(c.store, asObject(body.fields ?? {}, 'fields'));
  c.store.updateIssue(issue, changes, c.viewer);
  return { status: 204 };
}

function assign(c: RouteContext): SimResponse {
  const issue = requireIssue(c.store, c.params[0]!);
  const accountId = asObject(c.body, 'The request body').accountId;
  if (accountId !== null && typeof accountId !== 'string')
    throw new SimHttpError(400, [], { accountId: 'accountId must be a string' });
  c.store.updateIssue(issue, { assigneeId: assigneeChange(c.store, accountId) }, c.viewer);
  return { status: 204 };
}

function doTransition(c: RouteContext): SimResponse {
  const issue = requireIssue(c.store, c.params[0]!);
  const id = (asObject(c.body, 'The request body').transition as { id?: unknown } | undefined)?.id;
  if (!c.store.transition(issue, String(id), c.viewer)) {
    throw new SimHttpError(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
  }
  return { status: 204 };
}

function listComments(c: RouteContext): SimResponse {
  const issue = requireIssue(c.store, c.params[0]!);
  const q = c.url.searchParams;
  const startAt = Math.max(0, Number(q.get('startAt') ?? 0) || 0);
  const maxResults = Math.min(100, Math.max(1, Number(q.get('maxResults') ?? 50) || 50));
  const all = [...(c.store.comments.get(issue.id) ?? [])];
  if (q.get('orderBy') === '-created') all.reverse();
  const comments = all.slice(startAt, startAt + maxResults).map((x) => renderComment(c, x));
  return { status: 200, body: { startAt, maxResults, total: all.length, comments } };
}

/** Platform comments are public in a service project, unless `sd.public.comment` says internal (UNCONFIRMED). */
function addPlatformComment(c: RouteContext): SimResponse {
  const issue = requireIssue(c.store, c.params[0]!);
  const body = asObject(c.body, 'The request body');
  const adf = body.body as { type?: unknown; version?: unknown } | undefined;
  if (adf?.type !== 'doc')
    throw new SimHttpError(400, [], { comment: 'Comment body must be an Atlassian Document.' });
  const props = Array.isArray(body.properties)
    ? (body.properties as Array<{ key?: unknown; value?: { internal?: unknown } }>)
    : [];
  const internal = props.some((p) => p.key === 'sd.public.comment' && p.value?.internal === true);
  const comment = c.store.addComment(issue, body.body as never, !internal, c.viewer);
  return { status: 201, body: renderComment(c, comment) };
}

function addRequestComment(c: RouteContext): SimResponse {
  const issue = requireIssue(c.store, c.params[0]!);
  const body = asObject(c.body, 'The request body');
  if (typeof body.body !== 'string' || body.body.trim() === '')
    throw new SimHttpError(400, ['The comment body is required.']);
  if (body.public !== undefined && typeof body.public !== 'boolean')
    throw new SimHttpError(400, ['public must be a boolean.']);
  const comment = c.store.addComment(issue, toAdf(body.body), body.public !== false, c.viewer);
  return { status: 201, body: renderJsmComment(c, comment, adfToText(comment.body)) };
}

function userSearch(c: RouteContext): SimResponse {
  const query = (c.url.searchParams.get('query') ?? '').toLowerCase();
  if (query === '')
    throw new SimHttpError(400, ["One of 'query' or 'accountId' parameters must be provided."]);
  const hits = c.store.users.filter(
    (u) => u.email.toLowerCase().startsWith(query) || u.displayName.toLowerCase().includes(query),
  );
  return { status: 200, body: hits.map((u) => renderUser(c, u)) };
}

function getProject(c: RouteContext): SimResponse {
  const key = decodeURIComponent(c.params[0]!);
  const project = findSimProject(key);
  if (!project) throw new SimHttpError(404, [`No project could be found with key '${key}'.`]);
  const issueTypes = SIM_ISSUE_TYPES.map((t) => ({
    self: `${c.base}/rest/api/3/issuetype/${t.id}`,
    ...t,
    subtask: false,
  }));
  return { status: 200, body: { ...renderProject(c, project), issueTypes } };
}

export const ROUTES: Route[] = [
  route('GET', '/rest/api/3/myself', (c) => ({
    status: 200,
    body: { ...renderUser(c, c.viewer), locale: 'en_US' },
  })),
  route('GET', '/rest/api/3/project/{key}', getProject),
  route('GET', '/rest/api/3/search', () => REMOVED),
  route('POST', '/rest/api/3/search', () => REMOVED),
  route('GET', '/rest/api/3/search/jql', search),
  route('POST', '/rest/api/3/search/jql', search),
  route('POST', '/rest/api/3/issue', createIssue),
  route('GET', '/rest/api/3/issue/{id}', (c) => {
    const issue = requireIssue(c.store, c.params[0]!);
    const fields = c.url.searchParams.get('fields')?.split(',');
    const pick = (name: string) => !fields || fields.includes('*all') || fields.includes(name);
    return { status: 200, body: renderIssue(c, issue, pick) };
  }),
  route('PUT', '/rest/api/3/issue/{id}', editIssue),
  route('PUT', '/rest/api/3/issue/{id}/assignee', assign),
  route('GET', '/rest/api/3/issue/{id}/transitions', (c) => {
    const issue = requireIssue(c.store, c.params[0]!);
    const transitions = transitionsFrom(issue.statusId).map((t) => renderTransition(c, t));
    return { status: 200, body: { expand: 'transitions', transitions } };
  }),
  route('POST', '/rest/api/3/issue/{id}/transitions', doTransition),
  route('GET', '/rest/api/3/issue/{id}/comment', listComments),
  route('POST', '/rest/api/3/issue/{id}/comment', addPlatformComment),
  route('POST', '/rest/servicedeskapi/request/{id}/comment', addRequestComment),
  route('GET', '/rest/api/3/user/search', userSearch),
];

export function findRoute(method: string, path: string): { route: Route; params: string[] } | null {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1) };
  }
  return null;
}
