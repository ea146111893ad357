import { isNonNullType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';

/**
 * Fields that always have a value are non-null, so typed clients need no null checks; lists
 * are connections with explicit names (`TicketConnection`), not generated ones (issue #14).
 */
const ALWAYS_SET: Record<string, string[]> = {
  Ticket: [
    'id',
    'number',
    'key',
    'title',
    'status',
    'priority',
    'ownerParty',
    'originParty',
    'confidential',
    'shared',
    'createdAt',
    'updatedAt',
    'version',
    'links',
  ],
  TicketEvent: [
    'id',
    'type',
    'changes',
    'ticketVersion',
    'actorName',
    'actorParty',
    'side',
    'source',
    'createdAt',
  ],
  FieldChange: ['field'],
  Comment: ['id', 'body', 'visibility', 'party', 'source', 'createdAt'],
  Party: ['id', 'slug', 'name', 'kind'],
  Person: ['id', 'name', 'party'],
  TicketLink: ['connectionId', 'connector', 'externalId'],
  Viewer: ['tokenName', 'role', 'party'],
  TicketConnection: ['edges', 'pageInfo', 'totalCount'],
};

describe('schema nullability and names', () => {
  for (const [typeName, fields] of Object.entries(ALWAYS_SET)) {
    it(`${typeName}: ${fields.join(', ')} are non-null`, () => {
      const type = schema.getType(typeName);
      expect(isObjectType(type), `${typeName} exists`).toBe(true);
      if (!isObjectType(type)) return;
      const nullable = fields.filter((f) => {
        const field = type.getFields()[f];
        return !field || !isNonNullType(field.type);
      });
      expect(nullable).toEqual([]);
    });
  }

  it('names every connection and edge after its node', () => {
    const query = schema.getQueryType()!.getFields();
    const ticket = schema.getType('Ticket');
    if (!isObjectType(ticket)) throw new Error('no Ticket type');
    expect(String(query.tickets!.type)).toBe('TicketConnection');
    expect(String(query.recentEvents!.type)).toBe('TicketEventConnection');
    expect(String(ticket.getFields().history!.type)).toBe('TicketEventConnection');
    expect(String(ticket.getFields().comments!.type)).toBe('CommentConnection');
    // Pothos' generated names: QueryTicketsConnection, TicketHistoryConnectionEdge...
    const generated = Object.keys(schema.getTypeMap()).filter(
      (n) =>
        /^Query\w+Connection/.test(n) ||
        /ConnectionEdge$/.test(n) ||
        /^Ticket(History|Comments)Connection/.test(n),
    );
    expect(generated).toEqual([]);
    for (const edge of ['TicketEdge', 'TicketEventEdge', 'CommentEdge'])
      expect(schema.getType(edge)).toBeTruthy();
  });
});
