import type { Viewer } from '../auth/tokens.ts';
import { loadEngagements } from '../domain/engagements.ts';
import { builder } from './builder.ts';
import { EngagementRef } from './engagement.ts';
import { RoleEnum } from './enums.ts';
import { PartyRef } from './party.ts';

const ViewerRef = builder.objectRef<Viewer>('Viewer');

ViewerRef.implement({
  description: 'Who you are: the party and role of the token you sent.',
  fields: (t) => ({
    tokenName: t.exposeString('tokenName'),
    role: t.field({ type: RoleEnum, resolve: (v) => v.role }),
    party: t.field({
      type: PartyRef,
      resolve: async (v, _a, ctx) => (await ctx.loaders.party.load(v.partyId))!,
    }),
    engagements: t.field({
      type: [EngagementRef],
      description: 'The engagements this token may see (for MSP users: what the engagement switcher offers).',
      resolve: (v, _a, ctx) => loadEngagements(ctx.db, v.engagementIds),
    }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: ViewerRef, resolve: (_root, _args, ctx) => ctx.viewer }));
