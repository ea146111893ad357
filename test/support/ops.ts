import type { TestHub } from './hub.ts';

export const TICKET_FIELDS = `id key title status priority version confidential shared serviceArea
  ownerParty { slug } assignee { id name } resolvedAt closedAt updatedAt`;

export interface TicketView {
  id: string;
  key: string;
  title: string;
  status: string;
  priority: string;
  version: number;
  confidential: boolean;
  shared: boolean;
  serviceArea: string | null;
  ownerParty: { slug: string };
  assignee: { id: string; name: string } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
}

/** Runs a mutation and fails the test with the server's message if it errored. */
export async function mutate<T>(
  hub: TestHub,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await hub.gql<T>(token, query, variables);
  if (res.errors?.length || !res.data) throw new Error(`mutation failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export async function createTicket(
  hub: TestHub,
  token: string,
  input: Record<string, unknown>,
): Promise<TicketView> {
  const data = await mutate<{ createTicket: { ticket: TicketView } }>(
    hub,
    token,
    `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { ${TICKET_FIELDS} } } }`,
    { input },
  );
  return data.createTicket.ticket;
}

export const CLOSE = `mutation($id: ID!) { closeTicket(input: { id: $id }) { ticket { ${TICKET_FIELDS} } } }`;
export const RESOLVE = `mutation($id: ID!) { resolveTicket(input: { id: $id }) { ticket { ${TICKET_FIELDS} } } }`;
export const REOPEN = `mutation($id: ID!) { reopenTicket(input: { id: $id }) { ticket { ${TICKET_FIELDS} } } }`;
export const ASSIGN = `mutation($input: AssignTicketInput!) { assignTicket(input: $input) { ticket { ${TICKET_FIELDS} } } }`;
export const UPDATE = `mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { ticket { ${TICKET_FIELDS} } } }`;
export const COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id body visibility } ticket { id } } }`;
