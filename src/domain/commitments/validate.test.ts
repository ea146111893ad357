import { describe, expect, it } from 'vitest';
import { type Coverage, overlaps } from './validate.ts';

const base: Coverage = {
  obligatedPartyId: 'msp',
  metric: 'FIRST_RESPONSE',
  serviceAreas: null,
  priorities: null,
  categories: null,
  targets: { HIGH: 60, MEDIUM: 240 },
};

describe('overlaps', () => {
  it.each([
    ['the same coverage', {}, true],
    ['another party', { obligatedPartyId: 'internal' }, false],
    ['another metric', { metric: 'RESOLUTION' as const }, false],
    ['disjoint areas vs any area', { serviceAreas: ['network'] }, true],
    ['priorities without a target in common', { targets: { LOW: 480 } }, false],
    [
      'listed priorities without a target do not count',
      { priorities: ['LOW' as const], targets: { LOW: 1 } },
      false,
    ],
  ])('%s', (_name, over, expected) => {
    expect(overlaps(base, { ...base, ...over })).toBe(expected);
  });

  it('disjoint areas or categories never overlap', () => {
    expect(overlaps({ ...base, serviceAreas: ['network'] }, { ...base, serviceAreas: ['email'] })).toBe(
      false,
    );
    expect(overlaps({ ...base, categories: ['a'] }, { ...base, categories: ['b'] })).toBe(false);
  });
});
