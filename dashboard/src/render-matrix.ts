import type { EngagementInfo, Matrix, MatrixRule, PartyRef } from './api.ts';
import { byId, h } from './dom.ts';

/** R, A, C, I: what a party is for a rule. */
function roles(rule: MatrixRule, party: string): string {
  return [
    rule.responsibleParty.slug === party && 'R',
    rule.accountableParty.slug === party && 'A',
    rule.consultedParties.some((p) => p.slug === party) && 'C',
    rule.informedParties.some((p) => p.slug === party) && 'I',
  ]
    .filter(Boolean)
    .join('');
}

function condition(rule: MatrixRule): string {
  const parts = [
    rule.category && `category ${rule.category}`,
    rule.priorities?.join('/').toLowerCase(),
    rule.businessHours && (rule.businessHours === 'IN' ? 'in hours' : 'out of hours'),
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'all tickets';
}

/** The parties of the matrix, the customer's team first, in the order they appear. */
function partiesOf(matrix: Matrix): PartyRef[] {
  const seen = new Map<string, PartyRef>();
  for (const area of matrix.areas)
    for (const rule of [...area.now, ...area.next])
      for (const p of [
        rule.responsibleParty,
        rule.accountableParty,
        ...rule.consultedParties,
        ...rule.informedParties,
      ])
        seen.set(p.slug, p);
  return [...seen.values()].sort((a, b) =>
    a.kind === b.kind ? a.slug.localeCompare(b.slug) : a.kind === 'INTERNAL' ? -1 : 1,
  );
}

/**
 * The responsibility matrix as a table: service areas by parties (R responsible, A accountable,
 * C consulted, I informed), one line per rule in effect today, and the next phase change.
 */
export function renderMatrix(matrix: Matrix | null, error?: string): void {
  const root = byId('matrix');
  if (!matrix) {
    root.replaceChildren(
      h('p', { class: 'muted' }, error ?? 'Pick a customer to see its responsibility matrix.'),
    );
    return;
  }
  const parties = partiesOf(matrix);
  const row = (area: Matrix['areas'][number]) => {
    const rules = area.now.length ? area.now : [null];
    return rules.map((rule, i) =>
      h(
        'tr',
        { 'data-area': area.serviceArea.key, class: rule ? '' : 'gap' },
        i === 0 && h('th', { scope: 'row', rowspan: rules.length }, area.serviceArea.name),
        h('td', { class: 'cond' }, rule ? condition(rule) : 'no rule: UNROUTED'),
        ...parties.map((p) =>
          h('td', { class: 'raci', 'data-party': p.slug }, rule ? roles(rule, p.slug) : ''),
        ),
        i === 0 &&
          h(
            'td',
            { class: 'next', rowspan: rules.length, 'data-next': area.nextChangeOn ?? '' },
            area.nextChangeOn
              ? `from ${area.nextChangeOn}: ${area.next.map((r) => `${r.responsibleParty.slug} R (${condition(r)})`).join('; ') || 'no rule'}`
              : '—',
          ),
      ),
    );
  };
  const unrouted = matrix.unrouted.reduce((n, u) => n + u.count, 0);
  root.replaceChildren(
    h(
      'p',
      { class: 'muted' },
      `${matrix.engagementSlug} · today ${matrix.today} · R responsible, A accountable, C consulted, I informed`,
    ),
    h(
      'table',
      { class: 'matrix' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Area'),
          h('th', {}, 'Tickets'),
          ...parties.map((p) => h('th', {}, p.slug)),
          h('th', {}, 'Next change'),
        ),
      ),
      h('tbody', {}, ...matrix.areas.flatMap(row)),
    ),
    ...(unrouted > 0
      ? [
          h(
            'p',
            { class: 'unrouted-count', 'data-unrouted': unrouted },
            `${unrouted} open ticket${unrouted === 1 ? '' : 's'} UNROUTED: `,
            matrix.unrouted.map((u) => `${u.count} held by ${u.party.slug}`).join(', '),
          ),
        ]
      : []),
    ...matrix.gaps.map((g) =>
      h(
        'p',
        { class: 'gap-note' },
        `Gap: ${g.serviceArea}${g.from ? ` from ${g.from}` : ''}${g.to ? ` until ${g.to}` : ''}: ${g.tickets}`,
      ),
    ),
  );
}

/** The switcher an MSP user picks a customer with; remembered for the tab. Hidden with one engagement. */
export function renderSwitcher(
  engagements: EngagementInfo[],
  current: string | null,
  onPick: (slug: string | null) => void,
): void {
  const root = byId('switcher');
  if (engagements.length < 2) {
    root.hidden = true;
    return;
  }
  const select = h(
    'select',
    {
      id: 'engagement',
      'aria-label': 'Customer',
      onchange: (e: Event) => onPick((e.target as HTMLSelectElement).value || null),
    },
    h('option', { value: '', selected: current === null }, 'All customers'),
    ...engagements.map((e) =>
      h('option', { value: e.slug, selected: e.slug === current }, `${e.name} (${e.keyPrefix})`),
    ),
  );
  root.replaceChildren(h('label', { for: 'engagement' }, 'Customer'), select);
  root.hidden = false;
}
