import { and, asc, count, eq } from 'drizzle-orm';
import type { Context } from '../context.ts';
import type { ConnectionRow } from '../db/schema/index.ts';
import { connections, syncOutbox, tickets } from '../db/schema/index.ts';
import { loadEngagements } from '../domain/engagements.ts';
import { ticketInEngagements } from '../domain/visibility.ts';
import { AppError } from '../errors.ts';
import { builder } from './builder.ts';
import { EngagementRef } from './engagement.ts';
import { PartyRef } from './party.ts';
import { TicketLinkRef } from './ticket-link.ts';

const SyncConnectionRef = builder.objectRef<ConnectionRow>('SyncConnection');
const SyncHealthRef = builder.objectRef<ConnectionRow>('SyncHealth');

/** Deliveries of the viewer's engagements only: a PSA shared by many customers counts each one's own. */
async function outboxCount(ctx: Context, id: string, state: 'pending' | 'parked'): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(syncOutbox)
    .innerJoin(tickets, eq(tickets.id, syncOutbox.ticketId))
    .where(
      and(
        eq(syncOutbox.connectionId, id),
        eq(syncOutbox.state, state),
        ticketInEngagements(ctx.viewer.engagementIds),
      ),
    );
  return row?.n ?? 0;
}

/** Counters that sum over every customer of a shared tool are shown to the connection's own party only. */
const ownPartyOnly = <T>(c: ConnectionRow, ctx: Context, value: T): T | null =>
  c.partyId === ctx.viewer.partyId ? value : null;

SyncHealthRef.implement({
  description: 'How a connection is doing: pulls, lag, deliveries waiting or parked, the last error.',
  fields: (t) => ({
    lastPullAt: t.expose('lastPullAt', { type: 'DateTime', nullable: true }),
    lastSuccessAt: t.expose('lastSuccessAt', { type: 'DateTime', nullable: true }),
    lagSeconds: t.int({
      nullable: true,
      description: 'Seconds since the last successful pull.',
      resolve: (c) => (c.lastSuccessAt ? Math.round((Date.now() - c.lastSuccessAt.getTime()) / 1000) : null),
    }),
    pendingDeliveries: t.int({ resolve: (c, _a, ctx) => outboxCount(ctx, c.id, 'pending') }),
    parkedDeliveries: t.int({
      description: 'Deliveries that failed repeatedly and wait for replayParkedDeliveries.',
      resolve: (c, _a, ctx) => outboxCount(ctx, c.id, 'parked'),
    }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastErrorAt: t.expose('lastErrorAt', { type: 'DateTime', nullable: true }),
    backfillDone: t.exposeBoolean('backfillDone'),
    backfillFetched: t.exposeInt('backfillFetched'),
    backfillTotal: t.exposeInt('backfillTotal', { nullable: true }),
    outOfScopeRecords: t.int({
      nullable: true,
      description:
        "Records read from the tool that belong to no engagement it serves (another customer's company...): dropped, never stored. Null unless the connection is your party's.",
      resolve: (c, _a, ctx) => ownPartyOnly(c, ctx, c.outOfScopeCount),
    }),
    outOfScopeAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (c, _a, ctx) => ownPartyOnly(c, ctx, c.outOfScopeAt),
    }),
    outOfScopeLastKey: t.string({
      nullable: true,
      description:
        "The tool's customer key of the last dropped record: map it in the connections file if it is yours. Shown to the connection's own party only (it names another customer).",
      resolve: (c, _a, ctx) => ownPartyOnly(c, ctx, c.outOfScopeLastKey),
    }),
  }),
});

