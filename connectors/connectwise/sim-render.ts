/**
 * Rows -> the JSON CW answers with: references as `{id, name, _info:{..._href}}`, timestamps in
 * `_info`, and the flag fields a note response carries.
 */
import type { SimSeed } from './sim-seed.ts';

export interface SimTicketRow {
  id: number;
  summary: string;
  boardId: number;
  statusId: number;
  priorityId: number;
  ownerId: number | null;
  companyId: number;
  /** The board's ticket type, if set. */
  typeId: number | null;
  contactId: number | null;
  contactName: string | null;
  contactEmailAddress: string | null;
  externalXRef: string | null;
  closedDate: string | null;
  closedBy: string | null;
  dateEntered: string;
  enteredBy: string;
  lastUpdated: string;
  updatedBy: string;
}

export interface SimNoteRow {
  id: number;
  ticketId: number;
  text: string;
  detailDescriptionFlag: boolean;
  internalAnalysisFlag: boolean;
  resolutionFlag: boolean;
  memberId: number | null;
  dateCreated: string;
  createdBy: string;
}

type Json = Record<string, unknown>;

export function createRenderer(seed: SimSeed, baseUrl: string) {
  const href = (key: string, path: string) => ({ [`${key}_href`]: `${baseUrl}${path}` });
  const memberRef = (id: number): Json | undefined => {
    const m = seed.members.find((x) => x.id === id);
    if (!m) return undefined;
    return {
      id: m.id,
      identifier: m.identifier,
      name: `${m.firstName} ${m.lastName}`,
      _info: href('member', `/system/members/${m.id}`),
    };
  };

  function ticket(row: SimTicketRow): Json {
    const board = seed.boards.find((b) => b.id === row.boardId)!;
    const status = seed.statuses.find((s) => s.id === row.statusId)!;
    const priority = seed.priorities.find((p) => p.id === row.priorityId)!;
    const company = seed.companies.find((c) => c.id === row.companyId)!;
    const out: Json = {
      id: row.id,
      summary: row.summary,
      recordType: 'ServiceTicket',
      board: { id: board.id, name: board.name, _info: href('board', `/service/boards/${board.id}`) },
      status: {
        id: status.id,
        name: status.name,
        _info: href('status', `/service/boards/${board.id}/statuses/${status.id}`),
      },
      company: {
        id: company.id,
        identifier: company.identifier,
        name: company.name,
        _info: href('company', `/company/companies/${company.id}`),
      },
      priority: {
        id: priority.id,
        name: priority.name,
        sort: priority.sortOrder,
        _info: href('priority', `/service/priorities/${priority.id}`),
      },
      severity: 'Medium',
      impact: 'Medium',
      closedFlag: row.closedDate !== null,
      _info: {
        lastUpdated: row.lastUpdated,
        updatedBy: row.updatedBy,
        dateEntered: row.dateEntered,
        enteredBy: row.enteredBy,
        ...href('notes', `/service/tickets/${row.id}/notes`),
      },
    };
    // CW omits unset references and strings rather than sending nulls.
    if (row.ownerId !== null) out['owner'] = memberRef(row.ownerId);
    const type = seed.types.find((t) => t.id === row.typeId);
    if (type)
      out['type'] = {
        id: type.id,
        name: type.name,
        _info: href('type', `/service/boards/${board.id}/types/${type.id}`),
      };
    if (row.contactId !== null) out['contact'] = { id: row.contactId, name: row.contactName };
    if (row.contactName) out['contactName'] = row.contactName;
    if (row.contactEmailAddress) out['contactEmailAddress'] = row.contactEmailAddress;
    if (row.externalXRef) out['externalXRef'] = row.externalXRef;
    if (row.closedDate) Object.assign(out, { closedDate: row.closedDate, closedBy: row.closedBy });
    return out;
  }

  function note(row: SimNoteRow): Json {
    const out: Json = {
      id: row.id,
      ticketId: row.ticketId,
      text: row.text,
      detailDescriptionFlag: row.detailDescriptionFlag,
      internalAnalysisFlag: row.internalAnalysisFlag,
      resolutionFlag: row.resolutionFlag,
      issueFlag: false,
      customerUpdatedFlag: false,
      dateCreated: row.dateCreated,
      createdBy: row.createdBy,
      internalFlag: row.internalAnalysisFlag,
      externalFlag: row.detailDescriptionFlag || row.resolutionFlag,
      _info: { lastUpdated: row.dateCreated, updatedBy: row.createdBy },
    };
    if (row.memberId !== null) out['member'] = memberRef(row.memberId);
    return out;
  }

  return {
    ticket,
    note,
    board: (id: number) => {
      const b = seed.boards.find((x) => x.id === id)!;
      return { ...b, _info: href('statuses', `/service/boards/${b.id}/statuses`) };
    },
    status: (s: SimSeed['statuses'][number]) => ({
      id: s.id,
      name: s.name,
      board: boardRef(seed, s.boardId),
      sortOrder: s.sortOrder,
      closedStatus: s.closedStatus,
      defaultFlag: s.defaultFlag,
      inactive: s.inactive,
      escalationStatus: s.escalationStatus,
      timeEntryNotAllowed: false,
    }),
    priority: (p: SimSeed['priorities'][number]) => ({
      ...p,
      _info: href('priority', `/service/priorities/${p.id}`),
    }),
    member: (m: SimSeed['members'][number]) => ({ ...m, _info: href('member', `/system/members/${m.id}`) }),
    company: (c: SimSeed['companies'][number]) => ({
      ...c,
      _info: href('company', `/company/companies/${c.id}`),
    }),
  };
}

function boardRef(seed: SimSeed, boardId: number) {
  const board = seed.boards.find((b) => b.id === boardId);
  return { id: boardId, name: board?.name };
}
