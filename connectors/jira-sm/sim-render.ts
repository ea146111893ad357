/**
 * Simulated records rendered as Jira Cloud sends them: `self` links, users with `accountId`,
 * statuses with categories, timestamps in the viewing user's zone.
 */
import {
  findSimProject,
  SIM_ISSUE_TYPES,
  SIM_PRIORITIES,
  SIM_PROJECT,
  SIM_STATUSES,
  type SimComment,
  type SimIssue,
  type SimTransition,
  type SimUser,
} from './sim-model.ts';
import type { SimStore } from './sim-store.ts';
import { formatJiraDate } from './sim-time.ts';

export interface RenderEnv {
  base: string;
  store: SimStore;
  viewer: SimUser;
}

const CATEGORY = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export function renderUser(env: RenderEnv, user: SimUser | undefined) {
  if (!user) return null;
  return {
    self: `${env.base}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    accountType: user.accountType,
    emailAddress: user.email,
    displayName: user.displayName,
    active: true,
    timeZone: user.timeZone,
  };
}

export function renderStatus(env: RenderEnv, statusId: string) {
  const s = SIM_STATUSES.find((x) => x.id === statusId) ?? SIM_STATUSES[0]!;
  return {
    self: `${env.base}/rest/api/3/status/${s.id}`,
    id: s.id,
    name: s.name,
    statusCategory: CATEGORY[s.category],
  };
}

export function renderProject(env: RenderEnv, project = SIM_PROJECT) {
  return { self: `${env.base}/rest/api/3/project/${project.id}`, ...project };
}

export const ISSUE_FIELD_NAMES = [
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

/** All fields of an issue; `pick` keeps the requested ones (search/jql returns only `id` without `fields`). */
export function renderIssue(env: RenderEnv, issue: SimIssue, pick: (field: string) => boolean) {
  const date = (ms: number) => formatJiraDate(ms, env.viewer.timeZone);
  const priority = SIM_PRIORITIES.find((p) => p.name === issue.priority);
  const type = SIM_ISSUE_TYPES.find((t) => t.name === issue.issueType) ?? SIM_ISSUE_TYPES[0]!;
  const all: Record<string, unknown> = {
    summary: issue.summary,
    description: issue.description,
    status: renderStatus(env, issue.statusId),
    priority: priority ? { self: `${env.base}/rest/api/3/priority/${priority.id}`, ...priority } : null,
    assignee: renderUser(env, env.store.userById(issue.assigneeId)),
    reporter: renderUser(env, env.store.userById(issue.reporterId)),
    project: renderProject(env, findSimProject(issue.projectKey)),
    issuetype: { self: `${env.base}/rest/api/3/issuetype/${type.id}`, ...type, subtask: false },
    labels: [...issue.labels],
    created: date(issue.created),
    updated: date(issue.updated),
  };
  const fields = Object.fromEntries(Object.entries(all).filter(([name]) => pick(name)));
  return {
    expand: 'renderedFields,names,schema,transitions',
    id: String(issue.id),
    self: `${env.base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields,
  };
}

export function renderComment(env: RenderEnv, c: SimComment) {
  const author = renderUser(env, env.store.userById(c.authorId));
  return {
    self: `${env.base}/rest/api/3/issue/${c.issueId}/comment/${c.id}`,
    id: String(c.id),
    author,
    body: c.body,
    updateAuthor: author,
    created: formatJiraDate(c.created, env.viewer.timeZone),
    updated: formatJiraDate(c.updated, env.viewer.timeZone),
    jsdPublic: c.isPublic,
  };
}

/** The JSM request API's comment shape: plain-text body, `public`, a `created` date object. */
export function renderJsmComment(env: RenderEnv, c: SimComment, text: string) {
  return {
    id: String(c.id),
    body: text,
    public: c.isPublic,
    author: renderUser(env, env.store.userById(c.authorId)),
    created: {
      iso8601: formatJiraDate(c.created, env.viewer.timeZone),
      jira: formatJiraDate(c.created, env.viewer.timeZone),
      friendly: 'Today',
      epochMillis: c.created,
    },
    _links: { self: `${env.base}/rest/servicedeskapi/request/${c.issueId}/comment/${c.id}` },
  };
}

export function renderTransition(env: RenderEnv, t: SimTransition) {
  return {
    id: t.id,
    name: t.name,
    to: renderStatus(env, t.toId),
    hasScreen: false,
    isGlobal: true,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
}
