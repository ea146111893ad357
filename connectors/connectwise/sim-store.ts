/**
 * The simulated tenant's data and every way it changes. API routes and the simulator's levers
 * both go through here, so a change "in the CW UI" and one through the API look the same to
 * listeners (the callback sender).
 */
import { toCwTimestamp } from './query.ts';
import { notFound } from './sim-errors.ts';
import { createRenderer, type SimNoteRow, type SimTicketRow } from './sim-render.ts';
import { createSimRules } from './sim-rules.ts';
import { createSeed, type SimMember } from './sim-seed.ts';

export interface SimTicketInput {
  summary: string;
  boardId?: number;
  statusId?: number;
  priorityId?: number;
  ownerId?: number | null;
  typeId?: number | null;
  company?: { id?: number; identifier?: string };
  contactEmailAddress?: string | null;
  externalXRef?: string | null;
  initialDescription?: string;
  initialInternalAnalysis?: string;
  initialResolution?: string;
}

export type SimTicketChanges = Partial<Omit<SimTicketInput, 'initialDescription'>>;

export interface SimNoteInput {
  text: string;
  detailDescriptionFlag?: boolean;
  internalAnalysisFlag?: boolean;
  resolutionFlag?: boolean;
}

export type SimAction = 'added' | 'updated' | 'deleted';

export interface SimChange {
  action: SimAction;
  ticketId: number;
  /** The ticket as CW JSON (the last state, for deletions). */
  entity: Record<string, unknown>;
  by: SimMember;
  skipCallback: boolean;
}

export interface SimStoreOptions {
  baseUrl: string;
  now: () => Date;
}

