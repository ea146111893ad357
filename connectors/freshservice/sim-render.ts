/** The JSON shapes Freshservice answers with, rendered from the simulator's store. */
import type { SimAgent, SimConversation, SimStore, SimTicket } from './sim-store.ts';

export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The `*_text` twin Freshservice derives from an HTML body. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>\s*(?=.)/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}

export function renderAgent(agent: SimAgent) {
  return {
    id: agent.id,
    first_name: agent.firstName,
    last_name: agent.lastName,
    occasional: false,
    active: true,
    job_title: null,
    email: agent.email,
    work_phone_number: null,
    mobile_phone_number: null,
    department_ids: [],
    reporting_manager_id: null,
    address: null,
    time_zone: 'Eastern Time (US & Canada)',
    language: 'en',
    location_id: null,
    scoreboard_level_id: null,
    group_ids: [],
    role_ids: [],
    signature: null,
    created_at: '2023-01-10T09:00:00Z',
    updated_at: '2023-01-10T09:00:00Z',
  };
}

export function renderTicket(store: SimStore, ticket: SimTicket, opts: { requester?: boolean } = {}) {
  const rendered: Record<string, unknown> = {
    subject: ticket.subject,
    group_id: ticket.groupId,
    department_id: ticket.departmentId,
    category: ticket.category,
    sub_category: null,
    item_category: null,
    requester_id: ticket.requesterId,
    responder_id: ticket.responderId,
    due_by: isoSeconds(ticket.createdMs + 3 * 86_400_000),
    fr_escalated: false,
    deleted: false,
    spam: false,
    email_config_id: null,
    fwd_emails: [],
    reply_cc_emails: [],
    cc_emails: [],
    is_escalated: false,
    fr_due_by: isoSeconds(ticket.createdMs + 86_400_000),
    id: ticket.id,
    priority: ticket.priority,
    status: ticket.status,
    source: ticket.source,
    created_at: isoSeconds(ticket.createdMs),
    updated_at: isoSeconds(ticket.updatedMs),
    workspace_id: 2,
    requested_for_id: ticket.requesterId,
    to_emails: null,
    type: 'Incident',
    description: ticket.descriptionHtml,
    description_text: htmlToText(ticket.descriptionHtml),
    custom_fields: { ...ticket.customFields },
    tags: [],
    attachments: [],
  };
  if (opts.requester) {
    const person = store.requesters.get(ticket.requesterId);
    const agent = store.agents.get(ticket.requesterId);
    rendered.requester = person
      ? { id: person.id, name: person.name, email: person.email, mobile: null, phone: null }
      : agent
        ? {
            id: agent.id,
            name: `${agent.firstName} ${agent.lastName}`,
            email: agent.email,
            mobile: null,
            phone: null,
          }
        : null;
  }
  return rendered;
}

export function renderConversation(c: SimConversation) {
  return {
    id: c.id,
    user_id: c.userId,
    to_emails: [],
    body: c.bodyHtml,
    body_text: htmlToText(c.bodyHtml),
    ticket_id: c.ticketId,
    created_at: isoSeconds(c.createdMs),
    updated_at: isoSeconds(c.createdMs),
    incoming: false,
    private: c.private,
    support_email: null,
    source: c.source,
    attachments: [],
  };
}
