/**
 * The simulated Autotask database and every way it changes. API routes and the simulator's
 * levers both go through here, so a change "in the Autotask UI" and one through the API look the
 * same to listeners (the webhook sender). Every change moves the ticket's `lastActivityDate`.
 */
import { invalid, notFound } from './sim-errors.ts';
import { validateTicket } from './sim-rules.ts';
import { DEFAULT_ROLE_ID, type SimResource, seedResources, TICKET_UDFS } from './sim-seed.ts';

import type { SimChange, SimNote, SimRole, SimTicket, TicketFields } from './sim-types.ts';

export type { SimChange, SimEntityType, SimNote, SimRole, SimTicket, TicketFields } from './sim-types.ts';

const WRITABLE: Array<keyof TicketFields> = [
  'title',
  'description',
  'status',
  'priority',
  'queueID',
  'issueType',
  'companyID',
  'contactID',
  'assignedResourceID',
  'assignedResourceRoleID',
  'externalID',
  'udfs',
];

export function createSimStore(now: () => Date) {
  const tickets = new Map<number, SimTicket>();
  const notes = new Map<number, SimNote>();
  const resources = seedResources();
  const roles: SimRole[] = resources.map((r, i) => ({
    id: 40001 + i,
    resourceID: r.id,
    roleID: DEFAULT_ROLE_ID,
    isDefault: true,
    isActive: true,
  }));
  const listeners: Array<(change: SimChange) => void> = [];
  let nextTicketId = 7001;
  let nextNoteId = 90001;
  let nextResourceId = 29682900;
  const stamp = () => now().toISOString();

  const renderTicket = (t: SimTicket): Record<string, unknown> => {
    const { udfs, ...rest } = t;
    return { ...rest, userDefinedFields: TICKET_UDFS.map((name) => ({ name, value: udfs[name] ?? null })) };
  };
  // Queries filter every ticket's rendered form; a render is kept until the ticket changes, so a
  // large simulated database (the quota bench) is not re-rendered for every page.
  const rendered = new WeakMap<SimTicket, Record<string, unknown>>();
  const renderCached = (t: SimTicket): Record<string, unknown> => {
    let out = rendered.get(t);
    if (!out) {
      out = renderTicket(t);
      rendered.set(t, out);
    }
    return out;
  };
  // The id-ordered rows queries scan, rebuilt only after a change.
  let ticketRows: Array<Record<string, unknown>> | null = null;
  let noteRows: SimNote[] | null = null;
  let notesByTicket: Map<number, SimNote[]> | null = null;
  const invalidateRows = () => {
    ticketRows = null;
    noteRows = null;
    notesByTicket = null;
  };
  const emit = (change: Omit<SimChange, 'record'>, record: Record<string, unknown>) => {
    for (const listener of listeners) listener({ ...change, record });
  };

  function requireTicket(id: number): SimTicket {
    const t = tickets.get(id);
    if (!t) throw notFound(`Ticket ${id} not found.`);
    return t;
  }

  function pick(fields: TicketFields): TicketFields {
    const out: TicketFields = {};
    for (const key of WRITABLE)
      if (fields[key] !== undefined) (out as Record<string, unknown>)[key] = fields[key];
    return out;
  }

  return {
    tickets,
    notes,
    resources,
    roles,
    renderTicket,
    /** The ticket as queries see it; shared between calls, so callers must copy before changing it. */
    renderCached,
    /** Every ticket as queries see it, by ascending id; shared, never to be changed by callers. */
    ticketRows(): ReadonlyArray<Record<string, unknown>> {
      ticketRows ??= [...tickets.values()].sort((a, b) => a.id - b.id).map(renderCached);
      return ticketRows;
    },
    /** Every note by ascending id; live objects, never to be changed by callers. */
    noteRows(): ReadonlyArray<SimNote> {
      noteRows ??= [...notes.values()].sort((a, b) => a.id - b.id);
      return noteRows;
    },
    /** Notes by ticket id, each list by ascending id: the index a ticketID condition uses. */
    notesByTicket(): ReadonlyMap<number, readonly SimNote[]> {
      if (!notesByTicket) {
        notesByTicket = new Map();
        for (const note of this.noteRows()) {
          const list = notesByTicket.get(note.ticketID);
          if (list) list.push(note);
          else notesByTicket.set(note.ticketID, [note]);
        }
      }
      return notesByTicket;
    },
    requireTicket,
    onChange(listener: (change: SimChange) => void) {
      listeners.push(listener);
    },
    resourceById: (id: number) => resources.find((r) => r.id === id),

    createTicket(fields: TicketFields & { title: string }, personId: number): SimTicket {
      const at = stamp();
      const id = nextTicketId++;
      const ticket: SimTicket = {
        id,
        ticketNumber: `T${at.slice(0, 10).replace(/-/g, '')}.${String(id).padStart(4, '0')}`,
        title: fields.title,
        description: null,
        status: 1,
        priority: 2,
        queueID: null,
        issueType: null,
        companyID: -1,
        contactID: null,
        assignedResourceID: null,
        assignedResourceRoleID: null,
        externalID: null,
        udfs: {},
        createDate: at,
        lastActivityDate: at,
        completedDate: null,
        creatorResourceID: personId,
        lastActivityResourceID: personId,
        ...pick(fields),
      };
      validateTicket(ticket, roles);
      if (ticket.status === 5) ticket.completedDate = at;
      tickets.set(id, ticket);
      invalidateRows();
      emit(
        { entityType: 'Ticket', action: 'Create', id, changed: Object.keys(renderTicket(ticket)), personId },
        renderTicket(ticket),
      );
      return ticket;
    },

    updateTicket(id: number, fields: TicketFields, personId: number): SimTicket {
      const current = requireTicket(id);
      const changes = pick(fields);
      const next: SimTicket = { ...current, ...changes, udfs: { ...current.udfs, ...changes.udfs } };
      validateTicket(next, roles);
      const changed = (Object.keys(changes) as Array<keyof SimTicket>).filter(
        (k) => JSON.stringify(current[k]) !== JSON.stringify(next[k]),
      );
      next.lastActivityDate = stamp();
      next.lastActivityResourceID = personId;
      if (next.status === 5 && current.status !== 5) next.completedDate = next.lastActivityDate;
      if (next.status !== 5) next.completedDate = null;
      Object.assign(current, next);
      rendered.delete(current);
      invalidateRows();
      emit({ entityType: 'Ticket', action: 'Update', id, changed, personId }, renderTicket(current));
      return current;
    },

    deleteTicket(id: number, personId: number): void {
      const t = requireTicket(id);
      tickets.delete(id);
      invalidateRows();
      for (const note of [...notes.values()]) if (note.ticketID === id) notes.delete(note.id);
      emit({ entityType: 'Ticket', action: 'Delete', id, changed: [], personId }, renderTicket(t));
    },

    /** Adding a note moves the ticket's lastActivityDate (djat syncs notes by it too). */
    addNote(
      ticketId: number,
      input: Partial<SimNote> & { description: string },
      personId: number | null,
      contactId: number | null = null,
    ): SimNote {
      const ticket = requireTicket(ticketId);
      if (!input.description.trim())
        throw invalid('Value does not exist for the required field description.');
      if (![1, 2].includes(input.publish ?? 0))
        throw invalid(`Invalid picklist value ${input.publish} for field publish.`);
      if ((input.title ?? '').length > 250)
        throw invalid('The title field exceeds its maximum length of 250.');
      const at = stamp();
      const note: SimNote = {
        id: nextNoteId++,
        ticketID: ticketId,
        title: input.title ?? '',
        description: input.description,
        noteType: input.noteType ?? 1,
        publish: input.publish ?? 2,
        createDateTime: at,
        lastActivityDate: at,
        creatorResourceID: personId,
        createdByContactID: contactId,
      };
      notes.set(note.id, note);
      ticket.lastActivityDate = at;
      rendered.delete(ticket);
      invalidateRows();
      emit(
        {
          entityType: 'TicketNote',
          action: 'Create',
          id: note.id,
          changed: Object.keys(note),
          personId: personId ?? 0,
        },
        { ...note },
      );
      return note;
    },

    addResource(input: { firstName: string; lastName: string; email: string }): SimResource {
      const resource: SimResource = {
        id: nextResourceId++,
        ...input,
        userName: input.email.split('@')[0] ?? input.email,
        isActive: true,
        resourceType: 'Employee',
      };
      resources.push(resource);
      roles.push({
        id: 40100 + resources.length,
        resourceID: resource.id,
        roleID: DEFAULT_ROLE_ID,
        isDefault: true,
        isActive: true,
      });
      return resource;
    },
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
