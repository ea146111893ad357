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

/** `IN` values as a set, parsed once per term (a bulk read sends a hundred ids per query). */
const inSets = new WeakMap<SimTerm, Set<string>>();

/** The lower-cased values of an `IN` / `NOT IN` term. */
export function listValues(term: SimTerm): Set<string> {
  let set = inSets.get(term);
  if (!set) {
    set = new Set(term.value.split(',').map((v) => v.trim().toLowerCase()));
    inSets.set(term, set);
  }
  return set;
}

/** A term's value as a sort key, parsed once per term (a pull compares it with every record). */
const termKeys = new WeakMap<SimTerm, SortKey>();

function compareToTerm(actual: string, term: SimTerm): number {
  let key = termKeys.get(term);
  if (!key) {
    key = sortKey(term.value);
    termKeys.set(term, key);
  }
  return compareKeys(sortKey(actual), key);
}

function matchesTerm(record: Record<string, string>, term: SimTerm): boolean {
  const actual = record[term.field] ?? '';
  const value = term.value;
  switch (term.op) {
    case '=':
      return compareToTerm(actual, term) === 0;
    case '!=':
      return compareToTerm(actual, term) !== 0;
    case '>':
      return actual !== '' && compareToTerm(actual, term) > 0;
    case '>=':
      return actual !== '' && compareToTerm(actual, term) >= 0;
    case '<':
      return actual !== '' && compareToTerm(actual, term) < 0;
    case '<=':
      return actual !== '' && compareToTerm(actual, term) <= 0;
    case 'LIKE':
      return actual.toLowerCase().includes(value.toLowerCase());
    case 'NOT LIKE':
      return !actual.toLowerCase().includes(value.toLowerCase());
    case 'STARTSWITH':
      return actual.toLowerCase().startsWith(value.toLowerCase());
    case 'ENDSWITH':
      return actual.toLowerCase().endsWith(value.toLowerCase());
    case 'IN':
      return listValues(term).has(actual.toLowerCase());
    case 'NOT IN':
      return !listValues(term).has(actual.toLowerCase());
    case 'ISEMPTY':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
  }
}

/** Plain loops: the simulator runs this for every record of a table on every list request. */
export function matchesQuery(record: Record<string, string>, query: SimQuery): boolean {
  for (const groups of query.queries) {
    let all = true;
    for (const group of groups) {
      let any = false;
      for (const term of group) {
        if (matchesTerm(record, term)) {
          any = true;
          break;
        }
      }
      if (!any) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** A value as `compareValues` sees it, computed once per record and field for sorting. */
interface SortKey {
  num: number | null;
  text: string;
}

function sortKey(value: string): SortKey {
  return { num: NUMBER.test(value) ? Number(value) : null, text: value.toLowerCase() };
}

/** `compareValues` over precomputed keys. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a.num !== null && b.num !== null) return Math.sign(a.num - b.num);
  return a.text === b.text ? 0 : a.text < b.text ? -1 : 1;
}

/** Sorts by the query's ORDERBY fields; without any, by sys_id (an order nobody should rely on). */
export function sortRecords<T extends Record<string, string>>(records: T[], orderBy: SimOrder[]): T[] {
  const order = orderBy.length > 0 ? orderBy : [{ field: 'sys_id', desc: false }];
  // Keys are computed once per record, not once per comparison: a pull sorts whole tables.
  const keyed = records.map((record) => ({
    record,
    keys: order.map(({ field }) => sortKey(record[field] ?? '')),
  }));
  keyed.sort((a, b) => {
    for (const [i, { desc }] of order.entries()) {
      const byField = compareKeys(a.keys[i]!, b.keys[i]!);
      if (byField !== 0) return desc ? -byField : byField;
    }
    return 0;
  });
  return keyed.map((k) => k.record);
}
