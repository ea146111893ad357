/** The simulated Autotask records, as the store keeps them and its listeners hear of them. */

export interface SimTicket {
  id: number;
  ticketNumber: string;
  title: string;
  description: string | null;
  status: number;
  priority: number;
  queueID: number | null;
  /** `issueType` picklist value: the ticket's category. */
  issueType: number | null;
  companyID: number;
  contactID: number | null;
  assignedResourceID: number | null;
  assignedResourceRoleID: number | null;
  externalID: string | null;
  udfs: Record<string, string | null>;
  createDate: string;
  lastActivityDate: string;
  completedDate: string | null;
  creatorResourceID: number;
  lastActivityResourceID: number;
}

export interface SimNote {
  id: number;
  ticketID: number;
  title: string;
  description: string;
  noteType: number;
  publish: number;
  createDateTime: string;
  lastActivityDate: string;
  creatorResourceID: number | null;
  createdByContactID: number | null;
}

export interface SimRole {
  id: number;
  resourceID: number;
  roleID: number;
  isDefault: boolean;
  isActive: boolean;
}

export type SimEntityType = 'Ticket' | 'TicketNote';
export interface SimChange {
  entityType: SimEntityType;
  action: 'Create' | 'Update' | 'Delete';
  id: number;
  /** REST field names that changed (all fields on create). */
  changed: string[];
  record: Record<string, unknown>;
  /** The resource (person) who made the change. */
  personId: number;
}

export type TicketFields = Partial<
  Omit<SimTicket, 'id' | 'ticketNumber' | 'createDate' | 'lastActivityDate'>
>;
