import { asc, inArray } from 'drizzle-orm';
import type { PartyRow } from '../db/schema/index.ts';
import { parties } from '../db/schema/index.ts';
import { builder } from './builder.ts';
import { PartyKindEnum } from './enums.ts';
import { UUID } from './global-id.ts';

export const PartyRef = builder.objectRef<PartyRow>('Party');

builder.node(PartyRef, {
  description: 'One side of the engagement: the internal IT team or the MSP.',
  id: { resolve: (p) => p.id },
  loadMany: async (ids, ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length ? await ctx.db.select().from(parties).where(inArray(parties.id, valid)) : [];
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  },
  fields: (t) => ({
    slug: t.exposeString('slug', {
      nullable: false,
      description: 'Short stable name, e.g. `internal` or `msp`.',
    }),
    name: t.exposeString('name', { nullable: false }),
    kind: t.field({ type: PartyKindEnum, nullable: false, resolve: (p) => p.kind }),
  }),
});

builder.queryField('parties', (t) =>
  t.field({
    type: [PartyRef],
    description: 'Every party in this hub.',
    resolve: (_root, _args, ctx) => ctx.db.select().from(parties).orderBy(asc(parties.slug)),
  }),
);
