/**
 * Vendor-side levers: what a technician or admin does in the Autotask UI. Changes go through the
 * store, so they move `lastActivityDate` and fire webhooks like API changes do.
 */

import { DEFAULT_ROLE_ID, PRIORITY_VALUES, SIM_COMPANY_ID, STATUS_VALUES } from './sim-seed.ts';
import type { SimStore, TicketFields } from './sim-store.ts';
import { type SimWebhooks, signCallout } from './sim-webhooks.ts';

/** The technician the levers act as unless told otherwise (Dana Tech). */
export const TECHNICIAN_ID = 29682886;

export interface SimActor {
  /** Resource id of the person acting; default the seeded technician. */
  as?: number;
}

export interface SeedTicketInput extends Omit<TicketFields, 'udfs'> {
  title?: string;
  /** Set the correlation UDF `Hub Ticket Id`. */
  hubTicketUdf?: string;
}

function picklistValue(list: Array<{ value: number; label: string }>, label: string): number {
  const found = list.find((v) => v.label.toLowerCase() === label.toLowerCase());
  if (!found) throw new Error(`no picklist value labelled ${label}`);
  return found.value;
}

export function createVendorLevers(store: SimStore, webhooks: SimWebhooks) {
  const by = (actor?: SimActor) => actor?.as ?? TECHNICIAN_ID;
  const render = (id: number) => store.renderTicket(store.requireTicket(id));

  function createTicket(input: SeedTicketInput = {}, actor?: SimActor) {
    const { hubTicketUdf, ...fields } = input;
    const ticket = store.createTicket(
      {
        queueID: 29683354,
        companyID: SIM_COMPANY_ID,
        status: 1,
        priority: 2,
        ...fields,
        title: input.title ?? 'Seeded ticket',
        udfs: hubTicketUdf ? { 'Hub Ticket Id': hubTicketUdf } : {},
      },
      by(actor),
    );
    return ticket.id;
  }

  const assignFields = (resourceId: number | null) => ({
    assignedResourceID: resourceId,
    assignedResourceRoleID: resourceId === null ? null : DEFAULT_ROLE_ID,
  });

  return {
    createTicket,
    seedTickets: (count: number, prefix = 'Seeded ticket', input: SeedTicketInput = {}) =>
      Array.from({ length: count }, (_, i) => createTicket({ ...input, title: `${prefix} ${i + 1}` })),
    getTicket: (id: number) => render(id),
    updateTicket: (id: number, fields: TicketFields, actor?: SimActor) =>
      store.updateTicket(id, fields, by(actor)).id,
    rename: (id: number, title: string, actor?: SimActor) => store.updateTicket(id, { title }, by(actor)).id,
    setStatus: (id: number, label: string, actor?: SimActor) =>
      store.updateTicket(id, { status: picklistValue(STATUS_VALUES, label) }, by(actor)).id,
    setPriority: (id: number, label: string, actor?: SimActor) =>
      store.updateTicket(id, { priority: picklistValue(PRIORITY_VALUES, label) }, by(actor)).id,
    assign: (id: number, resourceId: number | null, actor?: SimActor) =>
      store.updateTicket(id, assignFields(resourceId), by(actor)).id,
    deleteTicket: (id: number, actor?: SimActor) => store.deleteTicket(id, by(actor)),
    /** A note as a technician writes it: `publish` 1 (All Autotask Users) or 2 (Internal Users). */
    addNote: (id: number, description: string, publish: 1 | 2, actor?: SimActor & { noteType?: number }) =>
      store.addNote(
        id,
        { title: 'Technician note', description, publish, noteType: actor?.noteType ?? 1 },
        by(actor),
      ).id,
    /** A workflow rule's automatic note (noteType 13), which is not a person's comment. */
    addWorkflowNote: (id: number, description: string) =>
      store.addNote(id, { title: 'Workflow', description, publish: 2, noteType: 13 }, null).id,
    notesOf: (id: number) => [...store.notes.values()].filter((n) => n.ticketID === id),
    addResource: (input: { firstName: string; lastName: string; email: string }) =>
      store.addResource(input).id,
    resourceByEmail: (email: string) =>
      store.resources.find((r) => r.email.toLowerCase() === email.toLowerCase()),
    /** Tickets carrying `hubTicketId` in externalID or the `Hub Ticket Id` UDF. */
    correlated: (hubTicketId: string) =>
      [...store.tickets.values()]
        .filter((t) => t.externalID === hubTicketId || t.udfs['Hub Ticket Id'] === hubTicketId)
        .map((t) => t.id),

    /** An admin registers a ticket webhook in the UI (active, all fields, excluding `excluded`). */
    addWebhook(url: string, secretKey: string, excluded: number[] = []) {
      const hook = webhooks.create('Ticket', {
        IsActive: true,
        WebhookUrl: url,
        DeactivationUrl: url,
        Name: 'hub',
        SecretKey: secretKey,
        IsSubscribedToCreateEvents: true,
        IsSubscribedToUpdateEvents: true,
        IsSubscribedToDeleteEvents: true,
      });
      hook.fields = [1, 2, 3, 4, 6].map((fieldId) => ({
        fieldId,
        subscribed: true,
        displayAlways: fieldId === 6,
      }));
      hook.excludedResourceIds = [...excluded];
      return hook.id;
    },
    webhooks: () => webhooks.hooks.map((h) => ({ ...h })),
    deliveries: () => [...webhooks.deliveries],
    flushCallouts: () => webhooks.flush(),
    /** A correctly signed ticket callout, as Autotask would POST it, with EventTime `sentAt`. */
    signedCallout(ticketId: number, secretKey: string, sentAt: Date = new Date()) {
      const record = render(ticketId);
      const body = {
        Action: 'Update',
        Guid: '5c2b3f34-8a07-4e4a-9f1e-2d8e0c6a1b77',
        EntityType: 'Ticket',
        Id: ticketId,
        Fields: { title: record['title'], status: record['status'], companyID: record['companyID'] },
        EventTime: sentAt.toISOString(),
        SequenceNumber: 42,
        PersonID: TECHNICIAN_ID,
      };
      const rawBody = Buffer.from(JSON.stringify(body), 'utf8');
      return {
        body,
        rawBody,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-hook-signature': signCallout(rawBody.toString('utf8'), secretKey),
        },
      };
    },
  };
}
