/**
 * The simulator's records, shaped like Halo's (spec `Faults`, `Actions`, `Agent`, `Status`), and
 * the defaults a fresh simulated instance starts with.
 */
export interface SimTicket {
  id: number;
  summary: string;
  details: string;
  status_id: number;
  priority_id: number;
  agent_id: number;
  team: string;
  client_id: number;
  client_name: string;
  user_id: number;
  user_name: string;
  tickettype_id: number;
  /** Halo's category text (`Category 1` on the ticket), e.g. `Hardware>Laptop`; '' when none. */
  category_1: string;
  reportedby: string;
  dateoccurred: Date;
  last_update: Date;
  lastactiondate: Date | null;
  third_party_id_string: string;
  deleted: boolean;
}

export interface SimAction {
  id: number;
  ticket_id: number;
  outcome: string;
  note: string;
  hiddenfromuser: boolean;
  who: string;
  who_agentid: number;
  datetime: Date;
  new_status: number | null;
}

export interface SimAgent {
  id: number;
  name: string;
  email: string;
  is_disabled: boolean;
}

export interface SimStatus {
  id: number;
  name: string;
  /** Halo's status type; 0 open-ish, 1 closed (meaning of the values UNCONFIRMED). */
  type: number;
}

export interface SimClient {
  id: number;
  name: string;
}

/**
 * A plausible default status list. Only `9 = Closed` has community support; the others are
 * UNCONFIRMED, which is why the list is an option of the simulator.
 */
export const DEFAULT_STATUSES: SimStatus[] = [
  { id: 1, name: 'New', type: 0 },
  { id: 2, name: 'In Progress', type: 0 },
  { id: 3, name: 'Action Required', type: 0 },
  { id: 4, name: 'Waiting on User', type: 0 },
  { id: 5, name: 'With Supplier', type: 0 },
  { id: 8, name: 'Updated', type: 0 },
  { id: 9, name: 'Closed', type: 1 },
  { id: 10, name: 'Resolved', type: 1 },
];

export const PRIORITY_IDS = [1, 2, 3, 4];

/** Agent 1 is the one the API application logs in as: API writes are recorded as it. */
export const API_AGENT_ID = 1;

export const DEFAULT_AGENTS: SimAgent[] = [
  { id: API_AGENT_ID, name: 'Co-managed Hub (API)', email: 'hub-api@msp.example', is_disabled: false },
  { id: 2, name: 'Alice Tech', email: 'alice@msp.example', is_disabled: false },
  { id: 3, name: 'Bob Engineer', email: 'bob@msp.example', is_disabled: false },
];

export const DEFAULT_CLIENTS: SimClient[] = [
  { id: 12, name: 'Contoso Ltd' },
  { id: 13, name: 'Fabrikam Inc' },
  { id: 14, name: 'Northwind Traders' },
];

export const DEFAULT_CLIENT_ID = 12;
