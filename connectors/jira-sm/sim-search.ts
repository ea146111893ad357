/**
 * `/rest/api/3/search/jql`: JQL in, a page of issues and a `nextPageToken` out (no `total`; the
 * token is absent on the last page). Jira does not document what the token encodes, so the
 * simulator offers both readings: `keyset` (default; the token is the sort position of the
 * last issue served) and `offset` (an index into the query re-run on every page, the pessimistic
 * model in which an issue changed mid-pull shifts the others).
 */
import { JqlError, parseJql } from './sim-jql.ts';
import { checkFields, checkOrderBy, compareKeys, matches, sortKey } from './sim-jql-eval.ts';
import { ISSUE_FIELD_NAMES, type RenderEnv, renderIssue } from './sim-render.ts';

export type PageTokenMode = 'keyset' | 'offset';

export interface SearchParams {
  jql: unknown;
  fields: unknown;
  maxResults: unknown;
  nextPageToken: unknown;
}

interface Token {
  q: string;
  k?: number[];
  o?: number;
}

const encodeToken = (t: Token) => Buffer.from(JSON.stringify(t)).toString('base64url');

function decodeToken(raw: string, jql: string): Token {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Token;
    if (t.q === jql && (Array.isArray(t.k) || typeof t.o === 'number')) return t;
  } catch {
    // fall through
  }
  throw new JqlError('The provided next page token is invalid or expired.');
}

function fieldPicker(fields: unknown): (name: string) => boolean {
  const list = (Array.isArray(fields) ? fields.map(String) : String(fields ?? '').split(','))
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (list.includes('*all') || list.includes('*navigable')) return (name) => !list.includes(`-${name}`);
  return (name) => list.includes(name);
}

export function runSearch(env: RenderEnv, params: SearchParams, mode: PageTokenMode) {
  const jql = typeof params.jql === 'string' ? params.jql : '';
  const query = parseJql(jql);
  if (query.where === null) {
    throw new JqlError(
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    );
  }
  checkFields(query.where);
  checkOrderBy(query.orderBy);
  const jqlEnv = { timeZone: env.viewer.timeZone, now: env.store.now() };
  const where = query.where;
  const keyed = [...env.store.issues.values()]
    .filter((issue) => matches(issue, where, jqlEnv))
    .map((issue) => ({ issue, key: sortKey(issue, query.orderBy) }))
    .sort((a, b) => compareKeys(a.key, b.key, query.orderBy));

  const pick = fieldPicker(params.fields);
  const anyField = ISSUE_FIELD_NAMES.some(pick);
  const requested = Number(params.maxResults ?? 50);
  // Jira silently lowers maxResults: 100 issues with fields, 5000 ids.
  const max = Math.max(1, Math.min(Number.isFinite(requested) ? requested : 50, anyField ? 100 : 5000));

  let start = 0;
  if (typeof params.nextPageToken === 'string' && params.nextPageToken !== '') {
    const token = decodeToken(params.nextPageToken, jql);
    start = token.k ? keyed.findIndex((row) => compareKeys(row.key, token.k!, query.orderBy) > 0) : token.o!;
    if (start < 0) start = keyed.length;
  }
  const rows = keyed.slice(start, start + max);
  const isLast = start + rows.length >= keyed.length;
  const last = rows.at(-1);
  const token: Token | null =
    isLast || !last ? null : mode === 'keyset' ? { q: jql, k: last.key } : { q: jql, o: start + rows.length };
  const issues = rows.map(({ issue }) =>
    anyField ? renderIssue(env, issue, pick) : { id: String(issue.id) },
  );
  return { issues, ...(token ? { nextPageToken: encodeToken(token) } : {}), isLast };
}
