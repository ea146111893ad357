/**
 * Autotask's query filter grammar, shared by the connector (to build queries) and the simulator
 * (to evaluate them): `{op, field, value}` conditions and `{op: 'and'|'or', items}` groups.
 * Operators from @apigrate/autotask-restapi's `FilterOperators`; `udf: true` marks a user-defined
 * field (that flag's exact shape is UNCONFIRMED).
 */

export const AT_COMPARISON_OPS = [
  'eq',
  'noteq',
  'gt',
  'gte',
  'lt',
  'lte',
  'beginsWith',
  'endsWith',
  'contains',
  'exist',
  'notExist',
  'in',
  'notIn',
] as const;
export type AtComparisonOp = (typeof AT_COMPARISON_OPS)[number];

export type AtScalar = string | number | boolean | null;

export interface AtCondition {
  op: AtComparisonOp;
  field: string;
  value?: AtScalar | AtScalar[];
  udf?: boolean;
}

export interface AtGroup {
  op: 'and' | 'or';
  items: AtFilter[];
}

export type AtFilter = AtCondition | AtGroup;

/** The body of `POST /{Entity}/query` (and of its `nextPageUrl`). */
export interface AtQueryBody {
  MaxRecords?: number;
  IncludeFields?: string[];
  filter: AtFilter[];
}

export const eq = (field: string, value: AtScalar): AtCondition => ({ op: 'eq', field, value });
export const cmp = (op: AtComparisonOp, field: string, value?: AtScalar | AtScalar[]): AtCondition =>
  value === undefined ? { op, field } : { op, field, value };
export const and = (...items: AtFilter[]): AtGroup => ({ op: 'and', items });
export const or = (...items: AtFilter[]): AtGroup => ({ op: 'or', items });
