import type { Connection, HubEvent } from './api.ts';
import { age, byId, clock, h, label } from './dom.ts';

const VERB: Record<string, string> = {
  CLOSED: 'closed',
  RESOLVED: 'resolved',
  REOPENED: 'reopened',
  REASSIGNED: 'reassigned',
  REMOVED_IN_TOOL: 'deleted in',
  MERGED_IN_TOOL: 'merged in',
};

// A REASSIGNED event that moves the ticket to another party is a hand-off.
const isHandOff = (event: HubEvent) => event.changes.some((c) => c.field.startsWith('ownerParty'));

/** Who holds the ticket after a reassignment: "→ msp · Asha Kumar". */
function holder(event: HubEvent): string {
  const to = [
    isHandOff(event) ? event.ticket.ownerParty.slug : null,
    event.ticket.assignee?.name ?? 'unassigned',
  ];
  return `→ ${to.filter(Boolean).join(' · ')} `;
}

function feedItem(event: HubEvent): HTMLElement {
  const side = event.side ?? 'API';
  return h(
    'li',
    { class: `event type-${event.type.toLowerCase()}`, 'data-event': event.id, 'data-type': event.type },
    h(
      'span',
      { class: `side side-${side.toLowerCase()}`, title: 'the side it came from' },
      side === 'MSP' ? 'MSP' : 'Internal',
    ),
    h(
      'div',
      { class: 'what' },
      h(
        'div',
        {},
        h('strong', {}, event.ticket.key),
        ` ${event.type === 'REASSIGNED' && isHandOff(event) ? 'handed off' : (VERB[event.type] ?? label(event.type))} `,
        event.type === 'REASSIGNED' && h('span', { class: 'holder' }, holder(event)),
        // A copy gone in a tool: which tool (the event's source), so someone can look into it.
        (event.type === 'REMOVED_IN_TOOL' || event.type === 'MERGED_IN_TOOL') &&
          h('span', { class: 'holder', 'data-removed': event.source ?? '' }, `${event.source ?? 'a tool'} `),
      ),
      h('span', { class: 'ticket-title' }, event.ticket.title),
      h(
        'span',
        { class: 'meta' },
        `${clock(event.createdAt)} · ${event.actorName ?? 'someone'}${event.source === 'API' ? ' via API' : ''}`,
      ),
    ),
  );
}

export function renderFeed(events: readonly HubEvent[]): void {
  byId('feed').replaceChildren(
    ...(events.length
      ? events.map(feedItem)
      : [h('li', { class: 'empty' }, 'No closures, reassignments or hand-offs yet.')]),
  );
}

export interface HealthView {
  admin: boolean;
  party: string;
  connections: Connection[] | null;
  error?: string;
  onReplay(id: string): void;
}

function connectionRow(c: Connection, view: HealthView): HTMLElement {
  const hl = c.health;
  const ok = !hl.lastError && hl.parkedDeliveries === 0 && !c.paused;
  const mine = c.party.slug === view.party;
  return h(
    'li',
    { class: `conn ${ok ? 'ok' : 'warn'}`, 'data-connection': c.id },
    h(
      'div',
      { class: 'conn-name' },
      h('strong', {}, c.name),
      h('span', { class: 'muted' }, ` ${c.connector} · ${c.party.slug}`),
      c.paused && h('span', { class: 'tag' }, 'paused'),
    ),
    h(
      'dl',
      {},
      h('dt', {}, 'last pull'),
      h('dd', {}, hl.lastSuccessAt ? `${age(hl.lastSuccessAt)} ago` : 'never'),
      h('dt', {}, 'lag'),
      h('dd', {}, hl.lagSeconds === null ? '—' : age(hl.lagSeconds)),
      h('dt', {}, 'pending'),
      h('dd', { 'data-pending': '' }, hl.pendingDeliveries),
      h('dt', {}, 'parked'),
      h('dd', { 'data-parked': '', class: hl.parkedDeliveries ? 'bad' : '' }, hl.parkedDeliveries),
    ),
    hl.lastError && h('p', { class: 'error', title: hl.lastErrorAt ?? '' }, hl.lastError),
    view.admin &&
      mine &&
      h(
        'button',
        {
          type: 'button',
          class: 'replay',
          'data-replay': c.id,
          disabled: hl.parkedDeliveries === 0,
          onclick: () => view.onReplay(c.id),
        },
        'Replay parked deliveries',
      ),
  );
}

export function renderHealth(view: HealthView): void {
  const root = byId('health');
  if (!view.admin) {
    root.replaceChildren(h('p', { class: 'muted' }, 'Connection health is shown to ADMIN tokens.'));
    return;
  }
  if (view.error) root.replaceChildren(h('p', { class: 'error' }, view.error));
  else if (!view.connections) root.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  else if (!view.connections.length)
    root.replaceChildren(h('p', { class: 'muted' }, 'No connections configured.'));
  else
    root.replaceChildren(h('ul', { class: 'conns' }, ...view.connections.map((c) => connectionRow(c, view))));
}
