/**
 * The simulated site's state and Jira's write rules: issues, comments, users, the clock, and the
 * events a write raises (which the webhook dispatcher turns into admin-webhook deliveries).
 */
import type { JiraAdfNode } from './api-types.ts';
import {
  defaultUsers,
  INITIAL_STATUS_ID,
  SIM_PROJECT,
  SIM_STATUSES,
  type SimComment,
  type SimIssue,
  type SimUser,
  transitionsFrom,
} from './sim-model.ts';

export interface SimChangeItem {
  field: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface SimEvent {
  webhookEvent: 'jira:issue_created' | 'jira:issue_updated' | 'comment_created';
  issueEventType: string;
  issue: SimIssue;
  actor: SimUser;
  changelog: SimChangeItem[];
  comment?: SimComment;
}

export interface SimIssueInput {
  summary: string;
  description?: JiraAdfNode | null;
  priority?: string;
  assigneeId?: string | null;
  reporterId?: string;
  labels?: string[];
  issueType?: string;
  /** Default `ITS`. */
  projectKey?: string;
}

export function createSimStore(options: { clock?: Date } = {}) {
  const users = defaultUsers();
  const issues = new Map<number, SimIssue>();
  const comments = new Map<number, SimComment[]>();
  const listeners: Array<(event: SimEvent) => void> = [];
  const seq = { issue: 10_000, key: 0, comment: 10_100 };
  let frozen: number | null = options.clock ? options.clock.getTime() : null;

  /** Jira keeps milliseconds; a set clock stays put until set again. */
  const now = () => frozen ?? Date.now();
  const emit = (event: SimEvent) => {
    for (const listener of listeners) listener(event);
  };
  const statusName = (id: string) => SIM_STATUSES.find((s) => s.id === id)?.name ?? id;
  const userById = (accountId: string | null | undefined) => users.find((u) => u.accountId === accountId);
  const userByEmail = (email: string) => users.find((u) => u.email.toLowerCase() === email.toLowerCase());

  function findIssue(idOrKey: string): SimIssue | undefined {
    if (/^\d+$/.test(idOrKey)) return issues.get(Number(idOrKey));
    const upper = idOrKey.toUpperCase();
    return [...issues.values()].find((i) => i.key === upper);
  }

  function createIssue(input: SimIssueInput, actor: SimUser): SimIssue {
    const at = now();
    const issue: SimIssue = {
      id: ++seq.issue,
      key: `${input.projectKey ?? SIM_PROJECT.key}-${++seq.key}`,
      summary: input.summary,
      description: input.description ?? null,
      statusId: INITIAL_STATUS_ID,
      priority: input.priority ?? 'Medium',
      assigneeId: input.assigneeId ?? null,
      reporterId: input.reporterId ?? actor.accountId,
      labels: [...(input.labels ?? [])],
      issueType: input.issueType ?? 'Service Request',
      projectKey: input.projectKey ?? SIM_PROJECT.key,
      created: at,
      updated: at,
    };
    issues.set(issue.id, issue);
    emit({
      webhookEvent: 'jira:issue_created',
      issueEventType: 'issue_created',
      issue,
      actor,
      changelog: [],
    });
    return issue;
  }

  function item(
    field: string,
    from: string | null,
    to: string | null,
    fromText = from,
    toText = to,
  ): SimChangeItem {
    return { field, fieldId: field, from, fromString: fromText, to, toString: toText };
  }

  /** Applies field changes, bumping `updated` only when something changed. */
  function updateIssue(
    issue: SimIssue,
    changes: Partial<
      Pick<SimIssue, 'summary' | 'priority' | 'assigneeId' | 'statusId' | 'labels' | 'description'>
    >,
    actor: SimUser,
  ): SimIssue {
    const log: SimChangeItem[] = [];
    if (changes.summary !== undefined && changes.summary !== issue.summary)
      log.push(item('summary', null, null, issue.summary, changes.summary));
    if (changes.priority !== undefined && changes.priority !== issue.priority)
      log.push(item('priority', null, null, issue.priority, changes.priority));
    if (changes.assigneeId !== undefined && changes.assigneeId !== issue.assigneeId) {
      const name = (id: string | null) => userById(id)?.displayName ?? null;
      log.push(
        item(
          'assignee',
          issue.assigneeId,
          changes.assigneeId,
          name(issue.assigneeId),
          name(changes.assigneeId),
        ),
      );
    }
    if (changes.statusId !== undefined && changes.statusId !== issue.statusId) {
      log.push(
        item(
          'status',
          issue.statusId,
          changes.statusId,
          statusName(issue.statusId),
          statusName(changes.statusId),
        ),
      );
    }
    if (changes.labels !== undefined)
      log.push(item('labels', null, null, issue.labels.join(' '), changes.labels.join(' ')));
    if (changes.description !== undefined) log.push(item('description', null, null));
    if (log.length === 0) return issue;
    Object.assign(issue, changes, { updated: now() });
    const type = log.some((l) => l.field === 'assignee') ? 'issue_assigned' : 'issue_generic';
    emit({ webhookEvent: 'jira:issue_updated', issueEventType: type, issue, actor, changelog: log });
    return issue;
  }

  function transition(issue: SimIssue, transitionId: string, actor: SimUser): boolean {
    const t = transitionsFrom(issue.statusId).find((x) => x.id === transitionId);
    if (!t) return false;
    updateIssue(issue, { statusId: t.toId }, actor);
    return true;
  }

  function addComment(issue: SimIssue, body: JiraAdfNode, isPublic: boolean, actor: SimUser): SimComment {
    const at = now();
    const comment: SimComment = {
      id: ++seq.comment,
      issueId: issue.id,
      authorId: actor.accountId,
      body,
      isPublic,
      created: at,
      updated: at,
    };
    comments.set(issue.id, [...(comments.get(issue.id) ?? []), comment]);
    // A comment bumps the issue's `updated`, as in Jira.
    issue.updated = at;
    emit({
      webhookEvent: 'comment_created',
      issueEventType: 'issue_commented',
      issue,
      actor,
      changelog: [],
      comment,
    });
    return comment;
  }

  return {
    users,
    issues,
    comments,
    now,
    setClock(at: Date | null) {
      frozen = at ? at.getTime() : null;
    },
    onEvent(listener: (event: SimEvent) => void) {
      listeners.push(listener);
    },
    userById,
    userByEmail,
    statusName,
    findIssue,
    createIssue,
    updateIssue,
    transition,
    addComment,
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
