import { describe, expect, it } from 'vitest';
import { CwConditionSyntaxError, parseCwConditions } from './conditions.ts';
import { compareByCwOrder, evaluateCwCondition, parseCwOrderBy } from './conditions-eval.ts';
import { afterKeyCondition, changedSinceCondition, cwString } from './query.ts';
import { lastUpdatedLowerBound } from './sim-list.ts';

const ticket = (id: number, lastUpdated: string, extra: Record<string, unknown> = {}) => ({
  id,
  summary: `Printer ${id} offline`,
  closedFlag: false,
  board: { id: 1, name: 'Help Desk' },
  status: { id: 501, name: 'New' },
  _info: { lastUpdated, dateEntered: '2024-01-01T00:00:00Z' },
  ...extra,
});

const matches = (conditions: string, record: Record<string, unknown>) =>
  evaluateCwCondition(record, parseCwConditions(conditions));

describe('CW conditions parser', () => {
  it('parses comparisons with nested fields, datetimes and and/or precedence', () => {
    expect(
      parseCwConditions('board/name="Help Desk" and lastUpdated>=[2024-01-01T00:00:00Z] or id=5'),
    ).toEqual({
      type: 'or',
      left: {
        type: 'and',
        left: {
          type: 'compare',
          field: ['board', 'name'],
          op: '=',
          value: { kind: 'string', value: 'Help Desk' },
        },
        right: {
          type: 'compare',
          field: ['lastUpdated'],
          op: '>=',
          value: { kind: 'datetime', value: new Date('2024-01-01T00:00:00Z') },
        },
      },
      right: { type: 'compare', field: ['id'], op: '=', value: { kind: 'number', value: 5 } },
    });
  });

  it('reads in / not in lists, booleans, null and escaped quotes', () => {
    expect(parseCwConditions('status/id not in (501, 502)')).toMatchObject({
      op: 'not in',
      value: { kind: 'list', items: [{ value: 501 }, { value: 502 }] },
    });
    expect(parseCwConditions('closedFlag = False')).toMatchObject({
      value: { kind: 'boolean', value: false },
    });
    expect(parseCwConditions('owner=null')).toMatchObject({ value: { kind: 'null' } });
    expect(parseCwConditions(`summary=${cwString('say "hi" \\ now')}`)).toMatchObject({
      value: { kind: 'string', value: 'say "hi" \\ now' },
    });
  });

  it.each([
    ['board/name=', 'unexpected end of conditions'],
    ['board/name=)', 'expected a value'],
    ['summary="open', 'unterminated string'],
    ['(id=1', 'missing )'],
    ['id=1 id=2', 'unexpected token'],
    ['lastUpdated>[yesterday]', 'bad datetime'],
    ['id in 1', 'expected ( after in'],
    ['id ~ 1', "unexpected '~'"],
  ])('rejects %s', (input, message) => {
    expect(() => parseCwConditions(input)).toThrowError(CwConditionSyntaxError);
    expect(() => parseCwConditions(input)).toThrowError(message);
  });
});

