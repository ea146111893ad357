import { describe, expect, it } from 'vitest';
import { changesFor, classifyChanges, diffTicket, lifecycleTimestamps } from './changes.ts';

const base = {
  title: 'Printer',
  description: null,
  status: 'OPEN' as const,
  priority: 'LOW' as const,
  ownerPartyId: 'p1',
  assigneeId: null,
  requesterId: null,
  serviceArea: null,
  category: null,
  confidential: false,
  shared: false,
  routingRuleId: null,
  routingReason: null,
  unrouted: false,
};

describe('diffTicket', () => {
  it('reports only fields that really change', () => {
    expect(diffTicket(base, { title: 'Printer', priority: 'HIGH', description: null })).toEqual([
      { field: 'priority', from: 'LOW', to: 'HIGH' },
    ]);
    expect(diffTicket(base, {})).toEqual([]);
  });
});

describe('classifyChanges', () => {
  const status = (from: string, to: string) => [{ field: 'status', from, to }];
  it('names the lifecycle move', () => {
    expect(classifyChanges(status('OPEN', 'CLOSED'))).toEqual(['CLOSED']);
    expect(classifyChanges(status('OPEN', 'RESOLVED'))).toEqual(['RESOLVED']);
    expect(classifyChanges(status('RESOLVED', 'OPEN'))).toEqual(['REOPENED']);
    expect(classifyChanges(status('NEW', 'IN_PROGRESS'))).toEqual(['STATUS_CHANGED']);
  });
  it('yields REASSIGNED and the status event when both happen, each with its own fields', () => {
    const changes = [
      { field: 'ownerPartyId', from: 'a', to: 'b' },
      { field: 'status', from: 'OPEN', to: 'CLOSED' },
      { field: 'title', from: 'x', to: 'y' },
    ];
    const types = classifyChanges(changes);
    expect(types).toEqual(['REASSIGNED', 'CLOSED']);
    expect(changesFor('REASSIGNED', changes).map((c) => c.field)).toEqual(['ownerPartyId']);
    expect(changesFor('CLOSED', changes).map((c) => c.field)).toEqual(['status', 'title']);
  });
  it('keeps plain edits that come with a reassignment as an UPDATED event', () => {
    expect(
      classifyChanges([
        { field: 'assigneeId', from: null, to: 'u' },
        { field: 'title', from: 'x', to: 'y' },
      ]),
    ).toEqual(['REASSIGNED', 'UPDATED']);
  });
});

describe('lifecycleTimestamps', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it('stamps resolution and closure, and clears them on reopen', () => {
    expect(lifecycleTimestamps('OPEN', 'RESOLVED', now)).toEqual({ resolvedAt: now, closedAt: null });
    expect(lifecycleTimestamps('RESOLVED', 'CLOSED', now)).toEqual({ closedAt: now });
    expect(lifecycleTimestamps('OPEN', 'CLOSED', now)).toEqual({ resolvedAt: now, closedAt: now });
    expect(lifecycleTimestamps('CLOSED', 'OPEN', now)).toEqual({ resolvedAt: null, closedAt: null });
    expect(lifecycleTimestamps('OPEN', 'OPEN', now)).toEqual({});
  });
});
