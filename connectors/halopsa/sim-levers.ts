/**
 * Vendor-side levers: what a technician does in Halo's UI. Each bumps `last_update` from the
 * simulator's clock and fires webhooks, as the real thing would.
 */
import type { SimTicket } from './sim-model.ts';
import type { SimStore, TicketFields } from './sim-store.ts';

export interface SimActorOptions {
  /** The agent acting; defaults to agent 2 (a technician, not the API agent). */
  agentId?: number;
}

export function createSimLevers(store: SimStore) {
  function actor(options: SimActorOptions = {}) {
    const agent = store.agents.get(options.agentId ?? 2);
    if (!agent) throw new Error(`no simulated Halo agent ${options.agentId}`);
    return agent;
  }
  return {
    /** Log a ticket as a technician would. */
    createTicket(fields: TicketFields & { summary: string }): SimTicket {
      return store.createTicket(fields);
    },
    /** `count` tickets titled `"{summary} 1"`.. for client 12. */
    seedTickets(count: number, fields: TicketFields & { summary: string }): SimTicket[] {
      return Array.from({ length: count }, (_, i) =>
        store.createTicket({ ...fields, summary: `${fields.summary} ${i + 1}` }),
      );
    },
    updateTicket: (id: number, fields: TicketFields) => store.updateTicket(id, fields),
    rename: (id: number, summary: string) => store.updateTicket(id, { summary }),
    setStatus: (id: number, statusId: number) => store.updateTicket(id, { status_id: statusId }),
    /** Assign to an agent, or unassign with null (stored as 0). */
    assign: (id: number, agentId: number | null) => store.updateTicket(id, { agent_id: agentId ?? 0 }),
    deleteTicket(id: number) {
      store.requireTicket(id).deleted = true;
    },
    /** Add a note; `internal` sets `hiddenfromuser`. */
    addNote(id: number, note: string, options: SimActorOptions & { internal?: boolean } = {}) {
      const agent = actor(options);
      const internal = options.internal ?? true;
      return store.addAction({
        ticket_id: id,
        note,
        outcome: internal ? 'Private Note' : 'Public Note',
        hiddenfromuser: internal,
        who: agent.name,
        who_agentid: agent.id,
        new_status: null,
      });
    },
    /** Add an agent (Configuration > Teams & Agents); returns the existing one for a known e-mail. */
    ensureAgent(input: { name: string; email: string }) {
      return store.agentByEmail(input.email) ?? store.addAgent(input);
    },
    countCorrelated: (hubTicketId: string) =>
      [...store.tickets.values()].filter((t) => !t.deleted && t.third_party_id_string === hubTicketId).length,
    findCorrelated: (hubTicketId: string) =>
      [...store.tickets.values()]
        .filter((t) => !t.deleted && t.third_party_id_string === hubTicketId)
        .map((t) => t.id),
  };
}
