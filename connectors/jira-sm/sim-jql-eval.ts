/**
 * Evaluating parsed JQL against simulated issues, for one querying user. Date values are either
 * epoch milliseconds (exact) or quoted `yyyy/MM/dd HH:mm` / `yyyy-MM-dd[ HH:mm]`, read in the
 * user's time zone at minute precision, or relative periods such as `-5m`, `-2h`, `-1d`, `-1w`.
 */
import { JqlError, type JqlExpr, type JqlOrder, type JqlValue } from './sim-jql.ts';
import { findSimProject, SIM_PRIORITIES, SIM_PROJECT, SIM_STATUSES, type SimIssue } from './sim-model.ts';
import { wallClockToUtc } from './sim-time.ts';

export interface JqlEnv {
  timeZone: string;
  now: number;
}

const PERIOD_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

export function jqlDateToMs(value: JqlValue, field: string, env: JqlEnv): number {
  const text = value.text.trim();
  if (/^-?\d{9,}$/.test(text)) return Number(text);
  const abs = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text);
  if (abs) {
    const [, y, mo, d, h, mi] = abs;
    const wall = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
    };
    return wallClockToUtc(wall, env.timeZone);
  }
  const rel = /^([+-]?)(\d+)([wdhm])$/.exec(text);
  if (rel) return env.now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * PERIOD_MS[rel[3]!]!;
  throw new JqlError(
    `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      throw new JqlError(`The operator '${op}' is not supported by this field.`);
  }
}

const keyNumber = (key: string) => Number(key.split('-')[1]);

/** Values a text-ish field holds for `=`, `in`, `is empty`. */
function textValues(issue: SimIssue, field: string): string[] | null {
  switch (field) {
    case 'project': {
      const project = findSimProject(issue.projectKey) ?? SIM_PROJECT;
      return [project.key.toLowerCase(), project.id];
    }
    case 'labels':
      return issue.labels;
    case 'status': {
      const s = SIM_STATUSES.find((x) => x.id === issue.statusId);
      return s ? [s.name.toLowerCase(), s.id] : [];
    }
    case 'priority': {
      const p = SIM_PRIORITIES.find((x) => x.name === issue.priority);
      return p ? [p.name.toLowerCase(), p.id] : [];
    }
    case 'assignee':
      return issue.assigneeId ? [issue.assigneeId] : [];
    case 'reporter':
      return [issue.reporterId];
    case 'issuetype':
    case 'type':
      return [issue.issueType.toLowerCase()];
    default:
      return null;
  }
}

function clause(issue: SimIssue, c: Extract<JqlExpr, { kind: 'clause' }>, env: JqlEnv): boolean {
  const { field, op, values } = c;
  if (field === 'updated' || field === 'created') {
    const at = field === 'updated' ? issue.updated : issue.created;
    return compare(at, op, jqlDateToMs(values[0]!, field, env));
  }
  if (field === 'key' || field === 'issuekey' || field === 'id') {
    const mine = field === 'id' ? issue.id : keyNumber(issue.key);
    const toNum = (v: JqlValue) => (field === 'id' ? Number(v.text) : keyNumber(v.text.toUpperCase()));
    if (op === 'in' || op === 'not in') return values.some((v) => toNum(v) === mine) === (op === 'in');
    return compare(mine, op, toNum(values[0]!));
  }
  if (field === 'summary' || field === 'text') {
    const hit = issue.summary.toLowerCase().includes((values[0]?.text ?? '').toLowerCase());
    if (op === '~' || op === '!~') return hit === (op === '~');
    throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
  }
  const held = textValues(issue, field);
  if (held === null) {
    throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
  }
  // Labels match exactly; names (status, project...) ignore case.
  const norm = (v: JqlValue) =>
    field === 'labels' || field === 'assignee' || field === 'reporter' ? v.text : v.text.toLowerCase();
  switch (op) {
    case '=':
      return held.includes(norm(values[0]!));
    case '!=':
      return !held.includes(norm(values[0]!));
    case 'in':
      return values.some((v) => held.includes(norm(v)));
    case 'not in':
      return !values.some((v) => held.includes(norm(v)));
    case 'is':
      return held.length === 0;
    case 'is not':
      return held.length > 0;
    default:
      throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
  }
}

export function matches(issue: SimIssue, expr: JqlExpr, env: JqlEnv): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.items.every((e) => matches(issue, e, env));
    case 'or':
      return expr.items.some((e) => matches(issue, e, env));
    case 'not':
      return !matches(issue, expr.item, env);
    default:
      return clause(issue, expr, env);
  }
}

const SORT_KEYS: Record<string, (i: SimIssue) => number> = {
  updated: (i) => i.updated,
  created: (i) => i.created,
  key: (i) => keyNumber(i.key),
  issuekey: (i) => keyNumber(i.key),
  id: (i) => i.id,
};

/** Sort tuple of an issue: the ORDER BY fields, then id as Jira's stable tie-break. */
export function sortKey(issue: SimIssue, orderBy: JqlOrder[]): number[] {
  return [...orderBy.map((o) => SORT_KEYS[o.field]!(issue)), issue.id];
}

export function compareKeys(a: number[], b: number[], orderBy: JqlOrder[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const diff = a[i]! - b[i]!;
    if (diff !== 0) return orderBy[i]?.dir === 'DESC' ? -diff : diff;
  }
  return 0;
}

const KNOWN_FIELDS = new Set([
  'updated',
  'created',
  'key',
  'issuekey',
  'id',
  'summary',
  'text',
  'project',
  'labels',
  'status',
  'priority',
  'assignee',
  'reporter',
  'issuetype',
  'type',
]);

/** Jira validates field names before it runs a query, even when nothing would match. */
export function checkFields(expr: JqlExpr): void {
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const item of expr.items) checkFields(item);
      return;
    case 'not':
      checkFields(expr.item);
      return;
    default:
      if (!KNOWN_FIELDS.has(expr.field)) {
        throw new JqlError(`Field '${expr.field}' does not exist or you do not have permission to view it.`);
      }
  }
}

export function checkOrderBy(orderBy: JqlOrder[]): void {
  for (const o of orderBy) {
    if (!SORT_KEYS[o.field])
      throw new JqlError(`Field '${o.field}' does not exist or you do not have permission to view it.`);
  }
}
