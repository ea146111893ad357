/**
 * The simulated tenant's validation rules: what CW refuses (unknown references, a status from
 * another board, over-long fields, a ticket without a company, a note without a tab flag).
 */
import { badRequest, invalidField } from './sim-errors.ts';
import type { SimSeed } from './sim-seed.ts';

export function createSimRules(seed: SimSeed) {
  return {
    member(id: number) {
      const m = seed.members.find((x) => x.id === id && !x.inactiveFlag);
      if (!m) throw invalidField('ticket', 'owner', 'InvalidReference', `member ${id} not found`);
      return m;
    },
    /** Status `statusId` on `boardId`, or the board's default status when undefined. */
    statusOn(boardId: number, statusId: number | undefined) {
      const onBoard = seed.statuses.filter((s) => s.boardId === boardId);
      const status = onBoard.find((s) => (statusId === undefined ? s.defaultFlag : s.id === statusId));
      if (!status) {
        throw invalidField(
          'ticket',
          'status',
          'InvalidReference',
          `status ${statusId} is not on board ${boardId}`,
        );
      }
      return status;
    },
    /** A ticket type must belong to the ticket's board. */
    typeOn(boardId: number, typeId: number | null | undefined) {
      if (typeId === undefined || typeId === null) return null;
      const type = seed.types.find((t) => t.id === typeId && t.boardId === boardId);
      if (!type) {
        throw invalidField('ticket', 'type', 'InvalidReference', `type ${typeId} is not on board ${boardId}`);
      }
      return type.id;
    },
    board(id: number) {
      if (!seed.boards.some((b) => b.id === id)) {
        throw invalidField('ticket', 'board', 'InvalidReference', `board ${id} not found`);
      }
      return id;
    },
    priority(id: number | undefined) {
      const priority = seed.priorities.find((p) => (id === undefined ? p.defaultFlag : p.id === id));
      if (!priority) throw invalidField('ticket', 'priority', 'InvalidReference', `priority ${id} not found`);
      return priority.id;
    },
    company(ref: { id?: number; identifier?: string } | undefined) {
      const wanted = ref?.identifier?.toLowerCase();
      const company = seed.companies.find((c) => c.id === ref?.id || c.identifier.toLowerCase() === wanted);
      if (!company)
        throw invalidField('ticket', 'company', 'NullValue', 'company is required and must exist');
      return company;
    },
    summary(summary: unknown) {
      if (typeof summary !== 'string' || summary.trim() === '') {
        throw invalidField('ticket', 'summary', 'NullValue', 'summary is required');
      }
      if (summary.length > 100) {
        throw invalidField('ticket', 'summary', 'MaxLength', 'summary may not exceed 100 characters');
      }
    },
    externalXRef(xref: string | null | undefined) {
      if (xref && xref.length > 100) {
        throw invalidField(
          'ticket',
          'externalXRef',
          'MaxLength',
          'externalXRef may not exceed 100 characters',
        );
      }
    },
    /** CW wants text and at least one tab (exact validation message UNCONFIRMED). */
    note(text: unknown, flags: Array<boolean | undefined>) {
      if (typeof text !== 'string' || text.trim() === '') {
        throw invalidField('ticketNote', 'text', 'NullValue', 'text is required');
      }
      if (!flags.some((f) => f === true)) {
        throw badRequest('One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true');
      }
    },
  };
}
