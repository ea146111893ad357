/**
 * The TicketSQL the connector writes, and the simulator's parser and evaluator for it. Every
 * query shape the connector sends is parsed and evaluated here, so the two cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { parseDateLiteral, searchTickets } from './sim-search.ts';
import { createSimStore } from './sim-store.ts';
import { parseTicketSql, TicketSqlError } from './sim-ticket-sql.ts';
import {
  afterKeyQuery,
  byIdQuery,
  changedSinceQuery,
  correlationQuery,
  queueClause,
  quote,
  toRtDateLiteral,
} from './ticket-sql.ts';

describe('building TicketSQL', () => {
  it('writes date literals as wall-clock time in the configured zone', () => {
    const at = new Date('2024-07-01T22:30:05Z');
    expect(toRtDateLiteral(at, 'UTC')).toBe('2024-07-01 22:30:05');
    expect(toRtDateLiteral(at, 'Asia/Tokyo')).toBe('2024-07-02 07:30:05');
    expect(toRtDateLiteral(at, 'America/New_York')).toBe('2024-07-01 18:30:05');
    expect(toRtDateLiteral(new Date('2024-01-01T00:00:00Z'), 'UTC')).toBe('2024-01-01 00:00:00');
  });

  it("spells a connection's scope out as queues joined by OR, parenthesised", () => {
    expect(queueClause('General')).toBe("Queue = 'General'");
    expect(queueClause(['Acme', "O'Brien IT"])).toBe("(Queue = 'Acme' OR Queue = 'O\\'Brien IT')");
    const query = changedSinceQuery(['Acme', 'Globex'], new Date('2024-07-01T00:00:00Z'), 'UTC');
    expect(query).toBe("(Queue = 'Acme' OR Queue = 'Globex') AND LastUpdated >= '2024-07-01 00:00:00'");
    expect(parseTicketSql(query)).toMatchObject({ kind: 'and', left: { kind: 'or' } });
  });

  it('escapes quotes and backslashes', () => {
    expect(quote("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(parseTicketSql(`Subject = ${quote("it's a \\ test")}`)).toMatchObject({ value: "it's a \\ test" });
  });

  it('builds the queries a pull sends', () => {
    expect(changedSinceQuery('General', null, 'UTC')).toBe("Queue = 'General'");
    expect(changedSinceQuery('IT Ops', new Date('2024-01-02T03:04:05Z'), 'UTC')).toBe(
      "Queue = 'IT Ops' AND LastUpdated >= '2024-01-02 03:04:05'",
    );
    expect(afterKeyQuery('General', new Date('2024-01-02T03:04:05Z'), '17', 'UTC')).toBe(
      "Queue = 'General' AND (LastUpdated > '2024-01-02 03:04:05' OR (LastUpdated >= '2024-01-02 03:04:05' AND LastUpdated <= '2024-01-02 03:04:05' AND id > 17))",
    );
    expect(correlationQuery('hub-1')).toBe("CF.{HubTicketId} = 'hub-1'");
    expect(byIdQuery('42')).toBe('id = 42');
  });
});

describe('parsing TicketSQL (simulator)', () => {
  it('gives AND precedence over OR and honours parentheses', () => {
    expect(parseTicketSql("id = 1 OR id = 2 AND Status = 'new'")).toMatchObject({
      kind: 'or',
      right: { kind: 'and' },
    });
    expect(parseTicketSql("(id = 1 OR id = 2) AND Status = 'new'")).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
    });
  });

  it('reads custom fields, keyword operators and NULL', () => {
    expect(parseTicketSql("CF.{Hub Ticket Id} LIKE 'x'")).toEqual({
      kind: 'condition',
      field: 'CF.Hub Ticket Id',
      op: 'LIKE',
      value: 'x',
    });
    expect(parseTicketSql('CF.{HubTicketId} IS NOT NULL')).toMatchObject({ op: 'IS NOT', value: null });
    expect(parseTicketSql("Subject NOT LIKE 'a' and id <> 3")).toMatchObject({
      left: { op: 'NOT LIKE' },
      right: { op: '!=', value: '3' },
    });
  });

  it('refuses broken queries like RT (400)', () => {
    for (const bad of ["Queue = 'General' AND (", "Subject = 'open", 'id =', "= 'x'", 'id = 1 id = 2']) {
      expect(() => parseTicketSql(bad), bad).toThrow(TicketSqlError);
    }
  });
});

describe('evaluating TicketSQL (simulator)', () => {
  function storeWith(times: string[]) {
    const store = createSimStore();
    const alice = store.findUser('hub-alice')!;
    for (const [i, time] of times.entries()) {
      store.setClock(new Date(time));
      store.createTicket(alice, {
        Queue: 'General',
        Subject: `t${i + 1}`,
        CustomFields: { HubTicketId: `hub-${i + 1}` },
      });
    }
    return store;
  }
  const ids = (store: ReturnType<typeof storeWith>, query: string, zone = 'UTC') =>
    searchTickets(store, query, zone, [{ field: 'LastUpdated', desc: false }]).map((t) => t.id);

  it('pages with the connector keyset through tickets sharing one second', () => {
    const store = storeWith([
      '2024-01-01T10:00:00Z',
      '2024-01-01T10:00:00Z',
      '2024-01-01T10:00:00Z',
      '2024-01-01T10:00:01Z',
    ]);
    const after = afterKeyQuery('General', new Date('2024-01-01T10:00:00Z'), '1', 'UTC');
    expect(ids(store, after)).toEqual([2, 3, 4]);
    expect(ids(store, changedSinceQuery('General', new Date('2024-01-01T10:00:01Z'), 'UTC'))).toEqual([4]);
  });

  it('reads date literals in the given zone, and = as that whole day', () => {
    const store = storeWith(['2024-01-01T23:30:00Z', '2024-01-02T00:30:00Z']);
    expect(ids(store, "LastUpdated >= '2024-01-02 00:00:00'")).toEqual([2]);
    expect(ids(store, "LastUpdated >= '2024-01-02 00:00:00'", 'Asia/Tokyo')).toEqual([1, 2]);
    expect(ids(store, "LastUpdated = '2024-01-01'")).toEqual([1]);
    expect(ids(store, "LastUpdated = '2024-01-02'", 'Asia/Tokyo')).toEqual([1, 2]);
  });

  it('refuses ISO literals RT would misread', () => {
    expect(() => parseDateLiteral('2024-01-01T10:00:00Z', 'UTC')).toThrow(TicketSqlError);
    // Summer and winter offsets, and the inverse of the connector's own formatting.
    expect(parseDateLiteral('2024-07-01 18:30:05', 'America/New_York').start.toISOString()).toBe(
      '2024-07-01T22:30:05.000Z',
    );
    expect(parseDateLiteral('2024-01-15 10:00', 'America/New_York').start.toISOString()).toBe(
      '2024-01-15T15:00:00.000Z',
    );
    const at = new Date('2024-10-26T23:59:59Z');
    expect(parseDateLiteral(toRtDateLiteral(at, 'Europe/Paris'), 'Europe/Paris').start).toEqual(at);
    // 02:30 happens twice in Paris that night: the simulator takes the earlier (CEST) one.
    expect(parseDateLiteral('2024-10-27 02:30:00', 'Europe/Paris').start.toISOString()).toBe(
      '2024-10-27T00:30:00.000Z',
    );
  });

  it('matches the correlation field, queues, ids, and leaves deleted tickets out', () => {
    const store = storeWith(['2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z', '2024-01-01T12:00:00Z']);
    expect(ids(store, correlationQuery('hub-2'))).toEqual([2]);
    expect(ids(store, "CF.{NoSuchField} = 'hub-2'")).toEqual([]);
    expect(ids(store, "Queue = 'general' AND id > 1")).toEqual([2, 3]);
    expect(ids(store, "Queue = 'Other' OR id = 1")).toEqual([1]);
    store.updateTicket(store.findUser('root')!, 3, { Status: 'deleted' });
    expect(ids(store, "Queue = 'General'")).toEqual([1, 2]);
    expect(ids(store, "Status = 'deleted'")).toEqual([]);
    expect(() => ids(store, "Bogus = 'x'")).toThrow('Unknown field: Bogus');
  });
});
