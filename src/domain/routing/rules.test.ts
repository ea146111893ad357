import { describe, expect, it } from 'vitest';
import { toRoutingMoment } from './moment.ts';
import { decideRoute, type RoutingRule } from './rules.ts';
import { validateRuleSet } from './validate.ts';

const rule = (over: Partial<RoutingRule> & Pick<RoutingRule, 'id' | 'serviceArea'>): RoutingRule => ({
  category: null,
  priorities: null,
  businessHours: null,
  responsiblePartyId: 'internal',
  accountablePartyId: 'internal',
  consultedPartyIds: [],
  informedPartyIds: [],
  effectiveFrom: null,
  effectiveTo: null,
  precedence: 100,
  ...over,
});

// The phased hand-over of the README: Helpdesk tier 1 moves to the MSP on 2027-01-01.
const matrix: RoutingRule[] = [
  rule({ id: 'hd-before', serviceArea: 'helpdesk-t1', effectiveTo: '2027-01-01' }),
  rule({
    id: 'hd-after',
    serviceArea: 'helpdesk-t1',
    effectiveFrom: '2027-01-01',
    responsiblePartyId: 'msp',
  }),
  rule({ id: 'mon', serviceArea: 'monitoring', responsiblePartyId: 'msp', accountablePartyId: 'msp' }),
  rule({ id: 'net-day', serviceArea: 'network', businessHours: 'IN' }),
  rule({ id: 'net-night', serviceArea: 'network', businessHours: 'OUT', responsiblePartyId: 'msp' }),
  rule({
    id: 'net-crit',
    serviceArea: 'network',
    priorities: ['CRITICAL'],
    responsiblePartyId: 'msp',
    precedence: 10,
  }),
  rule({ id: 'erp-bug', serviceArea: 'erp', category: 'Bug', responsiblePartyId: 'msp', precedence: 10 }),
  rule({ id: 'erp', serviceArea: 'erp' }),
];

describe('decideRoute', () => {
  const day = (d: string, inHours = true) => ({ day: d, inBusinessHours: inHours });
  it.each([
    ['helpdesk-t1', null, 'MEDIUM', day('2026-12-31'), 'hd-before'],
    ['helpdesk-t1', null, 'MEDIUM', day('2027-01-01'), 'hd-after'],
    ['monitoring', null, 'LOW', day('2026-06-01'), 'mon'],
    ['network', null, 'LOW', day('2026-06-01', true), 'net-day'],
    ['network', null, 'LOW', day('2026-06-01', false), 'net-night'],
    ['network', null, 'CRITICAL', day('2026-06-01', true), 'net-crit'],
    ['erp', 'Bug', 'LOW', day('2026-06-01'), 'erp-bug'],
    ['erp', 'Question', 'LOW', day('2026-06-01'), 'erp'],
    ['backup', null, 'LOW', day('2026-06-01'), null],
    [null, null, 'LOW', day('2026-06-01'), null],
  ] as const)('area %s, category %s, %s on %o -> %s', (serviceArea, category, priority, moment, want) => {
    const decision = decideRoute(matrix, { serviceArea, category, priority }, moment);
    expect(decision.rule?.id ?? null).toBe(want);
    expect(decision.explanation).toMatch(want ? `rule ${want}` : /UNROUTED/);
  });
});

describe('validateRuleSet', () => {
  const ctx = {
    areas: new Set(['helpdesk-t1', 'monitoring', 'network', 'erp', 'backup']),
    parties: new Set(['internal', 'msp']),
    today: '2026-12-07',
  };

  it('accepts the matrix and reports the area no rule covers as a gap', () => {
    const report = validateRuleSet(matrix, ctx);
    expect(report.problems).toEqual([]);
    expect(report.gaps).toEqual([{ serviceArea: 'backup', from: null, to: null, tickets: 'every ticket' }]);
  });

  it('reports the stretch of time after a rule ends', () => {
    const report = validateRuleSet([rule({ id: 'a', serviceArea: 'backup', effectiveTo: '2027-03-01' })], {
      ...ctx,
      areas: new Set(['backup']),
    });
    expect(report.gaps).toEqual([
      { serviceArea: 'backup', from: '2027-03-01', to: null, tickets: 'every ticket' },
    ]);
  });

  it('reports the kind of ticket that falls through', () => {
    const report = validateRuleSet([rule({ id: 'a', serviceArea: 'backup', businessHours: 'IN' })], {
      ...ctx,
      areas: new Set(['backup']),
    });
    expect(report.gaps[0]?.tickets).toBe('every ticket outside business hours');
  });

  it.each([
    [
      'overlapping rules of equal precedence',
      [
        rule({ id: 'a', serviceArea: 'backup' }),
        rule({ id: 'b', serviceArea: 'backup', effectiveFrom: '2027-01-01' }),
      ],
      { index: 1, field: 'precedence', message: expect.stringMatching(/overlaps rule 0 .*from 2027-01-01/) },
    ],
    [
      'an unknown area',
      [rule({ id: 'a', serviceArea: 'payroll' })],
      { index: 0, field: 'serviceArea', message: expect.stringMatching(/unknown service area "payroll"/) },
    ],
    [
      'a party outside the engagement',
      [rule({ id: 'a', serviceArea: 'backup', responsiblePartyId: 'globex-it' })],
      { index: 0, field: 'responsibleParty', message: expect.stringMatching(/outside this engagement/) },
    ],
    [
      'dates out of order',
      [rule({ id: 'a', serviceArea: 'backup', effectiveFrom: '2027-02-01', effectiveTo: '2027-01-01' })],
      { index: 0, field: 'effectiveTo', message: expect.stringMatching(/after effectiveFrom/) },
    ],
    [
      'a date that is not a day',
      [rule({ id: 'a', serviceArea: 'backup', effectiveFrom: '1/1/2027' })],
      { index: 0, field: 'effectiveFrom', message: expect.stringMatching(/YYYY-MM-DD/) },
    ],
  ])('refuses %s, naming the field', (_name, rules, problem) => {
    expect(validateRuleSet(rules, ctx).problems).toContainEqual(problem);
  });

  it('does not call an exception of lower precedence an overlap', () => {
    const rules = [
      rule({ id: 'a', serviceArea: 'backup' }),
      rule({ id: 'b', serviceArea: 'backup', priorities: ['CRITICAL'], precedence: 1 }),
    ];
    expect(validateRuleSet(rules, ctx).problems).toEqual([]);
  });
});

describe('toRoutingMoment', () => {
  const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
  it.each([
    ['2026-12-07T07:30:00Z', '2026-12-07', true], // Monday 08:30 in Berlin
    ['2026-12-07T06:30:00Z', '2026-12-07', false], // Monday 07:30 in Berlin
    ['2026-12-05T10:00:00Z', '2026-12-05', false], // Saturday
    ['2026-12-31T23:30:00Z', '2027-01-01', false], // already New Year's Day in Berlin
  ])('%s is %s, in hours: %s', (at, day, inBusinessHours) => {
    expect(toRoutingMoment(new Date(at), hours)).toEqual({ day, inBusinessHours });
  });
});
