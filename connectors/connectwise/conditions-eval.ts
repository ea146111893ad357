/**
 * Evaluating parsed `conditions` and `orderBy` against JSON records, the way the simulator
 * filters and sorts. Pure.
 */
import { type CwCondition, CwConditionSyntaxError, type CwConditionValue } from './conditions.ts';

type Json = Record<string, unknown>;

/**
 * Read `board/name` style paths. CW filters on `lastUpdated` and `dateEntered` although their
 * values live in `_info`, so a top-level miss falls back to `_info`.
 */
export function resolveCwField(record: Json, path: string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const key = Object.keys(record).find((k) => k.toLowerCase() === head.toLowerCase());
  let current: unknown = key === undefined ? undefined : record[key];
  if (current === undefined && rest.length === 0 && isObject(record['_info'])) {
    current = resolveCwField(record['_info'], [head]);
  }
  if (rest.length === 0 || current === undefined || current === null) return current;
  return isObject(current) ? resolveCwField(current, rest) : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wildcardRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*');
  return new RegExp(`^${escaped}$`, 'is');
}

/** -1/0/1 when comparable, undefined when the record value cannot be compared with `value`. */
function compareValues(actual: unknown, value: CwConditionValue): number | undefined {
  if (actual === undefined || actual === null || isObject(actual)) return undefined;
  switch (value.kind) {
    case 'datetime': {
      const ms = new Date(String(actual)).getTime();
      return Number.isNaN(ms) ? undefined : Math.sign(ms - value.value.getTime());
    }
    case 'number': {
      const n = Number(actual);
      return Number.isNaN(n) ? undefined : Math.sign(n - value.value);
    }
    case 'boolean':
      return typeof actual === 'boolean' ? Number(actual) - Number(value.value) : undefined;
    case 'string': {
      const a = String(actual).toLowerCase();
      const b = value.value.toLowerCase();
      return a === b ? 0 : a < b ? -1 : 1;
    }
    default:
      return undefined;
  }
}

function equals(actual: unknown, value: CwConditionValue): boolean {
  if (value.kind === 'null') return actual === undefined || actual === null;
  // A missing flag reads as false, as CW returns booleans defaulted.
  if (value.kind === 'boolean' && actual === undefined) return value.value === false;
  return compareValues(actual, value) === 0;
}

function evalCompare(record: Json, c: Extract<CwCondition, { type: 'compare' }>): boolean {
  const actual = resolveCwField(record, c.field);
  const { value } = c;
  switch (c.op) {
    case '=':
      return equals(actual, value);
    case '!=':
      return !equals(actual, value);
    case 'in':
    case 'not in': {
      const items = value.kind === 'list' ? value.items : [value];
      const hit = items.some((item) => equals(actual, item));
      return c.op === 'in' ? hit : !hit;
    }
    case 'contains':
    case 'like': {
      if (value.kind !== 'string') throw new CwConditionSyntaxError(`${c.op} needs a string`);
      if (typeof actual !== 'string') return false;
      return c.op === 'contains'
        ? actual.toLowerCase().includes(value.value.toLowerCase())
        : wildcardRegex(value.value).test(actual);
    }
    default: {
      const cmp = compareValues(actual, value);
      if (cmp === undefined) return false;
      if (c.op === '<') return cmp < 0;
      if (c.op === '>') return cmp > 0;
      if (c.op === '<=') return cmp <= 0;
      return cmp >= 0;
    }
  }
}

export function evaluateCwCondition(record: Json, condition: CwCondition): boolean {
  if (condition.type === 'compare') return evalCompare(record, condition);
  const left = evaluateCwCondition(record, condition.left);
  if (condition.type === 'and') return left && evaluateCwCondition(record, condition.right);
  return left || evaluateCwCondition(record, condition.right);
}

export interface CwOrderTerm {
  field: string[];
  desc: boolean;
}

/** Parse `orderBy` such as `lastUpdated asc, id asc`. */
export function parseCwOrderBy(input: string): CwOrderTerm[] {
  return input
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z_][\w]*(?:\/[A-Za-z_][\w]*)*)(?:\s+(asc|desc))?$/i.exec(part);
      if (!m?.[1]) throw new CwConditionSyntaxError(`bad orderBy term '${part}'`);
      return { field: m[1].split('/'), desc: m[2]?.toLowerCase() === 'desc' };
    });
}

function sortKey(v: unknown): number | string | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string') {
    // ISO datetimes sort by instant, everything else case-insensitively.
    if (/^\d{4}-\d\d-\d\dT/.test(v)) return new Date(v).getTime();
    return v.toLowerCase();
  }
  return undefined;
}

export function compareByCwOrder(terms: CwOrderTerm[]): (a: Json, b: Json) => number {
  return (a, b) => {
    for (const term of terms) {
      const ka = sortKey(resolveCwField(a, term.field));
      const kb = sortKey(resolveCwField(b, term.field));
      if (ka === kb) continue;
      // Missing values sort first, as NULLs do on SQL Server.
      const cmp = ka === undefined ? -1 : kb === undefined ? 1 : ka < kb ? -1 : 1;
      return term.desc ? -cmp : cmp;
    }
    return 0;
  };
}
