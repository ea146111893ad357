import { and, asc, inArray } from 'drizzle-orm';
import type { PartyRow } from '../db/schema/index.ts';
import { parties } from '../db/schema/index.ts';
import { partyVisibleIn } from '../domain/people-visibility.ts';
import { builder } from './builder.ts';
import { PartyKindEnum } from './enums.ts';
import { UUID } from './global-id.ts';

export const PartyRef = builder.objectRef<PartyRow>('Party');

builder.node(PartyRef, {
  description:
    "One side of an engagement: a customer's internal IT team, or the MSP (a side of all its engagements).",
  id: { resolve: (p) => p.id },
  loadMany: async (ids, ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    // Another customer's party is null here, like a random id.
    const rows = valid.length
      ? await ctx.db
          .select()
          .from(parties)
          .where(and(inArray(parties.id, valid), partyVisibleIn(ctx.viewer)))
      : [];
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Short stable name, e.g. `internal` or `msp`.' }),
    name: t.exposeString('name'),
    kind: t.field({ type: PartyKindEnum, resolve: (p) => p.kind }),
  }),
});

builder.queryField('parties', (t) =>
  t.field({
    type: [PartyRef],
    description: "Your party and the parties of your engagements (never another customer's team).",
    resolve: (_root, _args, ctx) =>
      ctx.db.select().from(parties).where(partyVisibleIn(ctx.viewer)).orderBy(asc(parties.slug)),
  }),
);
