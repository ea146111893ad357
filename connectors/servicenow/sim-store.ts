/**
 * The simulated instance's data: tables of string records, the clock, incident numbers, and the
 * platform behaviour of an incident write (journal appends, priority lookup, state policies,
 * sys_* fields). Changes are announced to listeners, which is how the Business Rule fires.
 */
import { randomBytes } from 'node:crypto';
import { dataPolicy, noRecord } from './sim-errors.ts';
import {
  INCIDENT_TABLE,
  priorityFor,
  SEED_COMPANIES,
  SEED_GROUP,
  SEED_USERS,
  SIM_TABLES,
  type SimRecord,
} from './sim-tables.ts';

export interface SimActor {
  sys_id: string;
  user_name: string;
}

export interface SimChange {
  table: string;
  sys_id: string;
  operation: 'insert' | 'update' | 'delete';
  actor: SimActor;
}

export const newSysId = () => randomBytes(16).toString('hex');

export function toGlide(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

const MANDATORY: Record<string, Array<[field: string, label: string]>> = {
  '3': [['hold_reason', 'On hold reason']],
  '6': [
    ['close_code', 'Resolution code'],
    ['close_notes', 'Resolution notes'],
  ],
  '7': [
    ['close_code', 'Resolution code'],
    ['close_notes', 'Resolution notes'],
  ],
};

export function createSimStore(now: () => Date) {
  const tables = new Map<string, Map<string, SimRecord>>(
    Object.keys(SIM_TABLES).map((name) => [name, new Map()]),
  );
  const listeners: Array<(change: SimChange) => void> = [];
  // Journal entries by incident (lower-cased element_id), as the instance indexes them: a bulk read
  // of a page of incidents must not scan the whole journal once per query.
  const journalByElement = new Map<string, SimRecord[]>();
  let nextNumber = 10001;

  const table = (name: string) => tables.get(name) ?? new Map<string, SimRecord>();
  const stamp = (actor: SimActor): SimRecord => ({
    sys_updated_on: toGlide(now()),
    sys_updated_by: actor.user_name,
  });

  function insertRaw(name: string, fields: SimRecord, actor: SimActor): SimRecord {
    const record: SimRecord = {
      ...fields,
      sys_id: fields['sys_id'] || newSysId(),
      sys_created_on: toGlide(now()),
      sys_created_by: actor.user_name,
      sys_mod_count: '0',
      ...stamp(actor),
    };
    table(name).set(record['sys_id']!, record);
    if (name === 'sys_journal_field') {
      const key = (record['element_id'] ?? '').toLowerCase();
      const entries = journalByElement.get(key);
      if (entries) entries.push(record);
      else journalByElement.set(key, [record]);
    }
    return record;
  }

  const system: SimActor = { sys_id: '', user_name: 'system' };
  for (const u of SEED_USERS) {
    insertRaw(
      'sys_user',
      { ...u, name: `${u.first_name} ${u.last_name}`, active: 'true', title: '' },
      system,
    );
  }
  const group = insertRaw('sys_user_group', { ...SEED_GROUP, description: '', active: 'true' }, system);
  for (const company of SEED_COMPANIES) insertRaw('core_company', { ...company, customer: 'true' }, system);

  function appendJournal(incident: SimRecord, element: string, value: string, actor: SimActor) {
    insertRaw(
      'sys_journal_field',
      { element, element_id: incident['sys_id']!, name: 'incident', value },
      actor,
    );
  }

  /** The platform side of an incident insert or update; returns the fields that changed. */
  function applyIncident(
    current: SimRecord,
    input: Record<string, unknown>,
    actor: SimActor,
    isInsert: boolean,
  ) {
    const next: SimRecord = { ...current };
    const journal: Array<[string, string]> = [];
    for (const [field, raw] of Object.entries(input)) {
      if (!INCIDENT_TABLE.fields.includes(field) || field.startsWith('sys_') || field === 'number') continue;
      const value = raw === null || raw === undefined ? '' : String(raw);
      if (INCIDENT_TABLE.journals.includes(field)) {
        if (value.trim() !== '') journal.push([field, value]);
      } else next[field] = value;
    }
    // The Priority Lookup rule runs when impact or urgency change; a bare `priority` write is kept.
    if ('impact' in input || 'urgency' in input || (isInsert && !('priority' in input))) {
      next['priority'] = priorityFor(next['impact'] ?? '', next['urgency'] ?? '') ?? next['priority'] ?? '5';
    }
    const state = next['state'] ?? '1';
    const missing = (MANDATORY[state] ?? []).filter(([field]) => !next[field]);
    if (state !== current['state'] && missing.length > 0) throw dataPolicy(missing.map(([, label]) => label));
    if (state !== '3') next['hold_reason'] = '';
    if (state !== current['state']) {
      if (state === '6') Object.assign(next, { resolved_at: toGlide(now()), resolved_by: actor.sys_id });
      if (state === '7') next['closed_at'] = toGlide(now());
    }
    next['incident_state'] = state;
    next['active'] = state === '7' || state === '8' ? 'false' : 'true';
    const changed = Object.keys(next).filter((k) => next[k] !== current[k]);
    return { next, journal, changed };
  }

  function emit(change: SimChange) {
    for (const listener of listeners) listener(change);
  }

  const blankIncident = (): SimRecord =>
    Object.fromEntries(INCIDENT_TABLE.fields.filter((f) => !f.startsWith('sys_')).map((f) => [f, '']));

  function createIncident(input: Record<string, unknown>, actor: SimActor): SimRecord {
    const base: SimRecord = {
      ...blankIncident(),
      number: `INC${String(nextNumber++).padStart(7, '0')}`,
      state: '1',
      impact: '3',
      urgency: '3',
      opened_at: toGlide(now()),
      opened_by: actor.sys_id,
    };
    const { next, journal } = applyIncident(base, input, actor, true);
    const record = insertRaw('incident', next, actor);
    for (const [element, value] of journal) appendJournal(record, element, value, actor);
    emit({ table: 'incident', sys_id: record['sys_id']!, operation: 'insert', actor });
    return record;
  }

  /** An update; like the platform, a write that changes nothing leaves sys_updated_on alone. */
  function updateIncident(sysId: string, input: Record<string, unknown>, actor: SimActor): SimRecord {
    const current = table('incident').get(sysId);
    if (!current) throw noRecord();
    const { next, journal, changed } = applyIncident(current, input, actor, false);
    if (changed.length === 0 && journal.length === 0) return current;
    const record: SimRecord = {
      ...next,
      ...stamp(actor),
      sys_mod_count: String(Number(current['sys_mod_count'] ?? 0) + 1),
    };
    table('incident').set(sysId, record);
    for (const [element, value] of journal) appendJournal(record, element, value, actor);
    emit({ table: 'incident', sys_id: sysId, operation: 'update', actor });
    return record;
  }

  function deleteIncident(sysId: string, actor: SimActor) {
    if (!table('incident').delete(sysId)) throw noRecord();
    emit({ table: 'incident', sys_id: sysId, operation: 'delete', actor });
  }

  return {
    now,
    groupId: group['sys_id']!,
    table,
    get: (name: string, sysId: string) => table(name).get(sysId),
    list: (name: string) => [...table(name).values()],
    /**
     * Records whose `field` may equal one of `values` (a superset: the caller still applies the
     * query), from an index; undefined when the table keeps no index on that field.
     */
    indexed(name: string, field: string, values: Iterable<string>): SimRecord[] | undefined {
      if (name !== 'sys_journal_field' || field !== 'element_id') return undefined;
      const out: SimRecord[] = [];
      for (const value of new Set([...values].map((v) => v.trim().toLowerCase())))
        out.push(...(journalByElement.get(value) ?? []));
      return out;
    },
    insertRaw,
    createIncident,
    updateIncident,
    deleteIncident,
    userByName: (userName: string) =>
      [...table('sys_user').values()].find((u) => u['user_name'] === userName),
    userByEmail: (email: string) =>
      [...table('sys_user').values()].find((u) => u['email']?.toLowerCase() === email.toLowerCase()),
    onChange: (fn: (change: SimChange) => void) => listeners.push(fn),
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
