/**
 * The simulator's evaluator for Autotask's filter grammar (`filter.ts`). Like Autotask's SQL
 * Server backend, string comparisons ignore case; datetimes compare as instants; booleans match
 * 1/0. Unknown operators and malformed items are refused the way Autotask refuses them: HTTP 500
 * with `{errors}` (exact wording UNCONFIRMED). An `in`/`notIn` list holds at most 500 values
 * (Autotask documents 500 OR conditions per query for SOAP; the REST cap is UNCONFIRMED).
 *
 * A filter is compiled once per query (lists become sets) so that bulk reads over a large
 * simulated database stay fast; validation still happens per record, as before.
 */
import { AT_COMPARISON_OPS, type AtFilter, type AtScalar } from './filter.ts';
import { invalid } from './sim-errors.ts';

export type SimRecord = Record<string, unknown>;

/** The most values one `in`/`notIn` condition may list (UNCONFIRMED for REST). */
export const MAX_IN_VALUES = 500;

/** A record field by name, ignoring case; `udf` reads `userDefinedFields` instead. */
function fieldOf(record: SimRecord, field: string, udf: boolean): unknown {
  if (udf) {
    const udfs = (record['userDefinedFields'] as Array<{ name: string; value: unknown }> | undefined) ?? [];
    return udfs.find((u) => u.name.toLowerCase() === field.toLowerCase())?.value ?? null;
  }
  if (field in record) return record[field];
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  if (key === undefined) throw invalid(`Unable to find ${field} in the entity's field list.`);
  return record[key];
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$/;

function normalise(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  const text = String(value);
  if (ISO.test(text)) return Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(text) ? text : `${text}Z`);
  return text.toLowerCase();
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' && typeof b === 'string' && /^-?\d+(\.\d+)?$/.test(b)) return a - Number(b);
  return String(a).localeCompare(String(b));
}

/** `expected` is already prepared: a set for `in`/`notIn`, a normalised scalar otherwise. */
function test(op: string, actual: unknown, expected: ReadonlySet<unknown> | string | number | null): boolean {
  const left = normalise(actual);
  if (op === 'exist') return left !== null && left !== '';
  if (op === 'notExist') return left === null || left === '';
  if (op === 'in' || op === 'notIn') {
    const hit = left !== null && (expected as ReadonlySet<unknown>).has(left);
    return op === 'in' ? hit : !hit;
  }
  const right = expected as string | number | null;
  if (left === null || right === null) return op === 'noteq' ? left !== right : op === 'eq' && left === right;
  const order = compare(left, right);
  switch (op) {
    case 'eq':
      return order === 0;
    case 'noteq':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    case 'beginsWith':
      return String(left).startsWith(String(right));
    case 'endsWith':
      return String(left).endsWith(String(right));
    case 'contains':
      return String(left).includes(String(right));
    default:
      throw invalid(`Invalid operator ${op}.`);
  }
}

/**
 * The values of an `in` list as a set of the forms `compare` treats as equal: a number also under
 * its text, a numeric text also as its number.
 */
function valueSet(op: string, value: unknown): ReadonlySet<unknown> {
  if (!Array.isArray(value)) throw invalid(`The ${op} operator needs an array value.`);
  if (value.length > MAX_IN_VALUES)
    throw invalid(`The ${op} operator takes at most ${MAX_IN_VALUES} values.`);
  const set = new Set<unknown>();
  for (const v of value) {
    const n = normalise(v) ?? '';
    set.add(n);
    if (typeof n === 'number') set.add(String(n));
    else if (/^-?\d+(\.\d+)?$/.test(n)) set.add(Number(n));
  }
  return set;
}

function scalarOf(op: string, value: unknown): string | number | null {
  if (Array.isArray(value)) throw invalid(`The ${op} operator takes a single value.`);
  return normalise(value as AtScalar | undefined);
}

type Predicate = (record: SimRecord) => boolean;

function compileOne(item: AtFilter): Predicate {
  if (typeof item !== 'object' || item === null) throw invalid('Invalid filter item.');
  const op = String((item as { op?: unknown }).op ?? '');
  if (op.toLowerCase() === 'and' || op.toLowerCase() === 'or') {
    const items = (item as { items?: unknown }).items;
    if (!Array.isArray(items) || items.length === 0) throw invalid(`The ${op} grouping needs items.`);
    const parts = (items as AtFilter[]).map(compileOne);
    return op.toLowerCase() === 'and'
      ? (record) => parts.map((p) => p(record)).every(Boolean)
      : (record) => parts.map((p) => p(record)).some(Boolean);
  }
  if (!(AT_COMPARISON_OPS as readonly string[]).includes(op)) throw invalid(`Invalid operator ${op}.`);
  const { field, value, udf } = item as { field?: unknown; value?: unknown; udf?: unknown };
  if (typeof field !== 'string' || field === '') throw invalid('A filter condition needs a field.');
  if (value === undefined && op !== 'exist' && op !== 'notExist')
    throw invalid(`The ${op} operator needs a value.`);
  const expected = op === 'in' || op === 'notIn' ? valueSet(op, value) : scalarOf(op, value);
  return (record) => test(op, fieldOf(record, field, udf === true), expected);
}

/** A predicate for `filter` (top-level items are ANDed); malformed filters are refused at once. */
export function compileFilter(filter: unknown): Predicate {
  if (!Array.isArray(filter) || filter.length === 0) throw invalid('A query needs at least one filter item.');
  const parts = (filter as AtFilter[]).map(compileOne);
  return (record) => parts.every((p) => p(record));
}

/** Whether `record` matches every top-level item (top-level items are ANDed). */
export function matchesFilter(record: SimRecord, filter: unknown): boolean {
  return compileFilter(filter)(record);
}
