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
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        "When the ticket's copy in this tool was found deleted or merged away; the hub no longer syncs with it.",
    }),
    removedAs: t.exposeString('removedAs', {
      nullable: true,
      description: '`deleted` or `merged` (into `mergedInto`), once the copy is gone.',
    }),
    mergedInto: t.exposeString('mergedInto', {
      nullable: true,
      description:
        "The surviving ticket's id in the tool, when the copy was merged into another hub ticket's copy.",
    }),
    notice: t.exposeString('notice', {
      nullable: true,
      description:
        'Something the hub could not carry over to this tool that is not a failed delivery, e.g. why the assignee was not set there (the owner was left as it was).',
    }),
  }),
});
