/** The JSON shapes Zendesk answers with, rendered from the simulator's store. */
import type { SimComment, SimStore, SimTicket, SimUser, WriteResult } from './sim-store.ts';

/** Zendesk writes times as ISO 8601 UTC at one-second precision. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function renderUser(user: SimUser, apiBase: string) {
  return {
    id: user.id,
    url: `${apiBase}/users/${user.id}.json`,
    name: user.name,
    email: user.email,
    role: user.role,
    active: true,
    verified: true,
    time_zone: 'UTC',
    created_at: isoSeconds(user.createdMs),
    updated_at: isoSeconds(user.createdMs),
  };
}

export function renderTicket(ticket: SimTicket, apiBase: string, opts: { generated?: boolean } = {}) {
  const rendered: Record<string, unknown> = {
    url: `${apiBase}/tickets/${ticket.id}.json`,
    id: ticket.id,
    external_id: ticket.externalId,
    via: { channel: ticket.channel, source: { from: {}, to: {}, rel: null } },
    created_at: isoSeconds(ticket.createdMs),
    updated_at: isoSeconds(ticket.updatedMs),
    type: ticket.type,
    subject: ticket.subject,
    raw_subject: ticket.subject,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.status,
    recipient: null,
    requester_id: ticket.requesterId,
    submitter_id: ticket.submitterId,
    assignee_id: ticket.assigneeId,
    organization_id: ticket.organizationId,
    group_id: ticket.groupId,
    collaborator_ids: [],
    follower_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: ticket.tags,
    custom_fields: [],
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    allow_channelback: false,
    allow_attachments: true,
  };
  if (opts.generated) rendered.generated_timestamp = Math.floor(ticket.updatedMs / 1000);
  return rendered;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderComment(comment: SimComment, withCreatedAt = true) {
  const html = `<div class="zd-comment" dir="auto">${escapeHtml(comment.body).replace(/\n/g, '<br>')}</div>`;
  return {
    id: comment.id,
    type: 'Comment',
    author_id: comment.authorId,
    body: comment.body,
    html_body: html,
    plain_body: comment.body,
    public: comment.public,
    attachments: [],
    audit_id: comment.auditId,
    via: { channel: comment.channel, source: { from: {}, to: {}, rel: null } },
    ...(withCreatedAt ? { created_at: isoSeconds(comment.createdMs) } : {}),
    metadata: { system: {}, custom: {} },
  };
}

/** `{ticket, audit}` as create and update answer; the audit's events include the new comment. */
export function renderWrite(result: WriteResult, apiBase: string) {
  const events: Record<string, unknown>[] = [];
  if (result.comment) events.push(renderComment(result.comment, false));
  return {
    ticket: renderTicket(result.ticket, apiBase),
    audit: {
      id: result.auditId,
      ticket_id: result.ticket.id,
      created_at: isoSeconds(result.auditMs),
      author_id: result.comment?.authorId ?? result.ticket.submitterId,
      via: { channel: 'api' },
      events,
    },
  };
}

/** The `users` sideload (`include=users`) for people the tickets or comments reference. */
export function sideloadUsers(store: SimStore, ids: Iterable<number | null>, apiBase: string) {
  const unique = new Set([...ids].filter((id): id is number => id !== null));
  return [...unique].flatMap((id) => {
    const user = store.users.get(id);
    return user ? [renderUser(user, apiBase)] : [];
  });
}

export const ticketPeople = (t: SimTicket) => [t.requesterId, t.submitterId, t.assigneeId];
