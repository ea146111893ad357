/**
 * The simulated tenant's fixed data: picklists (labels as a stock Autotask database has them;
 * New 1, Complete 5 and Waiting Customer 7 are system values), resources with service desk roles,
 * companies, contacts and the webhook field ids.
 */

export interface SimPicklistValue {
  value: number;
  label: string;
  isActive?: boolean;
  isSystem?: boolean;
}

export const STATUS_VALUES: SimPicklistValue[] = [
  { value: 1, label: 'New', isSystem: true },
  { value: 5, label: 'Complete', isSystem: true },
  { value: 7, label: 'Waiting Customer', isSystem: true },
  { value: 8, label: 'In Progress' },
  { value: 9, label: 'Waiting Materials' },
  { value: 10, label: 'Dispatched' },
  { value: 11, label: 'Escalate' },
  { value: 12, label: 'Waiting Vendor' },
  { value: 13, label: 'Waiting Approval' },
  { value: 15, label: 'Change Order' },
  { value: 16, label: 'On Hold (retired)', isActive: false },
];

export const PRIORITY_VALUES: SimPicklistValue[] = [
  { value: 1, label: 'High' },
  { value: 2, label: 'Medium' },
  { value: 3, label: 'Low' },
  { value: 4, label: 'Critical' },
];

export const QUEUE_VALUES: SimPicklistValue[] = [
  { value: 29683354, label: 'Client Portal' },
  { value: 29683355, label: 'Level I Support' },
  { value: 29683356, label: 'Level II Support' },
];

/** Ticket `issueType` picklist (Autotask's stock issue types vary per tenant; these are examples). */
export const ISSUE_TYPE_VALUES: SimPicklistValue[] = [
  { value: 6, label: 'Monitoring Alert' },
  { value: 7, label: 'Patch Management' },
  { value: 8, label: 'Backup' },
  { value: 9, label: 'Service Request' },
];

export const NOTE_TYPE_VALUES: SimPicklistValue[] = [
  { value: 1, label: 'Task Summary' },
  { value: 2, label: 'Task Detail' },
  { value: 3, label: 'Task Notes' },
  { value: 13, label: 'Workflow Rule Note', isSystem: true },
];

export const PUBLISH_VALUES: SimPicklistValue[] = [
  { value: 1, label: 'All Autotask Users' },
  { value: 2, label: 'Internal Users' },
];

export interface SimResource {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  userName: string;
  isActive: boolean;
  resourceType: string;
}

/** The API-only user the simulator's credentials belong to. */
export const API_RESOURCE_ID = 29682885;
export const API_USERNAME = 'hubapi@contoso-msp.example';

export function seedResources(): SimResource[] {
  return [
    {
      id: API_RESOURCE_ID,
      firstName: 'Hub',
      lastName: 'API',
      email: 'hubapi@contoso-msp.example',
      userName: API_USERNAME,
      isActive: true,
      resourceType: 'API',
    },
    {
      id: 29682886,
      firstName: 'Dana',
      lastName: 'Tech',
      email: 'dana.tech@contoso-msp.example',
      userName: 'dtech',
      isActive: true,
      resourceType: 'Employee',
    },
    {
      id: 29682887,
      firstName: 'Lee',
      lastName: 'Dispatch',
      email: 'lee.dispatch@contoso-msp.example',
      userName: 'ldispatch',
      isActive: true,
      resourceType: 'Employee',
    },
  ];
}

/** Service desk role every seeded resource holds by default ("Help Desk Technician"). */
export const DEFAULT_ROLE_ID = 29683461;

/** The MSP's own company (id 0) and its client companies: Fabrikam (the default customer), Northwind. */
export const SIM_COMPANY_ID = 174;
export const COMPANIES = [
  { id: 0, companyName: 'Contoso MSP (own company)' },
  { id: SIM_COMPANY_ID, companyName: 'Fabrikam Ltd' },
  { id: 175, companyName: 'Northwind Traders' },
];

export const CONTACTS = [
  {
    id: 30683001,
    companyID: SIM_COMPANY_ID,
    firstName: 'Carol',
    lastName: 'Requester',
    emailAddress: 'carol@fabrikam.example',
    isActive: 1,
  },
];

/** Ticket UDFs defined in the tenant. */
export const TICKET_UDFS = ['Hub Ticket Id', 'Site'];

/** `fieldID` picklists of `{Entity}WebhookFields`: id, label, and the REST field it reports. */
export const WEBHOOK_FIELDS: Record<
  'Ticket' | 'TicketNote',
  Array<{ id: number; label: string; field: string }>
> = {
  Ticket: [
    { id: 1, label: 'Title', field: 'title' },
    { id: 2, label: 'Status', field: 'status' },
    { id: 3, label: 'Priority', field: 'priority' },
    { id: 4, label: 'Assigned Resource', field: 'assignedResourceID' },
    { id: 5, label: 'Queue', field: 'queueID' },
    { id: 6, label: 'Company', field: 'companyID' },
    { id: 7, label: 'External ID', field: 'externalID' },
    { id: 8, label: 'Description', field: 'description' },
  ],
  TicketNote: [
    { id: 101, label: 'Ticket', field: 'ticketID' },
    { id: 102, label: 'Description', field: 'description' },
    { id: 103, label: 'Publish', field: 'publish' },
    { id: 104, label: 'Title', field: 'title' },
    { id: 105, label: 'Note Type', field: 'noteType' },
  ],
};