SyncConnectionRef.implement({
  description: 'A configured tool: a connector plus its party and settings (secrets never shown).',
  fields: (t) => ({
    id: t.exposeString('id', {
      description: 'The id from the connections file; webhooks go to /webhooks/<id>.',
    }),
    name: t.exposeString('name'),
    connector: t.exposeString('connector'),
    party: t.field({
      type: PartyRef,
      resolve: async (c, _a, ctx) => (await ctx.loaders.party.load(c.partyId))!,
    }),
    engagements: t.field({
      type: [EngagementRef],
      description: 'The engagements this connection serves (those your token may see).',
      resolve: (c, _a, ctx) =>
        loadEngagements(
          ctx.db,
          servedBy(c).filter((id) => ctx.viewer.engagementIds.includes(id)),
        ),
    }),
    paused: t.exposeBoolean('paused'),
    health: t.field({ type: SyncHealthRef, resolve: (c) => c }),
  }),
});

builder.objectField(TicketLinkRef, 'syncError', (t) =>
  t.exposeString('lastError', {
    nullable: true,
    description: 'Why the last delivery to this tool failed (parked deliveries stay here until replayed).',
  }),
);

builder.queryField('syncConnections', (t) =>
  t.field({
    type: [SyncConnectionRef],
    authScopes: { admin: true },
    description: "Every connection serving one of your engagements, both parties', with health. Admins only.",
    resolve: async (_r, _a, ctx) =>
      (await ctx.db.select().from(connections).orderBy(asc(connections.id))).filter((c) => serves(ctx, c)),
  }),
);

/** The engagements a connection serves: its one, or every value of its customer map. */
function servedBy(c: ConnectionRow): string[] {
  return c.engagementMap
    ? [...new Set(Object.values(c.engagementMap))]
    : c.engagementId
      ? [c.engagementId]
      : [];
}

/** Whether the viewer may know of the connection: it serves one of the viewer's engagements. */
function serves(ctx: Context, c: ConnectionRow): boolean {
  return servedBy(c).some((id) => ctx.viewer.engagementIds.includes(id));
}

/** Admin actions act on the admin's own party's connections only. */
async function ownConnection(ctx: Context, id: string): Promise<ConnectionRow> {
  const [row] = await ctx.db.select().from(connections).where(eq(connections.id, id));
  if (!row || !ctx.sync?.runtime(id) || !serves(ctx, row))
    throw new AppError('NOT_FOUND', `No connection "${id}" is configured on this hub.`);
  if (row.partyId !== ctx.viewer.partyId) {
    throw new AppError('FORBIDDEN', `Connection "${id}" belongs to another party; its admins manage it.`);
  }
  return row;
}

async function reload(ctx: Context, id: string): Promise<ConnectionRow> {
  const [row] = await ctx.db.select().from(connections).where(eq(connections.id, id));
  return row!;
}

const ReplayPayload = builder
  .objectRef<{ connection: ConnectionRow; replayed: number }>('ReplayParkedPayload')
  .implement({
    fields: (t) => ({
      connection: t.field({ type: SyncConnectionRef, resolve: (p) => p.connection }),
      replayed: t.exposeInt('replayed'),
    }),
  });

builder.mutationFields((t) => ({
  pauseConnection: t.field({
    type: SyncConnectionRef,
    authScopes: { admin: true },
    description: 'Stop pulling from and delivering to this tool. Changes keep queueing; nothing is lost.',
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await ownConnection(ctx, id);
      await ctx.sync!.setPaused(id, true);
      return reload(ctx, id);
    },
  }),
  resumeConnection: t.field({
    type: SyncConnectionRef,
    authScopes: { admin: true },
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await ownConnection(ctx, id);
      await ctx.sync!.setPaused(id, false);
      return reload(ctx, id);
    },
  }),
  resyncConnection: t.field({
    type: SyncConnectionRef,
    authScopes: { admin: true },
    description:
      'Start a full re-read of the tool (a backfill). Safe: applying known records changes nothing.',
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await ownConnection(ctx, id);
      await ctx.sync!.resync(id);
      return reload(ctx, id);
    },
  }),
  replayParkedDeliveries: t.field({
    type: ReplayPayload,
    authScopes: { admin: true },
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await ownConnection(ctx, id);
      const replayed = await ctx.sync!.replay(id);
      return { connection: await reload(ctx, id), replayed };
    },
  }),
}));
