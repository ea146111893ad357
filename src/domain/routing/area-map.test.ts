import { describe, expect, it } from 'vitest';
import { areaMapProblems, entryPath, toAreaMapEntries, toServiceArea, toToolQueue } from './area-map.ts';

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
    const problems = areaMapProblems(bad, new Set(['network']), new Set(['Help Desk', 'Network']));
    expect(problems.map((p) => [entryPath(bad, p, 'list'), p.message])).toEqual([
      ['queues[0].serviceArea', expect.stringMatching(/unknown service area "payroll"/)],
      ['queues[1].toolValue', expect.stringMatching(/unknown board or queue "Nowhere"/)],
      ['queues[2].toolValue', '"help desk" is mapped twice'],
    ]);
    expect(entryPath(bad, problems[1]!, 'record')).toBe('queues["Nowhere"]');
  });
});
