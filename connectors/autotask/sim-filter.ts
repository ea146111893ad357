/**
 * The simulator's evaluator for Autotask's filter grammar (`filter.ts`). Like Autotask's SQL
 * Server backend, string comparisons ignore case; datetimes compare as instants; booleans match
 * 1/0. Unknown operators and malformed items are refused the way Autotask refuses them: HTTP 500
 * with `{errors}` (exact wording UNCONFIRMED).
 */
import { AT_COMPARISON_OPS, type AtFilter, type AtScalar } from './filter.ts';
import { invalid } from './sim-errors.ts';

export type SimRecord = Record<string, unknown>;

/** A record field by name, ignoring case; `udf` reads `userDefinedFields` instead. */
function fieldOf(record: SimRecord, field: string, udf: boolean): unknown {
  if (udf) {
    const udfs = (record['userDefinedFields'] as Array<{ name: string; value: unknown }> | undefined) ?? [];
    return udfs.find((u) => u.name.toLowerCase() === field.toLowerCase())?.value ?? null;
  }
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

function test(op: string, actual: unknown, expected: unknown): boolean {
  const left = normalise(actual);
  if (op === 'exist') return left !== null && left !== '';
  if (op === 'notExist') return left === null || left === '';
  if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(expected)) throw invalid(`The ${op} operator needs an array value.`);
    const hit = expected.some((v) => left !== null && compare(left, normalise(v) ?? '') === 0);
    return op === 'in' ? hit : !hit;
  }
  if (Array.isArray(expected)) throw invalid(`The ${op} operator takes a single value.`);
  const right = normalise(expected as AtScalar);
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

function matchesOne(record: SimRecord, item: AtFilter): boolean {
  if (typeof item !== 'object' || item === null) throw invalid('Invalid filter item.');
  const op = String((item as { op?: unknown }).op ?? '');
  if (op.toLowerCase() === 'and' || op.toLowerCase() === 'or') {
    const items = (item as { items?: unknown }).items;
    if (!Array.isArray(items) || items.length === 0) throw invalid(`The ${op} grouping needs items.`);
    const results = (items as AtFilter[]).map((sub) => matchesOne(record, sub));
    return op.toLowerCase() === 'and' ? results.every(Boolean) : results.some(Boolean);
  }
  if (!(AT_COMPARISON_OPS as readonly string[]).includes(op)) throw invalid(`Invalid operator ${op}.`);
  const { field, value, udf } = item as { field?: unknown; value?: unknown; udf?: unknown };
  if (typeof field !== 'string' || field === '') throw invalid('A filter condition needs a field.');
  if (value === undefined && op !== 'exist' && op !== 'notExist')
    throw invalid(`The ${op} operator needs a value.`);
  return test(op, fieldOf(record, field, udf === true), value);
}

/** Whether `record` matches every top-level item (top-level items are ANDed). */
export function matchesFilter(record: SimRecord, filter: unknown): boolean {
  if (!Array.isArray(filter) || filter.length === 0) throw invalid('A query needs at least one filter item.');
  return filter.every((item) => matchesOne(record, item as AtFilter));
}
