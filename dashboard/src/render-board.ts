import { type Card, STATUSES, type Status } from './api.ts';
import { age, byId, h, label } from './dom.ts';
import type { Store } from './store.ts';

function card(c: Card): HTMLElement {
  return h(
    'article',
    {
      class: `card prio-${c.priority.toLowerCase()}${c.routing?.unrouted ? ' unrouted' : ''}`,
      'data-ticket': c.key,
      'data-status': c.status,
      'data-unrouted': c.routing?.unrouted ? 'true' : undefined,
    },
    h(
      'header',
      {},
      h('span', { class: 'key' }, c.key),
      h('span', { class: `prio prio-${c.priority.toLowerCase()}` }, label(c.priority)),
      c.confidential &&
        h('span', { class: 'tag confidential', title: 'Confidential: owner party only' }, 'confidential'),
      c.routing?.unrouted &&
        h(
          'span',
          {
            class: 'tag unrouted',
            title: 'No responsibility-matrix rule covers this ticket: someone must take it',
          },
          'unrouted',
        ),
      ...(c.goneFromTools ?? []).map((gone) => {
        const how = gone.endsWith('(merged)') ? 'merged' : 'deleted';
        return h(
          'span',
          {
            class: 'tag gone',
            'data-gone': gone,
            title: `${gone}: the ticket's copy there was ${how} away; the hub no longer syncs with it`,
          },
          `${how} in tool`,
        );
      }),
      h(
        'span',
        { class: 'age', title: `opened ${c.createdAt}, last change ${c.updatedAt}` },
        age(c.createdAt),
      ),
    ),
    h('p', { class: 'title' }, c.title),
    h(
      'footer',
      {},
      h(
        'span',
        { class: `party party-${c.ownerParty.kind.toLowerCase()}`, 'data-owner': c.ownerParty.slug },
        c.ownerParty.slug,
      ),
      c.serviceArea && h('span', { class: 'area', 'data-area': c.serviceArea }, c.serviceArea),
      h(
        'span',
        { class: c.assignee ? 'assignee' : 'assignee none', 'data-assignee': '' },
        c.assignee?.name ?? 'unassigned',
      ),
    ),
  );
}

export function renderBoard(store: Store): void {
  const columns = store.columns();
  const { byStatus } = store.stats();
  byId('board').replaceChildren(
    ...STATUSES.map((status: Status) => {
      const cards = columns[status];
      const more = status === 'CLOSED' ? byStatus.CLOSED - cards.length : 0;
      return h(
        'section',
        { class: `column col-${status.toLowerCase()}`, 'data-column': status },
        h('h2', {}, label(status), h('span', { class: 'count' }, byStatus[status])),
        cards.length
          ? h('div', { class: 'cards' }, ...cards.map(card))
          : h('p', { class: 'empty' }, 'nothing here'),
        more > 0 && h('p', { class: 'more' }, `+ ${more} older closed`),
      );
    }),
  );
}

export function renderStats(store: Store): void {
  const { byStatus, openByParty, oldest, unrouted } = store.stats();
  const open = byStatus.NEW + byStatus.OPEN + byStatus.IN_PROGRESS + byStatus.WAITING;
  const stat = (name: string, value: string | number, note?: string) =>
    h(
      'div',
      { class: 'stat', 'data-stat': name },
      h('span', { class: 'value' }, value),
      h('span', { class: 'name' }, note ?? name),
    );
  byId('stats').replaceChildren(
    stat('open', open, 'open tickets'),
    ...[...openByParty.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slug, n]) => stat(`owner-${slug}`, n, `open, owned by ${slug}`)),
    ...(unrouted > 0 ? [stat('unrouted', unrouted, 'open, UNROUTED')] : []),
    stat('resolved', byStatus.RESOLVED, 'resolved'),
    stat('closed', byStatus.CLOSED, 'closed'),
    stat(
      'oldest',
      oldest ? age(oldest.createdAt) : '—',
      oldest ? `oldest open: ${oldest.key}` : 'oldest open ticket',
    ),
  );
}
