import { and, asc, eq, inArray } from 'drizzle-orm';
import type { PersonRow } from '../db/schema/index.ts';
import { parties, people } from '../db/schema/index.ts';
import { personVisibleIn } from '../domain/people-visibility.ts';
import { builder } from './builder.ts';
import { UUID } from './global-id.ts';
import { PartyRef } from './party.ts';

export const PersonRef = builder.objectRef<PersonRow>('Person');

builder.node(PersonRef, {
  description: 'Someone who requests or holds tickets, in either party.',
  id: { resolve: (p) => p.id },
  loadMany: async (ids, ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    // Another customer's people are null here, like a random id.
    const rows = valid.length
      ? await ctx.db
          .select()
          .from(people)
          .where(and(inArray(people.id, valid), personVisibleIn(ctx.viewer)))
      : [];
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email', { nullable: true }),
    party: t.field({
      type: PartyRef,
      resolve: async (p, _args, ctx) => (await ctx.loaders.party.load(p.partyId))!,
    }),
  }),
});

builder.queryField('people', (t) =>
  t.field({
    type: [PersonRef],
    description: "People of your party and of your engagements' parties, optionally of one party (by slug).",
    args: { party: t.arg.string({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const query = ctx.db
        .select({ person: people })
        .from(people)
        .innerJoin(parties, eq(parties.id, people.partyId));
      const rows = await query
        .where(and(personVisibleIn(ctx.viewer), args.party ? eq(parties.slug, args.party) : undefined))
        .orderBy(asc(people.name));
      return rows.map((r) => r.person);
    },
  }),
);
