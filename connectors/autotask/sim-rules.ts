/**
 * The simulator's business rules for tickets, answered as Autotask answers them: HTTP 500 with
 * `{errors}`. From TicketsEntity.htm: a resource goes with a role it holds on a service desk queue,
 * a ticket needs a queue or a resource, picklist values must exist (exact messages UNCONFIRMED).
 */
import { invalid } from './sim-errors.ts';
import { COMPANIES, CONTACTS, PRIORITY_VALUES, QUEUE_VALUES, STATUS_VALUES } from './sim-seed.ts';
import type { SimRole, SimTicket } from './sim-store.ts';

export function validateTicket(t: SimTicket, roles: SimRole[]): void {
  if (!t.title?.trim()) throw invalid('Value does not exist for the required field title.');
  if (t.title.length > 255) throw invalid('The title field exceeds its maximum length of 255.');
  if (!STATUS_VALUES.some((s) => s.value === t.status && s.isActive !== false))
    throw invalid(`Invalid picklist value ${t.status} for field status.`);
  if (!PRIORITY_VALUES.some((p) => p.value === t.priority))
    throw invalid(`Invalid picklist value ${t.priority} for field priority.`);
  if (!COMPANIES.some((c) => c.id === t.companyID))
    throw invalid(`Reference value on field: companyID of type: Company does not exist.`);
  if (t.queueID !== null && !QUEUE_VALUES.some((q) => q.value === t.queueID))
    throw invalid(`Invalid picklist value ${t.queueID} for field queueID.`);
  if (t.queueID === null && t.assignedResourceID === null)
    throw invalid('A ticket needs a queue or an assigned resource.');
  if ((t.assignedResourceID === null) !== (t.assignedResourceRoleID === null)) {
    throw invalid('assignedResourceID and assignedResourceRoleID must be set together.');
  }
  if (
    t.assignedResourceID !== null &&
    !roles.some(
      (r) => r.resourceID === t.assignedResourceID && r.roleID === t.assignedResourceRoleID && r.isActive,
    )
  ) {
    throw invalid('The assigned resource does not hold that role in a service desk queue.');
  }
  if (t.externalID !== null && t.externalID.length > 50)
    throw invalid('The externalID field exceeds its maximum length of 50.');
  if (t.contactID !== null && !CONTACTS.some((c) => c.id === t.contactID && c.companyID === t.companyID))
    throw invalid('The contact does not belong to the company.');
}
