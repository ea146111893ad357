import type { TicketLinkRow } from '../db/schema/index.ts';
import { builder } from './builder.ts';
import { PartyRef } from './party.ts';

export const TicketLinkRef = builder.objectRef<TicketLinkRow>('TicketLink');

TicketLinkRef.implement({
  description: "A ticket's identity in one external tool.",
  fields: (t) => ({
    connectionId: t.exposeString('connectionId', { nullable: false }),
    connector: t.string({
      nullable: false,
      resolve: async (l, _a, ctx) =>
        (await ctx.loaders.connection.load(l.connectionId))?.connector ?? 'unknown',
    }),
    party: t.field({
      type: PartyRef,
      nullable: true,
      resolve: async (l, _a, ctx) => {
        const connection = await ctx.loaders.connection.load(l.connectionId);
        return connection ? ctx.loaders.party.load(connection.partyId) : null;
      },
    }),
    externalId: t.exposeString('externalId', { nullable: false }),
    externalUrl: t.exposeString('externalUrl', { nullable: true }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
  }),
});
