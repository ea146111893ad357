/**
 * What `POST /issue` and `PUT /issue/{id}` accept in `fields`, with Jira's refusals: status is
 * never settable (transitions only), v3 wants ADF for `description`, labels cannot hold spaces,
 * only assignable users can be assignees.
 */
import type { JiraAdfNode } from './api-types.ts';
import { cannotSet, fieldError } from './sim-errors.ts';
import { SIM_PRIORITIES, type SimIssue } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';

export type SimFieldChanges = Partial<
  Pick<SimIssue, 'summary' | 'priority' | 'assigneeId' | 'labels' | 'description' | 'reporterId'>
>;

const EDITABLE = new Set(['summary', 'priority', 'assignee', 'labels', 'description', 'reporter']);

function named(value: unknown): string | undefined {
  const v = value as { name?: unknown; id?: unknown } | null;
  if (typeof v?.name === 'string') return v.name;
  if (typeof v?.id === 'string') return SIM_PRIORITIES.find((p) => p.id === v.id)?.name ?? `#${v.id}`;
  return undefined;
}

function accountOf(value: unknown): string | null | undefined {
  if (value === null) return null;
  const id = (value as { accountId?: unknown } | undefined)?.accountId;
  return typeof id === 'string' || id === null ? id : undefined;
}

export function assigneeChange(store: SimStore, accountId: string | null): string | null {
  if (accountId === null || accountId === '-1') return null;
  const user = store.userById(accountId);
  if (!user?.assignable) throw fieldError('assignee', `User '${accountId}' cannot be assigned issues.`);
  return accountId;
}

function isAdf(value: unknown): value is JiraAdfNode {
  const v = value as { type?: unknown; version?: unknown } | null;
  return v?.type === 'doc' && v.version === 1;
}

/** Field values from a request, validated; throws `SimHttpError` with Jira's field errors. */
export function readFields(
  store: SimStore,
  fields: Record<string, unknown>,
  ignore: string[] = [],
): SimFieldChanges {
  const out: SimFieldChanges = {};
  for (const [name, value] of Object.entries(fields)) {
    if (ignore.includes(name)) continue;
    if (!EDITABLE.has(name)) throw cannotSet(name);
    if (name === 'summary') {
      if (typeof value !== 'string' || value.trim() === '')
        throw fieldError('summary', 'You must specify a summary of the issue.');
      if (value.length > 255) throw fieldError('summary', 'Summary must be less than 255 characters.');
      out.summary = value;
    } else if (name === 'priority') {
      const priority = named(value);
      if (!priority || !SIM_PRIORITIES.some((p) => p.name === priority)) {
        throw fieldError('priority', `Priority name '${priority ?? ''}' is not valid`);
      }
      out.priority = priority;
    } else if (name === 'assignee') {
      const id = accountOf(value);
      if (id === undefined) throw fieldError('assignee', 'Specify a valid value for assignee');
      out.assigneeId = assigneeChange(store, id);
    } else if (name === 'reporter') {
      const id = accountOf(value);
      if (!id || !store.userById(id)) throw fieldError('reporter', 'Specified reporter is not a user.');
      out.reporterId = id;
    } else if (name === 'labels') {
      if (!Array.isArray(value) || !value.every((l) => typeof l === 'string'))
        throw fieldError('labels', 'Specify labels as an array of strings.');
      const bad = value.find((l: string) => /\s/.test(l) || l === '');
      if (bad !== undefined)
        throw fieldError('labels', `The label '${bad}' contains spaces which is invalid.`);
      if (value.some((l: string) => l.length > 255))
        throw fieldError('labels', 'The label must not exceed 255 characters.');
      out.labels = [...new Set(value as string[])];
    } else if (name === 'description') {
      if (value !== null && !isAdf(value)) {
        throw fieldError(
          'description',
          'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        );
      }
      out.description = value as JiraAdfNode | null;
    }
  }
  return out;
}
