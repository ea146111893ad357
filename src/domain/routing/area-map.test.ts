import { describe, expect, it } from 'vitest';
import { areaMapProblems, toAreaMapEntries, toServiceArea, toToolQueue } from './area-map.ts';

const entries = toAreaMapEntries({
  queues: { 'Help Desk': 'helpdesk-t1', Network: 'network' },
  categories: { 'Backup failure': 'backup' },
});

describe('area map', () => {
  it.each([
    [{ queue: 'Help Desk' }, 'helpdesk-t1'],
    [{ queue: 'help desk' }, 'helpdesk-t1'],
    [{ queue: 'Network', category: 'Backup failure' }, 'backup'],
    [{ queue: 'Network', category: 'Other' }, 'network'],
    [{ queue: 'Projects' }, null],
    [{}, null],
  ])('%o -> %s', (record, area) => {
    expect(toServiceArea(entries, record)).toBe(area);
  });

  it('files a new tool ticket on the board mapped to its area', () => {
    expect(toToolQueue(entries, 'network')).toBe('Network');
    expect(toToolQueue(entries, 'backup')).toBeNull();
    expect(toToolQueue(entries, null)).toBeNull();
  });

  it('names each bad entry: unknown area, unknown board, a board mapped twice', () => {
    const bad = toAreaMapEntries({ queues: { 'Help Desk': 'payroll', Nowhere: 'network' } });
    bad.push({ field: 'QUEUE', toolValue: 'help desk', serviceArea: 'network' });
    expect(areaMapProblems(bad, new Set(['network']), new Set(['Help Desk', 'Network']))).toEqual([
      { field: 'entries[0].serviceArea', message: expect.stringMatching(/unknown service area "payroll"/) },
      { field: 'entries[1].toolValue', message: expect.stringMatching(/unknown board or queue "Nowhere"/) },
      { field: 'entries[2].toolValue', message: '"help desk" is mapped twice' },
    ]);
  });
});
