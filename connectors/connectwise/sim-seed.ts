/**
 * What a fresh simulated CW tenant holds: two boards with their statuses, CW's stock priority
 * names, each board's ticket types, four members (one is the API member the hub's keys belong
 * to), the MSP's own company plus three client companies (an MSP serves many customers from one
 * board) and their contacts. Ids are deliberately not 1..n so id/name mix-ups show up in tests.
 */
export interface SimBoard {
  id: number;
  name: string;
  inactiveFlag: boolean;
}

export interface SimStatus {
  id: number;
  boardId: number;
  name: string;
  sortOrder: number;
  closedStatus: boolean;
  defaultFlag: boolean;
  inactive: boolean;
  escalationStatus: string;
}

export interface SimPriority {
  id: number;
  name: string;
  sortOrder: number;
  color: string;
  defaultFlag: boolean;
}

export interface SimMember {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  officeEmail: string;
  inactiveFlag: boolean;
}

/** A board's ticket type (`/service/boards/{id}/types`): Incident, Service Request... */
export interface SimType {
  id: number;
  boardId: number;
  name: string;
}

export interface SimCompany {
  id: number;
  identifier: string;
  name: string;
}

export interface SimContact {
  id: number;
  name: string;
  email: string;
  companyId: number;
}

export const HELP_DESK_BOARD_ID = 1;
export const NETWORK_OPS_BOARD_ID = 7;
/** The member the simulator's API keys belong to: API writes are made "by" it. */
export const API_MEMBER_ID = 148;

const helpDeskStatuses: Array<[number, string, Partial<SimStatus>?]> = [
  [501, 'New', { defaultFlag: true, escalationStatus: 'NotResponded' }],
  [502, 'Assigned', { escalationStatus: 'Responded' }],
  [503, 'In Progress', { escalationStatus: 'Responded' }],
  [504, 'Waiting Customer'],
  [505, 'Customer Updated'],
  [506, 'Scheduled'],
  [507, 'Re-Opened'],
  [508, 'Resolved', { escalationStatus: 'Resolved' }],
  [509, 'Completed', { escalationStatus: 'Resolved' }],
  [510, 'Closed', { closedStatus: true, escalationStatus: 'Resolved' }],
];

export function createSeed() {
  const boards: SimBoard[] = [
    { id: HELP_DESK_BOARD_ID, name: 'Help Desk', inactiveFlag: false },
    { id: NETWORK_OPS_BOARD_ID, name: 'Network Operations', inactiveFlag: false },
  ];
  const statuses: SimStatus[] = [
    ...helpDeskStatuses.map(([id, name, extra], i) => ({
      id,
      boardId: HELP_DESK_BOARD_ID,
      name,
      sortOrder: i,
      closedStatus: false,
      defaultFlag: false,
      inactive: false,
      escalationStatus: 'NoEscalation',
      ...extra,
    })),
    ...[
      [701, 'New', { defaultFlag: true }],
      [702, 'Closed', { closedStatus: true }],
    ].map(([id, name, extra], i) => ({
      id: id as number,
      boardId: NETWORK_OPS_BOARD_ID,
      name: name as string,
      sortOrder: i,
      closedStatus: false,
      defaultFlag: false,
      inactive: false,
      escalationStatus: 'NoEscalation',
      ...(extra as Partial<SimStatus>),
    })),
  ];
  const priorities: SimPriority[] = [
    { id: 15, name: 'Priority 1 - Emergency Response', sortOrder: 1, color: 'red', defaultFlag: false },
    { id: 16, name: 'Priority 2 - Quick Response', sortOrder: 2, color: 'orange', defaultFlag: false },
    { id: 4, name: 'Priority 3 - Normal Response', sortOrder: 6, color: 'blue', defaultFlag: true },
    { id: 7, name: 'Priority 4 - Scheduled Maintenance', sortOrder: 8, color: 'white', defaultFlag: false },
    { id: 8, name: 'Priority 5 - Next Time', sortOrder: 10, color: 'darkmagenta', defaultFlag: false },
  ];
  const members: SimMember[] = [
    member(API_MEMBER_ID, 'hubapi', 'Hub', 'Integration'),
    member(150, 'jsmith', 'John', 'Smith'),
    member(151, 'akumar', 'Asha', 'Kumar'),
    member(152, 'mgarcia', 'Maria', 'Garcia'),
  ];
  const types: SimType[] = [
    { id: 801, boardId: HELP_DESK_BOARD_ID, name: 'Incident' },
    { id: 802, boardId: HELP_DESK_BOARD_ID, name: 'Service Request' },
    { id: 803, boardId: HELP_DESK_BOARD_ID, name: 'Problem' },
    { id: 851, boardId: NETWORK_OPS_BOARD_ID, name: 'Outage' },
    { id: 852, boardId: NETWORK_OPS_BOARD_ID, name: 'Change' },
  ];
  const companies: SimCompany[] = [
    { id: 2, identifier: 'ContosoMSP', name: 'Contoso Managed Services' },
    { id: 19300, identifier: 'Contoso', name: 'Contoso Ltd' },
    { id: 19310, identifier: 'Fabrikam', name: 'Fabrikam Inc' },
    { id: 19320, identifier: 'Northwind', name: 'Northwind Traders' },
  ];
  const contacts: SimContact[] = [
    { id: 3001, name: 'Dana Lee', email: 'dana.lee@contoso.example', companyId: 19300 },
    { id: 3002, name: 'Sam Ortiz', email: 'sam.ortiz@contoso.example', companyId: 19300 },
    { id: 3101, name: 'Kim Park', email: 'kim.park@fabrikam.example', companyId: 19310 },
    { id: 3201, name: 'Lee Chen', email: 'lee.chen@northwind.example', companyId: 19320 },
  ];
  return { boards, statuses, priorities, types, members, companies, contacts };
}

function member(id: number, identifier: string, firstName: string, lastName: string): SimMember {
  return {
    id,
    identifier,
    firstName,
    lastName,
    officeEmail: `${identifier}@contoso-msp.example`,
    inactiveFlag: false,
  };
}

export type SimSeed = ReturnType<typeof createSeed>;
