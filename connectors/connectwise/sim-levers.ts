/**
 * The simulator's levers: what an MSP technician does in the CW UI, by name rather than id.
 * Every change bumps `lastUpdated` and fires callbacks like an API change would.
 */
import type { SimMember } from './sim-seed.ts';
import type { SimStore, SimTicketChanges } from './sim-store.ts';

export interface SimActorOptions {
  /** Member identifier making the change; default `jsmith` (a technician, not the API member). */
  by?: string;
  /** Like CW's `skipCallback`: the change fires no callback. */
  skipCallback?: boolean;
}

export interface SeedTicketInput extends SimActorOptions {
  summary?: string;
  /** Board name; default `Help Desk`. */
  board?: string;
  /** Status name on that board; default the board's default (`New`). */
  status?: string;
  /** Priority name; default `Priority 3 - Normal Response`. */
  priority?: string;
  /** Owner member identifier, e.g. `akumar`. */
  owner?: string;
  /** Company identifier; default `Contoso`. */
  company?: string;
  /** Ticket type name on that board, e.g. `Incident`. */
  type?: string;
  contactEmail?: string;
  /** Hub correlation id. */
  externalXRef?: string;
  /** Becomes the first Discussion note, as CW does with `initialDescription`. */
  description?: string;
}

export interface TicketChangeInput {
  summary?: string;
  status?: string;
  priority?: string;
  /** Member identifier, or null to unassign. */
  owner?: string | null;
  board?: string;
  /** Type name on the (new) board, or null to clear. */
  type?: string | null;
  /** Company identifier: the ticket moves to another customer. */
  company?: string;
}

export type NoteKind = 'discussion' | 'internal' | 'resolution';

export function createSimLevers(store: SimStore) {
  const { seed } = store;
  const lower = (s: string) => s.toLowerCase();
  const find = <T>(items: T[], pick: (item: T) => boolean, what: string): T => {
    const item = items.find(pick);
    if (!item) throw new Error(`simulator: unknown ${what}`);
    return item;
  };
  const memberOf = (identifier: string): SimMember =>
    find(seed.members, (m) => lower(m.identifier) === lower(identifier), `member '${identifier}'`);
  const actor = (opts: SimActorOptions = {}) => memberOf(opts.by ?? 'jsmith');
  const boardId = (name: string) =>
    find(seed.boards, (b) => lower(b.name) === lower(name), `board '${name}'`).id;
  const statusId = (board: number, name: string) =>
    find(seed.statuses, (s) => s.boardId === board && lower(s.name) === lower(name), `status '${name}'`).id;
  const typeId = (board: number, name: string) =>
    find(seed.types, (t) => t.boardId === board && lower(t.name) === lower(name), `type '${name}'`).id;
  const priorityId = (name: string) =>
    find(seed.priorities, (p) => lower(p.name) === lower(name), `priority '${name}'`).id;
  let seeded = 0;

  function seedTicket(input: SeedTicketInput = {}) {
    const board = boardId(input.board ?? 'Help Desk');
    const row = store.createTicket(
      {
        summary: input.summary ?? `Seeded ticket ${++seeded}`,
        boardId: board,
        statusId: input.status ? statusId(board, input.status) : undefined,
        priorityId: input.priority ? priorityId(input.priority) : undefined,
        ownerId: input.owner ? memberOf(input.owner).id : null,
        typeId: input.type ? typeId(board, input.type) : null,
        company: { identifier: input.company ?? 'Contoso' },
        contactEmailAddress: input.contactEmail ?? null,
        externalXRef: input.externalXRef ?? null,
        initialDescription: input.description,
      },
      actor(input),
      { skipCallback: input.skipCallback },
    );
    return store.render.ticket(row);
  }

  function updateTicket(id: number, change: TicketChangeInput, opts: SimActorOptions = {}) {
    const row = store.requireTicket(id);
    const board = change.board ? boardId(change.board) : row.boardId;
    const changes: SimTicketChanges = {};
    if (change.summary !== undefined) changes.summary = change.summary;
    if (change.board !== undefined) changes.boardId = board;
    if (change.status !== undefined) changes.statusId = statusId(board, change.status);
    if (change.priority !== undefined) changes.priorityId = priorityId(change.priority);
    if (change.type !== undefined) changes.typeId = change.type === null ? null : typeId(board, change.type);
    if (change.company !== undefined) changes.company = { identifier: change.company };
    if (change.owner !== undefined)
      changes.ownerId = change.owner === null ? null : memberOf(change.owner).id;
    return store.render.ticket(
      store.updateTicket(id, changes, actor(opts), { skipCallback: opts.skipCallback }),
    );
  }

  return {
    /** Create a ticket as a technician would; returns it as CW JSON. */
    seedTicket,
    seedTickets: (count: number, input: SeedTicketInput = {}) =>
      Array.from({ length: count }, (_, i) =>
        seedTicket({ ...input, summary: `${input.summary ?? 'Seeded ticket'} ${i + 1}` }),
      ),
    getTicket: (id: number) => {
      const row = store.tickets.get(id);
      return row ? store.render.ticket(row) : undefined;
    },
    listTickets: () => [...store.tickets.values()].map(store.render.ticket),
    /** Tickets whose `externalXRef` is `hubTicketId`. */
    countCorrelated: (hubTicketId: string) =>
      [...store.tickets.values()].filter((t) => t.externalXRef === hubTicketId).length,
    updateTicket,
    setStatus: (id: number, status: string, opts?: SimActorOptions) => updateTicket(id, { status }, opts),
    setPriority: (id: number, priority: string, opts?: SimActorOptions) =>
      updateTicket(id, { priority }, opts),
    assign: (id: number, owner: string | null, opts?: SimActorOptions) => updateTicket(id, { owner }, opts),
    rename: (id: number, summary: string, opts?: SimActorOptions) => updateTicket(id, { summary }, opts),
    deleteTicket: (id: number, opts: SimActorOptions = {}) =>
      store.deleteTicket(id, actor(opts), { skipCallback: opts.skipCallback }),
    /** Add a note on the Discussion (public), Internal or Resolution tab; returns it as CW JSON. */
    addNote(id: number, note: { text: string; kind: NoteKind }, opts: SimActorOptions = {}) {
      const flags = {
        detailDescriptionFlag: note.kind === 'discussion',
        internalAnalysisFlag: note.kind === 'internal',
        resolutionFlag: note.kind === 'resolution',
      };
      const row = store.addNote(id, { text: note.text, ...flags }, actor(opts), {
        skipCallback: opts.skipCallback,
      });
      return store.render.note(row);
    },
    listNotes: (id: number) => (store.notes.get(id) ?? []).map(store.render.note),
  };
}
