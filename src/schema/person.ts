import { asc, eq, inArray } from 'drizzle-orm';
import type { PersonRow } from '../db/schema/index.ts';
import { parties, people } from '../db/schema/index.ts';
import { builder } from './builder.ts';
import { UUID } from './global-id.ts';
import { PartyRef } from './party.ts';

export const PersonRef = builder.objectRef<PersonRow>('Person');

builder.node(PersonRef, {
  description: 'Someone who requests or holds tickets, in either party.',
  id: { resolve: (p) => p.id },
  loadMany: async (ids, ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length ? await ctx.db.select().from(people).where(inArray(people.id, valid)) : [];
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  },
  fields: (t) => ({
    name: t.exposeString('name', { nullable: false }),
    email: t.exposeString('email', { nullable: true }),
    party: t.field({
      type: PartyRef,
      nullable: false,
      resolve: async (p, _args, ctx) => (await ctx.loaders.party.load(p.partyId))!,
    }),
  }),
});

builder.queryField('people', (t) =>
  t.field({
    type: [PersonRef],
    description: 'People known to the hub, optionally of one party (by slug).',
    args: { party: t.arg.string({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const query = ctx.db
        .select({ person: people })
        .from(people)
        .innerJoin(parties, eq(parties.id, people.partyId));
      const rows = args.party
        ? await query.where(eq(parties.slug, args.party)).orderBy(asc(people.name))
        : await query.orderBy(asc(people.name));
      return rows.map((r) => r.person);
    },
  }),
);
