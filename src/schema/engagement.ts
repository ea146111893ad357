import { eq } from 'drizzle-orm';
import type { EngagementRow } from '../db/schema/index.ts';
import { engagements } from '../db/schema/index.ts';
import { createEngagement } from '../domain/engagement-admin.ts';
import { loadEngagements } from '../domain/engagements.ts';
import { AppError } from '../errors.ts';
import { builder } from './builder.ts';
import { UUID } from './global-id.ts';
import { PartyRef } from './party.ts';

export const EngagementRef = builder.objectRef<EngagementRow>('Engagement');

builder.node(EngagementRef, {
  description:
    "One customer's co-managed relationship: its internal party and the MSP. Every ticket belongs to one.",
  id: { resolve: (e) => e.id },
  // Only engagements the token may see: another customer's is null, like a random id.
  loadMany: async (ids, ctx) => {
    const wanted = ids.filter((id) => UUID.test(id) && ctx.viewer.engagementIds.includes(id));
    const rows = await loadEngagements(ctx.db, wanted);
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Short stable name, e.g. `acme`.' }),
    name: t.exposeString('name'),
    keyPrefix: t.exposeString('keyPrefix', {
      description: 'Ticket keys read `<keyPrefix>-<number>`, e.g. ACME-42.',
    }),
    internalParty: t.field({
      type: PartyRef,
      description: "The customer's own IT team.",
      resolve: async (e, _a, ctx) => (await ctx.loaders.party.load(e.internalPartyId))!,
    }),
    mspParty: t.field({
      type: PartyRef,
      resolve: async (e, _a, ctx) => (await ctx.loaders.party.load(e.mspPartyId))!,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  engagements: t.field({
    type: [EngagementRef],
    description:
      "The engagements your token may see: an internal team's one, or the MSP's (all, or the token's list).",
    resolve: (_r, _a, ctx) => loadEngagements(ctx.db, ctx.viewer.engagementIds),
  }),
  engagement: t.field({
    type: EngagementRef,
    nullable: true,
    description: 'One engagement by slug, or null when it does not exist or your token may not see it.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (_r, { slug }, ctx) => {
      const [row] = await ctx.db.select().from(engagements).where(eq(engagements.slug, slug));
      return row && ctx.viewer.engagementIds.includes(row.id) ? row : null;
    },
  }),
}));

const NewInternalPartyInput = builder.inputType('NewInternalPartyInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'e.g. `acme-it`' }),
    name: t.string({ required: true, description: 'e.g. `ACME IT`' }),
  }),
});

const CreateEngagementInput = builder.inputType('CreateEngagementInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Kebab-case, unique, e.g. `acme`.' }),
    name: t.string({ required: true }),
    keyPrefix: t.string({ required: true, description: 'Upper-case, unique, e.g. `ACME` (keys ACME-1...).' }),
    internalParty: t.string({
      required: false,
      description: 'An existing INTERNAL party (slug) that is not yet the side of another engagement.',
    }),
    newInternalParty: t.field({
      type: NewInternalPartyInput,
      required: false,
      description: "Or: create the customer's internal party with the engagement.",
    }),
  }),
});

const EngagementPayload = builder.objectRef<{ engagement: EngagementRow }>('EngagementPayload').implement({
  fields: (t) => ({ engagement: t.field({ type: EngagementRef, resolve: (p) => p.engagement }) }),
});

builder.mutationField('createEngagement', (t) =>
  t.field({
    type: EngagementPayload,
    description:
      "Onboard a customer: a new engagement whose MSP side is your party. MSP admins only; the MSP's unrestricted tokens see it at once, restricted ones do not.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateEngagementInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      if (ctx.viewer.partyKind !== 'MSP') {
        throw new AppError(
          'FORBIDDEN',
          "Only an MSP party's admins create engagements (or use `hub engagement create`).",
        );
      }
      const engagement = await createEngagement(ctx.db, {
        slug: input.slug,
        name: input.name,
        keyPrefix: input.keyPrefix,
        internalParty: input.internalParty ?? null,
        newInternalParty: input.newInternalParty ?? null,
        mspParty: ctx.viewer.partySlug,
      });
      ctx.onEngagementsChanged?.();
      return { engagement };
    },
  }),
);
