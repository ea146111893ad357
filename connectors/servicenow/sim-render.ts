/**
 * How the Table API renders a record: `sysparm_fields` picks fields; `sysparm_display_value`
 * `false` (default) gives raw values, `true` labels and display names, `all` both as
 * `{ display_value, value }`; references carry a `link` unless `sysparm_exclude_reference_link=true`.
 * Journal fields read as '' (their entries live on sys_journal_field).
 */
import type { SimStore } from './sim-store.ts';
import type { SimRecord, SimTable } from './sim-tables.ts';

export interface RenderOptions {
  fields: string[] | null;
  displayValue: 'false' | 'true' | 'all';
  excludeReferenceLink: boolean;
  /** `https://instance` part of reference links. */
  origin: string;
}

export function parseRenderOptions(params: URLSearchParams, origin: string): RenderOptions {
  const rawFields = params.get('sysparm_fields');
  const display = (params.get('sysparm_display_value') ?? 'false').toLowerCase();
  return {
    fields: rawFields
      ? rawFields
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : null,
    displayValue: display === 'true' || display === 'all' ? display : 'false',
    excludeReferenceLink: (params.get('sysparm_exclude_reference_link') ?? 'false').toLowerCase() === 'true',
    origin,
  };
}

function displayOf(store: SimStore, table: SimTable, field: string, value: string): string {
  const refTable = table.references[field];
  if (refTable) {
    const target = store.get(refTable, value);
    return target ? (target['name'] ?? target['number'] ?? value) : '';
  }
  return table.choices[field]?.[value] ?? value;
}

function renderField(
  store: SimStore,
  table: SimTable,
  record: SimRecord,
  field: string,
  opts: RenderOptions,
): unknown {
  const value = table.journals.includes(field) ? '' : (record[field] ?? '');
  const refTable = table.references[field];
  const link =
    refTable && value && !opts.excludeReferenceLink
      ? `${opts.origin}/api/now/table/${refTable}/${value}`
      : null;
  if (opts.displayValue === 'all') {
    const shown = { display_value: displayOf(store, table, field, value), value };
    return link ? { ...shown, link } : shown;
  }
  const shown = opts.displayValue === 'true' ? displayOf(store, table, field, value) : value;
  // An empty reference is '' even with links on.
  return link ? (opts.displayValue === 'true' ? { display_value: shown, link } : { link, value }) : shown;
}

export function renderRecord(
  store: SimStore,
  table: SimTable,
  record: SimRecord,
  opts: RenderOptions,
): Record<string, unknown> {
  const fields = opts.fields ?? table.fields;
  const out: Record<string, unknown> = {};
  // Unknown names in sysparm_fields are left out, as the instance does.
  for (const field of fields)
    if (table.fields.includes(field)) out[field] = renderField(store, table, record, field, opts);
  return out;
}
