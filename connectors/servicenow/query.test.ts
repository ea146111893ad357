/**
 * Encoded queries on both sides: what the connector writes (keyset, escaping, date-times) and how
 * the simulator reads it (precedence of ^OR and ^, ^NQ, operators, ORDERBY, unknown fields dropped).
 */
import { describe, expect, it } from 'vitest';
import { afterKey, andQuery, inList, parseGlideDateTime, queryValue, toGlideDateTime } from './query.ts';
import { matchesQuery, parseEncodedQuery, SimQueryError, sortRecords } from './sim-query.ts';

const FIELDS = new Set(['sys_id', 'sys_updated_on', 'state', 'short_description', 'element', 'priority']);
const match = (query: string, record: Record<string, string>) =>
  matchesQuery(record, parseEncodedQuery(query, FIELDS));

describe('connector-side query building', () => {
  it('formats and reads glide date-times in UTC without a zone marker', () => {
    expect(toGlideDateTime(new Date('2024-05-03T16:40:51.987Z'))).toBe('2024-05-03 16:40:51');
    expect(parseGlideDateTime('2024-05-03 16:40:51')).toEqual(new Date('2024-05-03T16:40:51Z'));
    expect(() => parseGlideDateTime('yesterday')).toThrow(/date-time/);
  });

  it('refuses values that would break out of a term', () => {
    expect(() => queryValue('a^ORactive=true')).toThrow();
    expect(() => inList('sys_id', ['a,b'])).toThrow();
    expect(andQuery('a=1', '', undefined, 'b=2')).toBe('a=1^b=2');
  });
});

describe('the simulator parser', () => {
  it('binds ^OR tighter than ^, so the keyset term means ts >= T and (ts > T or id > X)', () => {
    const q = afterKey({ ts: '2024-05-03 16:40:51', id: 'bbbb' });
    expect(match(q, { sys_updated_on: '2024-05-03 16:40:51', sys_id: 'cccc' })).toBe(true);
    expect(match(q, { sys_updated_on: '2024-05-03 16:40:51', sys_id: 'aaaa' })).toBe(false);
    expect(match(q, { sys_updated_on: '2024-05-03 16:40:51', sys_id: 'bbbb' })).toBe(false);
    expect(match(q, { sys_updated_on: '2024-05-03 16:40:52', sys_id: 'aaaa' })).toBe(true);
    expect(match(q, { sys_updated_on: '2024-05-03 16:40:50', sys_id: 'ffff' })).toBe(false);
  });

  it('ORs whole queries with ^NQ', () => {
    expect(match('state=1^priority=1^NQstate=2', { state: '2', priority: '5' })).toBe(true);
    expect(match('state=1^priority=1^NQstate=2', { state: '1', priority: '5' })).toBe(false);
  });

  it('reads the operators, numbers as numbers and the IN list', () => {
    expect(match('state>=3', { state: '10' })).toBe(true);
    expect(match('state!=3', { state: '3' })).toBe(false);
    expect(match('short_descriptionLIKEvpn', { short_description: 'The VPN drops' })).toBe(true);
    expect(match('short_descriptionNOT LIKEvpn', { short_description: 'The VPN drops' })).toBe(false);
    expect(match('short_descriptionSTARTSWITHthe', { short_description: 'The VPN drops' })).toBe(true);
    expect(match('elementINcomments,work_notes', { element: 'work_notes' })).toBe(true);
    expect(match('elementINcomments,work_notes', { element: 'close_notes' })).toBe(false);
    expect(match('priorityISEMPTY', { priority: '' })).toBe(true);
  });

  it('drops terms on unknown fields silently, as an instance does by default', () => {
    const parsed = parseEncodedQuery('stat=1^state=2', FIELDS);
    expect(parsed.ignored).toEqual(['stat=1']);
    expect(matchesQuery({ state: '2' }, parsed)).toBe(true);
  });

  it('sorts by ORDERBY and ORDERBYDESC fields in turn', () => {
    const rows = [
      { sys_updated_on: '2024-01-02 00:00:00', sys_id: 'b' },
      { sys_updated_on: '2024-01-01 00:00:00', sys_id: 'c' },
      { sys_updated_on: '2024-01-02 00:00:00', sys_id: 'a' },
    ];
    const asc = parseEncodedQuery('ORDERBYsys_updated_on^ORDERBYsys_id', FIELDS).orderBy;
    expect(sortRecords(rows, asc).map((r) => r.sys_id)).toEqual(['c', 'a', 'b']);
    const desc = parseEncodedQuery('ORDERBYDESCsys_updated_on^ORDERBYsys_id', FIELDS).orderBy;
    expect(sortRecords(rows, desc).map((r) => r.sys_id)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a term without an operator', () => {
    expect(() => parseEncodedQuery('state', FIELDS)).toThrow(SimQueryError);
  });
});