export function createSimStore(options: SimStoreOptions) {
  const seed = createSeed();
  const tickets = new Map<number, SimTicketRow>();
  const notes = new Map<number, SimNoteRow[]>();
  const listeners: Array<(change: SimChange) => void> = [];
  let nextTicketId = 31001;
  let nextNoteId = 880001;
  const stamp = () => toCwTimestamp(options.now());
  const render = createRenderer(seed, options.baseUrl);

  const rules = createSimRules(seed);
  const emit = (action: SimAction, row: SimTicketRow, by: SimMember, skipCallback: boolean) => {
    const change = { action, ticketId: row.id, entity: render.ticket(row), by, skipCallback };
    for (const listener of listeners) listener(change);
  };
  const touch = (row: SimTicketRow, by: SimMember) => {
    row.lastUpdated = stamp();
    row.updatedBy = by.identifier;
  };
  const applyStatus = (row: SimTicketRow, statusId: number | undefined, by: SimMember) => {
    const status = rules.statusOn(row.boardId, statusId);
    const wasClosed = row.closedDate !== null;
    row.statusId = status.id;
    if (status.closedStatus && !wasClosed) [row.closedDate, row.closedBy] = [stamp(), by.identifier];
    if (!status.closedStatus) [row.closedDate, row.closedBy] = [null, null];
  };

  function requireTicket(id: number): SimTicketRow {
    const row = tickets.get(id);
    if (!row) throw notFound('Ticket', id);
    return row;
  }

  function addNoteRow(row: SimTicketRow, input: SimNoteInput, by: SimMember): SimNoteRow {
    rules.note(input.text, [input.detailDescriptionFlag, input.internalAnalysisFlag, input.resolutionFlag]);
    const note: SimNoteRow = {
      id: nextNoteId++,
      ticketId: row.id,
      text: input.text,
      detailDescriptionFlag: input.detailDescriptionFlag === true,
      internalAnalysisFlag: input.internalAnalysisFlag === true,
      resolutionFlag: input.resolutionFlag === true,
      memberId: by.id,
      dateCreated: stamp(),
      createdBy: by.identifier,
    };
    notes.set(row.id, [...(notes.get(row.id) ?? []), note]);
    return note;
  }

  return {
    seed,
    render,
    tickets,
    notes,
    onChange(listener: (change: SimChange) => void) {
      listeners.push(listener);
    },
    memberById: rules.member,
    requireTicket,

    createTicket(input: SimTicketInput, by: SimMember, opts: { skipCallback?: boolean } = {}): SimTicketRow {
      rules.summary(input.summary);
      rules.externalXRef(input.externalXRef);
      const boardId = rules.board(input.boardId ?? seed.boards[0]!.id);
      const company = rules.company(input.company);
      const email = input.contactEmailAddress?.toLowerCase();
      const contact = seed.contacts.find((c) => c.email.toLowerCase() === email);
      const now = stamp();
      const row: SimTicketRow = {
        id: nextTicketId++,
        summary: input.summary,
        boardId,
        statusId: rules.statusOn(boardId, input.statusId).id,
        priorityId: rules.priority(input.priorityId),
        ownerId: input.ownerId ? rules.member(input.ownerId).id : null,
        companyId: company.id,
        typeId: rules.typeOn(boardId, input.typeId),
        contactId: contact?.id ?? null,
        contactName: contact?.name ?? null,
        contactEmailAddress: input.contactEmailAddress ?? null,
        externalXRef: input.externalXRef ?? null,
        closedDate: null,
        closedBy: null,
        dateEntered: now,
        enteredBy: by.identifier,
        lastUpdated: now,
        updatedBy: by.identifier,
      };
      applyStatus(row, row.statusId, by);
      tickets.set(row.id, row);
      // CW turns the POST-only initial texts into the ticket's first notes.
      const initial = [
        [input.initialDescription, 'detailDescriptionFlag'],
        [input.initialInternalAnalysis, 'internalAnalysisFlag'],
        [input.initialResolution, 'resolutionFlag'],
      ] as const;
      for (const [text, flag] of initial) if (text) addNoteRow(row, { text, [flag]: true }, by);
      emit('added', row, by, opts.skipCallback === true);
      return row;
    },

    updateTicket(
      id: number,
      changes: SimTicketChanges,
      by: SimMember,
      opts: { skipCallback?: boolean } = {},
    ) {
      const row = requireTicket(id);
      const next = { ...row };
      if (changes.summary !== undefined) rules.summary(changes.summary);
      rules.externalXRef(changes.externalXRef);
      if (changes.summary !== undefined) next.summary = changes.summary;
      if (changes.boardId !== undefined && changes.boardId !== row.boardId) {
        next.boardId = rules.board(changes.boardId);
        // A status or type from the old board means nothing on the new one (CW's exact rule UNCONFIRMED).
        if (changes.statusId === undefined) applyStatus(next, undefined, by);
        if (changes.typeId === undefined) next.typeId = null;
      }
      if (changes.typeId !== undefined) next.typeId = rules.typeOn(next.boardId, changes.typeId);
      if (changes.company !== undefined) next.companyId = rules.company(changes.company).id;
      if (changes.statusId !== undefined) applyStatus(next, changes.statusId, by);
      if (changes.priorityId !== undefined) next.priorityId = rules.priority(changes.priorityId);
      if (changes.ownerId !== undefined) {
        next.ownerId = changes.ownerId === null ? null : rules.member(changes.ownerId).id;
      }
      if (changes.externalXRef !== undefined) next.externalXRef = changes.externalXRef;
      if (changes.contactEmailAddress !== undefined) next.contactEmailAddress = changes.contactEmailAddress;
      touch(next, by);
      Object.assign(row, next);
      emit('updated', row, by, opts.skipCallback === true);
      return row;
    },

    deleteTicket(id: number, by: SimMember, opts: { skipCallback?: boolean } = {}) {
      const row = requireTicket(id);
      tickets.delete(id);
      notes.delete(id);
      emit('deleted', row, by, opts.skipCallback === true);
    },

    /** Adding a note bumps the ticket's `lastUpdated` and counts as a ticket update (UNCONFIRMED). */
    addNote(ticketId: number, input: SimNoteInput, by: SimMember, opts: { skipCallback?: boolean } = {}) {
      const row = requireTicket(ticketId);
      const note = addNoteRow(row, input, by);
      touch(row, by);
      emit('updated', row, by, opts.skipCallback === true);
      return note;
    },
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
