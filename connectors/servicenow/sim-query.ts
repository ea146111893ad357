/**
 * The simulator's encoded-query (`sysparm_query`) parser and evaluator.
 *
 * Grammar as the Table API reads it: terms joined by `^` (AND); a term starting `OR` joins the
 * previous term (`^OR` binds tighter than `^`: `a^b^ORc` is `a AND (b OR c)`); `^NQ` starts a new
 * query ORed with the rest; `ORDERBY<field>` / `ORDERBYDESC<field>` sort. A term is a lower-case
 * field name, an upper-case operator and a value. Like an instance with the default
 * `glide.invalid_query.returns_no_rows=false`, a term naming an unknown field is dropped silently.
 */

export type SimOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'IN'
  | 'NOT IN'
  | 'ISEMPTY'
  | 'ISNOTEMPTY';

export interface SimTerm {
  field: string;
  op: SimOperator;
  value: string;
}

export interface SimOrder {
  field: string;
  desc: boolean;
}

export interface SimQuery {
  /** OR of `^NQ` queries, each an AND of OR-groups of terms. */
  queries: SimTerm[][][];
  orderBy: SimOrder[];
  /** Terms that named fields the table does not have (dropped, as the instance does). */
  ignored: string[];
}

// Longest first, so `>=` wins over `>` and `NOT LIKE` over `LIKE`.
const OPERATORS: SimOperator[] = [
  'ISNOTEMPTY',
  'STARTSWITH',
  'NOT LIKE',
  'ENDSWITH',
  'ISEMPTY',
  'NOT IN',
  'LIKE',
  '!=',
  '>=',
  '<=',
  'IN',
  '=',
  '>',
  '<',
];

export class SimQueryError extends Error {}

function parseTerm(text: string): SimTerm {
  const field = /^[a-z0-9_.]+/.exec(text)?.[0];
  if (!field) throw new SimQueryError(`cannot read the query term "${text}"`);
  const rest = text.slice(field.length);
  const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (!op) throw new SimQueryError(`no operator in the query term "${text}"`);
  return { field, op, value: rest.slice(op.length) };
}

export function parseEncodedQuery(raw: string, knownFields: ReadonlySet<string>): SimQuery {
  const orderBy: SimOrder[] = [];
  const ignored: string[] = [];
  const queries: SimTerm[][][] = [];
  for (const part of raw.split('^NQ')) {
    const groups: SimTerm[][] = [];
    for (const token of part.split('^')) {
      if (token === '' || token === 'EQ') continue;
      if (token.startsWith('ORDERBYDESC')) orderBy.push({ field: token.slice(11), desc: true });
      else if (token.startsWith('ORDERBY')) orderBy.push({ field: token.slice(7), desc: false });
      else {
        const isOr = token.startsWith('OR') && groups.length > 0;
        const term = parseTerm(isOr ? token.slice(2) : token);
        if (!knownFields.has(term.field)) {
          ignored.push(token);
          continue;
        }
        if (isOr) groups.at(-1)?.push(term);
        else groups.push([term]);
      }
    }
    queries.push(groups);
  }
  return { queries, orderBy, ignored };
}

const NUMBER = /^-?\d{1,15}(\.\d+)?$/;

/** Numbers compare as numbers (state, priority), everything else as text (glide date-times sort as text). */
export function compareValues(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Math.sign(Number(a) - Number(b));
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y ? 0 : x < y ? -1 : 1;
}

function matchesTerm(record: Record<string, string>, term: SimTerm): boolean {
  const actual = record[term.field] ?? '';
  const value = term.value;
  const lower = actual.toLowerCase();
  const list = () => value.split(',').map((v) => v.trim().toLowerCase());
  switch (term.op) {
    case '=':
      return compareValues(actual, value) === 0;
    case '!=':
      return compareValues(actual, value) !== 0;
    case '>':
      return actual !== '' && compareValues(actual, value) > 0;
    case '>=':
      return actual !== '' && compareValues(actual, value) >= 0;
    case '<':
      return actual !== '' && compareValues(actual, value) < 0;
    case '<=':
      return actual !== '' && compareValues(actual, value) <= 0;
    case 'LIKE':
      return lower.includes(value.toLowerCase());
    case 'NOT LIKE':
      return !lower.includes(value.toLowerCase());
    case 'STARTSWITH':
      return lower.startsWith(value.toLowerCase());
    case 'ENDSWITH':
      return lower.endsWith(value.toLowerCase());
    case 'IN':
      return list().includes(lower);
    case 'NOT IN':
      return !list().includes(lower);
    case 'ISEMPTY':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
  }
}

export function matchesQuery(record: Record<string, string>, query: SimQuery): boolean {
  return query.queries.some((groups) =>
    groups.every((group) => group.some((term) => matchesTerm(record, term))),
  );
}

/** Sorts by the query's ORDERBY fields; without any, by sys_id (an order nobody should rely on). */
export function sortRecords<T extends Record<string, string>>(records: T[], orderBy: SimOrder[]): T[] {
  const order = orderBy.length > 0 ? orderBy : [{ field: 'sys_id', desc: false }];
  return [...records].sort((a, b) => {
    for (const { field, desc } of order) {
      const byField = compareValues(a[field] ?? '', b[field] ?? '');
      if (byField !== 0) return desc ? -byField : byField;
    }
    return 0;
  });
}
