import { describe, expect, it } from 'vitest';
import { type CourtInputs, decideCourt } from './court.ts';

const MSP = 'msp';
const INTERNAL = 'internal';
const engagement = { internalPartyId: INTERNAL, mspPartyId: MSP };
const t0 = new Date('2027-01-04T09:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

function input(over: Partial<CourtInputs['ticket']>, extra: Partial<CourtInputs> = {}): CourtInputs {
  return {
    ticket: {
      status: 'OPEN',
      ownerPartyId: MSP,
      shared: true,
      confidential: false,
      fieldChangedAt: { status: at(10).toISOString() },
      createdAt: t0,
      ...over,
    },
    engagement,
    lastPublicComment: null,
    ...extra,
  };
}

describe('decideCourt', () => {
  it.each([
    ['an open ticket is with its owner', input({}), { partyId: MSP, reason: 'OWNER' }],
    ['a resolved ticket is in nobody’s court', input({ status: 'RESOLVED' }), null],
    [
      'WAITING puts it with the other side',
      input({ status: 'WAITING' }),
      { partyId: INTERNAL, reason: 'WAITING' },
    ],
    [
      'the other side’s public answer after the wait brings it back',
      input({ status: 'WAITING' }, { lastPublicComment: { partyId: INTERNAL, createdAt: at(20) } }),
      { partyId: MSP, reason: 'OWNER' },
    ],
    [
      'an answer from before the wait does not',
      input({ status: 'WAITING' }, { lastPublicComment: { partyId: INTERNAL, createdAt: at(5) } }),
      { partyId: INTERNAL, reason: 'WAITING' },
    ],
    [
      'the owner’s own comment does not',
      input({ status: 'WAITING' }, { lastPublicComment: { partyId: MSP, createdAt: at(20) } }),
      { partyId: INTERNAL, reason: 'WAITING' },
    ],
    [
      'a confidential ticket waits on nobody the hub knows: the owner keeps it',
      input({ status: 'WAITING', ownerPartyId: INTERNAL, confidential: true, shared: false }),
      { partyId: INTERNAL, reason: 'OWNER' },
    ],
    [
      'a pending decision wins over everything but closure',
      input({ status: 'WAITING' }, { pendingDecisionPartyId: MSP }),
      { partyId: MSP, reason: 'DECISION' },
    ],
  ])('%s', (_name, given, expected) => {
    expect(decideCourt(given)).toEqual(expected);
  });
});
