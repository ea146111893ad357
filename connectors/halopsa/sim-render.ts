/**
 * Halo-shaped JSON for the simulator's records: snake_case fields, int ids, and dates as ISO
 * text in UTC without a zone designator (`2024-06-01T08:00:00.123`), as Halo writes them.
 */
import type { SimAction, SimAgent, SimStatus, SimTicket } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';

export function haloDate(at: Date): string {
  return at.toISOString().replace(/Z$/, '');
}

/** Parses a date parameter as Halo reads it: ISO, zone optional (UTC when absent). */
export function parseHaloParamDate(text: string): Date | null {
  const trimmed = text.trim();
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/i.test(trimmed)) return null;
  const iso = trimmed.replace(' ', 'T');
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(iso) ? iso : `${iso.length === 10 ? `${iso}T00:00:00` : iso}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? null : at;
}

export function renderTicket(store: SimStore, t: SimTicket): Record<string, unknown> {
  const status = store.statuses.find((s) => s.id === t.status_id);
  const agent = store.agents.get(t.agent_id);
  return {
    id: t.id,
    dateoccurred: haloDate(t.dateoccurred),
    summary: t.summary,
    details: t.details,
    details_html: `<p>${escapeHtml(t.details)}</p>`,
    status_id: t.status_id,
    status_name: status?.name ?? '',
    tickettype_id: t.tickettype_id,
    sla_id: 1,
    priority_id: t.priority_id,
    client_id: t.client_id,
    client_name: t.client_name,
    site_id: t.client_id * 10,
    site_name: 'Main',
    user_id: t.user_id,
    user_name: t.user_name,
    reportedby: t.reportedby,
    team: t.team,
    agent_id: t.agent_id,
    agent_name: agent?.name ?? 'Unassigned',
    category_1: t.category_1,
    onhold: false,
    inactive: false,
    deleted: t.deleted,
    last_update: haloDate(t.last_update),
    lastactiondate: t.lastactiondate ? haloDate(t.lastactiondate) : null,
    third_party_id: 0,
    third_party_id_string: t.third_party_id_string,
    customfields: [],
  };
}

export function renderAction(a: SimAction): Record<string, unknown> {
  return {
    id: a.id,
    ticket_id: a.ticket_id,
    outcome: a.outcome,
    outcome_id: a.hiddenfromuser ? 7 : 1,
    who: a.who,
    who_agentid: a.who_agentid,
    actionby_agent_id: a.who_agentid,
    datetime: haloDate(a.datetime),
    actiondatecreated: haloDate(a.datetime),
    note: a.note,
    note_html: `<p>${escapeHtml(a.note).replace(/\n/g, '<br>')}</p>`,
    hiddenfromuser: a.hiddenfromuser,
    private_note: false,
    new_status: a.new_status ?? 0,
    timetaken: 0,
  };
}

export function renderAgent(a: SimAgent): Record<string, unknown> {
  return { id: a.id, name: a.name, email: a.email, is_disabled: a.is_disabled, team: '1st Line Support' };
}

export function renderStatus(s: SimStatus): Record<string, unknown> {
  return { id: s.id, name: s.name, type: s.type, colour: '#3b82f6' };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