describe('CW conditions evaluation', () => {
  const t = ticket(7, '2024-03-01T10:00:00Z');

  it('filters on lastUpdated although the value lives in _info', () => {
    expect(matches('lastUpdated>=[2024-03-01T10:00:00Z]', t)).toBe(true);
    expect(matches('lastUpdated>[2024-03-01T10:00:00Z]', t)).toBe(false);
    expect(matches('lastUpdated<[2024-03-01T10:00:01Z]', t)).toBe(true);
  });

  it('compares strings case-insensitively, as SQL Server does', () => {
    expect(matches('board/name="help desk"', t)).toBe(true);
    expect(matches('board/name!="Help Desk"', t)).toBe(false);
  });

  it('honours parentheses over and/or precedence', () => {
    expect(matches('id=1 and (id=7 or id=8)', t)).toBe(false);
    expect(matches('id=1 and id=7 or id=7', t)).toBe(true);
  });

  it('supports contains, like wildcards, in and not in', () => {
    expect(matches('summary contains "PRINTER"', t)).toBe(true);
    expect(matches('summary like "Printer*offline"', t)).toBe(true);
    expect(matches('summary like "Printer%"', t)).toBe(true);
    expect(matches('summary like "offline*"', t)).toBe(false);
    expect(matches('status/id in (500, 501)', t)).toBe(true);
    expect(matches('status/id not in (500, 501)', t)).toBe(false);
  });

  it('treats a missing reference as null and a missing flag as false', () => {
    expect(matches('owner/id=150', t)).toBe(false);
    expect(matches('owner=null', t)).toBe(true);
    expect(matches('customerUpdatedFlag=false', t)).toBe(true);
  });

  it('selects exactly the records after a (lastUpdated, id) key, the pull keyset', () => {
    const records = [
      ticket(3, '2024-03-01T09:59:59Z'),
      ticket(5, '2024-03-01T10:00:00Z'),
      ticket(9, '2024-03-01T10:00:00Z'),
      ticket(2, '2024-03-01T10:00:01Z'),
      { ...ticket(11, '2024-03-01T10:00:05Z'), board: { id: 7, name: 'Network Operations' } },
    ];
    const after = parseCwConditions(
      afterKeyCondition('Help Desk', { ts: new Date('2024-03-01T10:00:00Z'), id: 5 }),
    );
    expect(records.filter((r) => evaluateCwCondition(r, after)).map((r) => r.id)).toEqual([9, 2]);
    const since = parseCwConditions(changedSinceCondition('Help Desk', new Date('2024-03-01T10:00:00Z')));
    expect(records.filter((r) => evaluateCwCondition(r, since)).map((r) => r.id)).toEqual([5, 9, 2]);
  });
});

describe('CW orderBy', () => {
  it('sorts by lastUpdated then id, and desc reverses', () => {
    const records = [
      ticket(9, '2024-03-01T10:00:00Z'),
      ticket(2, '2024-03-02T00:00:00Z'),
      ticket(5, '2024-03-01T10:00:00Z'),
    ];
    const asc = [...records].sort(compareByCwOrder(parseCwOrderBy('lastUpdated asc, id asc')));
    expect(asc.map((r) => r.id)).toEqual([5, 9, 2]);
    const desc = [...records].sort(compareByCwOrder(parseCwOrderBy('lastUpdated desc, id desc')));
    expect(desc.map((r) => r.id)).toEqual([2, 9, 5]);
  });

  it('rejects malformed terms', () => {
    expect(() => parseCwOrderBy('id sideways')).toThrowError(CwConditionSyntaxError);
  });
});

describe('the simulator lastUpdated pre-filter', () => {
  const url = (conditions: string) =>
    new URL(`http://sim/service/tickets?conditions=${encodeURIComponent(conditions)}`);
  const t = new Date('2026-03-01T10:00:00Z');

  it('finds the lower bound of the connector queries, so skipping older rows changes no answer', () => {
    expect(lastUpdatedLowerBound(url(changedSinceCondition('Help Desk', t)))).toBe(t.getTime());
    expect(lastUpdatedLowerBound(url(afterKeyCondition('Help Desk', { ts: t, id: 7 })))).toBe(t.getTime());
    // Every record at or after the bound is still evaluated by the full filter; none before can match.
    for (const cond of [
      changedSinceCondition('Help Desk', t),
      afterKeyCondition('Help Desk', { ts: t, id: 7 }),
    ]) {
      expect(matches(cond, ticket(6, '2026-03-01T09:59:59Z'))).toBe(false);
    }
  });

  it('gives no bound where the expression does not imply one', () => {
    expect(lastUpdatedLowerBound(url('summary contains "x"'))).toBeUndefined();
    expect(lastUpdatedLowerBound(url('lastUpdated>=[2026-03-01T10:00:00Z] or id=5'))).toBeUndefined();
    expect(lastUpdatedLowerBound(url('lastUpdated<[2026-03-01T10:00:00Z]'))).toBeUndefined();
    expect(lastUpdatedLowerBound(url('summary="unterminated'))).toBeUndefined();
    expect(lastUpdatedLowerBound(new URL('http://sim/service/tickets'))).toBeUndefined();
  });
});
