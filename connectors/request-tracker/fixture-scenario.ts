/**
 * One scripted REST2 session, recorded against a real RT 5.0.3 into
 * `fixtures/rt-5.0.3-scenario.json` (by `capture-fixtures.ts`) and replayed against the
 * simulator by `simulator.test.ts`, which compares status codes, headers and body shapes.
 * `{t1}`-style placeholders are ids saved from earlier answers (`save`), so the same script
 * runs on a server that already holds tickets. Queries are limited to `id >= {t1}`.
 */

export interface ScenarioStep {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Authenticate as root/password (default), with a wrong password, or not at all. */
  auth?: 'root' | 'wrong' | 'none';
  /** Save the new record's id (`body.id`) or the transaction in `Location` under this name. */
  save?: { name: string; from: 'body.id' | 'location' };
  /** Compare the body exactly (after placeholders), not only its shape. */
  exact?: boolean;
}

const USER = 'Name,EmailAddress,RealName';
const TICKET_QUERY = {
  fields: 'Subject,Status,Priority,Owner,Queue,Requestor,Created,LastUpdated,CustomFields',
  'fields[Owner]': USER,
  'fields[Requestor]': USER,
  'fields[Queue]': 'Name',
  orderby: ['LastUpdated', 'id'],
  order: ['ASC', 'ASC'],
};

export const SCENARIO: ScenarioStep[] = [
  { name: 'system info', method: 'GET', path: '/rt' },
  { name: 'REST2 root', method: 'GET', path: '/', exact: true },
  { name: 'no credentials', method: 'GET', path: '/rt', auth: 'none', exact: true },
  { name: 'wrong password', method: 'GET', path: '/rt', auth: 'wrong', exact: true },
  { name: 'queue by name', method: 'GET', path: '/queue/General' },
  { name: 'unknown queue', method: 'GET', path: '/queue/NoSuchQueue', exact: true },
  {
    name: 'create ticket',
    method: 'POST',
    path: '/ticket',
    body: {
      Queue: 'General',
      Subject: 'fixture one',
      Content: 'The printer is on fire.',
      ContentType: 'text/plain',
      Status: 'new',
      Priority: 25,
      Requestor: 'carol@example.com',
      CustomFields: { HubTicketId: 'hub-fixture-1' },
    },
    save: { name: 't1', from: 'body.id' },
  },
  {
    name: 'create with a status new tickets cannot have',
    method: 'POST',
    path: '/ticket',
    body: { Queue: 'General', Subject: 'x', Status: 'stalled' },
    exact: true,
  },
  {
    name: 'create in an unknown queue',
    method: 'POST',
    path: '/ticket',
    body: { Queue: 'NoSuchQueue', Subject: 'x' },
    exact: true,
  },
  {
    name: 'read ticket',
    method: 'GET',
    path: '/ticket/{t1}',
    query: { 'fields[Owner]': USER, 'fields[Queue]': 'Name' },
  },
  {
    name: 'update owner, priority, subject',
    method: 'PUT',
    path: '/ticket/{t1}',
    body: { Owner: 'hub-alice', Priority: 60, Subject: 'fixture one renamed' },
    exact: true,
  },
  {
    name: 'update owner to a user who may not own',
    method: 'PUT',
    path: '/ticket/{t1}',
    body: { Owner: 'carol@example.com' },
    exact: true,
  },
  {
    name: 'update owner to nobody known',
    method: 'PUT',
    path: '/ticket/{t1}',
    body: { Owner: 'nosuchuser' },
    exact: true,
  },
  {
    name: 'update to an invalid status',
    method: 'PUT',
    path: '/ticket/{t1}',
    body: { Status: 'bogus' },
    exact: true,
  },
  {
    name: 'update with no change',
    method: 'PUT',
    path: '/ticket/{t1}',
    body: { Subject: 'fixture one renamed' },
    exact: true,
  },
  {
    name: 'update the correlation field',
    method: 'PUT',
    path: '/ticket/{t1}',
    body: { CustomFields: { HubTicketId: 'hub-fixture-1b' } },
    exact: true,
  },
  {
    name: 'update an unknown ticket',
    method: 'PUT',
    path: '/ticket/999999',
    body: { Subject: 'x' },
    exact: true,
  },
  {
    name: 'public reply',
    method: 'POST',
    path: '/ticket/{t1}/correspond',
    body: { Content: 'We are on it.', ContentType: 'text/plain' },
    save: { name: 'reply', from: 'location' },
    exact: true,
  },
  {
    name: 'internal comment',
    method: 'POST',
    path: '/ticket/{t1}/comment',
    body: { Content: 'Internal: ünïcode ✓\n\n[via co-managed hub]', ContentType: 'text/plain' },
    save: { name: 'note', from: 'location' },
    exact: true,
  },
  {
    name: 'reply to an unknown ticket',
    method: 'POST',
    path: '/ticket/999999/correspond',
    body: { Content: 'x', ContentType: 'text/plain' },
    exact: true,
  },
  { name: 'read ticket after the reply (reopened by a scrip)', method: 'GET', path: '/ticket/{t1}' },
  {
    name: 'create a second ticket',
    method: 'POST',
    path: '/ticket',
    body: { Queue: 'General', Subject: 'fixture two' },
    save: { name: 't2', from: 'body.id' },
  },
  {
    name: 'search by correlation id',
    method: 'GET',
    path: '/tickets',
    query: { query: "CF.{HubTicketId} = 'hub-fixture-1b'", ...TICKET_QUERY },
  },
  {
    name: 'search page 1 of 2',
    method: 'GET',
    path: '/tickets',
    query: {
      query: "Queue = 'General' AND id >= {t1} AND LastUpdated >= '2000-01-01 00:00:00'",
      ...TICKET_QUERY,
      per_page: '1',
    },
  },
  {
    name: 'search with a syntax error',
    method: 'GET',
    path: '/tickets',
    query: { query: "Queue = 'General' AND (" },
  },
  { name: 'search an unknown field', method: 'GET', path: '/tickets', query: { query: "Bogus = 'x'" } },
  { name: 'search with no query', method: 'GET', path: '/tickets' },
  {
    name: 'history',
    method: 'GET',
    path: '/ticket/{t1}/history',
    query: {
      fields: 'Type,Created,Creator,Field,OldValue,NewValue',
      'fields[Creator]': USER,
      per_page: '100',
    },
  },
  {
    name: 'attachments',
    method: 'GET',
    path: '/ticket/{t1}/attachments',
    query: { fields: 'TransactionId,ContentType,Content,Filename', per_page: '100' },
  },
  {
    name: 'attachments with Parent (500 on 5.0.3)',
    method: 'GET',
    path: '/ticket/{t1}/attachments',
    query: { fields: 'Parent' },
  },
  { name: 'transaction', method: 'GET', path: '/transaction/{note}', query: { 'fields[Creator]': USER } },
  {
    name: 'transaction attachments',
    method: 'GET',
    path: '/transaction/{note}/attachments',
    query: { fields: 'TransactionId,ContentType,Content,Filename' },
  },
  { name: 'unknown ticket', method: 'GET', path: '/ticket/999999', exact: true },
  { name: 'history of an unknown ticket', method: 'GET', path: '/ticket/999999/history' },
  { name: 'delete by status', method: 'PUT', path: '/ticket/{t1}', body: { Status: 'deleted' }, exact: true },
  {
    name: 'deleted tickets are not found by search',
    method: 'GET',
    path: '/tickets',
    query: { query: 'id = {t1}' },
  },
  { name: 'deleted tickets can still be read', method: 'GET', path: '/ticket/{t1}' },
];
