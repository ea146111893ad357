/**
 * The reference connector over the memory vendor: the smallest complete `Connector`, showing the
 * intended shape (inclusive keyset cursor, correlation search before create, zod-checked
 * responses, constant-time webhook verification). Its `variant` switches on deliberate bugs so
 * the kit's tests can prove the conformance suite catches them.
 */
import { z } from 'zod';
import { defineConnector } from '../contract.ts';
import { ConnectorError, isConnectorError } from '../errors.ts';
import { parseWith } from '../http.ts';
import type { CommentRecord } from '../records.ts';
import { resolveCreateScope, scopeIsEmpty } from '../scope.ts';
import { getHeader, verifyHmac, withinReplayWindow } from '../signatures.ts';
import * as api from './memory-api.ts';
import {
  type MemoryConfig,
  MemoryConfigSchema,
  memoryMappings,
  toCommentRecord,
  toTicketRecord,
} from './memory-mapping.ts';

export type { MemoryConfig } from './memory-mapping.ts';

/** Deliberate bugs, each caught by a conformance check. */
export interface MemoryVariant {
  /** Resume pulls with `updated > cursor`: loses tickets written at the cursor's own time. */
  exclusiveCursor?: boolean;
  /** Create without searching for the correlation key: duplicates on retry. */
  forgetCorrelation?: boolean;
  /** Accept any webhook that has signature headers. */
  acceptAnySignature?: boolean;
  /** Start each next page at `updated > last seen`: loses tickets sharing a page-boundary time. */
  timestampOnlyPaging?: boolean;
  /** Page by offset over a last-updated sort: a ticket changed mid-pull shifts others past the pull. */
  offsetPaging?: boolean;
  /** `listCommentsBulk` gives each ticket's comments newest first, unlike `listComments`. */
  bulkNewestFirst?: boolean;
  /** Pull the whole tool whatever `ctx.scopeKeys` says (while claiming a server-side filter). */
  ignoreScope?: boolean;
  /** Create under the config's default customer, ignoring `draft.scopeKey` and the scope. */
  ignoreDraftScope?: boolean;
}

const REPLAY_WINDOW_MS = 5 * 60_000;
const WebhookBodySchema = z.object({ event: z.string(), ticket_id: z.number().int() });

export function createMemoryConnector(variant: MemoryVariant = {}) {
  return defineConnector<MemoryConfig>({
    id: 'memory',
    displayName: 'Memory (reference)',
    version: '1.0.0',
    docsUrl: 'https://example.invalid/memory-vendor',
    configSchema: MemoryConfigSchema,
    defaultMappings: memoryMappings,

    async check(ctx) {
      try {
        await api.getMe(api.memoryClient(ctx));
        return { ok: true };
      } catch (err) {
        if (isConnectorError(err) && err.kind === 'auth')
          return { ok: false, reason: 'The API token was rejected.' };
        return {
          ok: false,
          reason: `Could not reach the API: ${err instanceof Error ? err.message : 'unknown error'}`,
        };
      }
    },

    async *pullTickets(ctx, cursor) {
      if (scopeIsEmpty(ctx) && !variant.ignoreScope) return;
      const http = api.memoryClient(ctx);
      // The server-side scope filter, kept on every page's query.
      const customer = ctx.scopeKeys && !variant.ignoreScope ? { customer: ctx.scopeKeys.join(',') } : {};
      let params: api.ListParams = { limit: ctx.config.pageSize, ...customer };
      if (cursor)
        params = variant.exclusiveCursor
          ? { ...params, updated_after: cursor }
          : { ...params, updated_since: cursor };
      let fetched = 0;
      for (;;) {
        const page = await api.listTickets(http, params);
        const last = page.items.at(-1);
        fetched += page.items.length;
        yield {
          records: page.items.map((t) => toTicketRecord(ctx, t)),
          cursor: last ? last.updated.toISOString() : cursor,
          progress: { fetched },
        };
        if (!page.has_more || !last) return;
        // Keyset on (updated, id): a page boundary inside one timestamp loses nothing, and a ticket
        // moving to the end mid-pull cannot shift unseen tickets backwards.
        params = {
          limit: ctx.config.pageSize,
          ...customer,
          updated_since: last.updated.toISOString(),
          after_id: last.id,
        };
        if (variant.timestampOnlyPaging)
          params = { limit: ctx.config.pageSize, ...customer, updated_after: last.updated.toISOString() };
        if (variant.offsetPaging)
          params = {
            limit: ctx.config.pageSize,
            ...customer,
            updated_since: cursor ?? undefined,
            offset: fetched,
          };
      }
    },

    async getTicket(ctx, externalId) {
      const ticket = await api.getTicketById(api.memoryClient(ctx), externalId);
      return ticket ? toTicketRecord(ctx, ticket) : null;
    },

    async createTicket(ctx, draft) {
      // Before any request: a create outside the connection's customers writes nothing.
      const customer = variant.ignoreDraftScope
        ? (ctx.config.defaultCustomer ?? null)
        : resolveCreateScope(ctx, draft, ctx.config.defaultCustomer ?? null);
      const http = api.memoryClient(ctx);
      if (!variant.forgetCorrelation) {
        const existing = await api.listTickets(http, { xref: draft.hubTicketId, limit: 1 });
        if (existing.items[0]) return toTicketRecord(ctx, existing.items[0]);
      }
      const created = await api.postTicket(http, {
        subject: draft.title,
        body: draft.description,
        state: ctx.maps.status.fromCanonical[draft.status],
        urgency: ctx.maps.priority.fromCanonical[draft.priority],
        owner: draft.assigneeExternalId,
        xref: draft.hubTicketId,
        ...(customer ? { customer } : {}),
      });
      return toTicketRecord(ctx, created);
    },

    async updateTicket(ctx, externalId, patch) {
      const fields: Record<string, unknown> = {};
      if (patch.title !== undefined) fields.subject = patch.title;
      if (patch.status !== undefined) fields.state = ctx.maps.status.fromCanonical[patch.status];
      if (patch.priority !== undefined) fields.urgency = ctx.maps.priority.fromCanonical[patch.priority];
      if (patch.assigneeExternalId !== undefined) fields.owner = patch.assigneeExternalId;
      return toTicketRecord(ctx, await api.patchTicket(api.memoryClient(ctx), externalId, fields));
    },

    async listComments(ctx, externalId, since) {
      const comments = await api.getComments(api.memoryClient(ctx), externalId);
      return comments.filter((c) => !since || c.created >= since).map(toCommentRecord);
    },

    // The memory API reads comments per ticket only, so "as few requests as the API allows" is one
    // per ticket; the reference has it so the suite's bulk check runs against a passing connector.
    async listCommentsBulk(ctx, externalIds) {
      const out = new Map<string, CommentRecord[]>();
      for (const id of new Set(externalIds)) {
        const comments = (await api.getComments(api.memoryClient(ctx), id)).map(toCommentRecord);
        if (comments.length > 0) out.set(id, variant.bulkNewestFirst ? comments.reverse() : comments);
      }
      return out;
    },

    async addComment(ctx, externalId, comment) {
      const created = await api.postComment(api.memoryClient(ctx), externalId, {
        text: comment.body,
        private: comment.visibility === 'INTERNAL',
        author: comment.authorName ?? 'hub',
      });
      return toCommentRecord(created);
    },

    webhook: {
      async verify(ctx, req) {
        const signature = getHeader(req.headers, 'x-memory-signature');
        const timestamp = getHeader(req.headers, 'x-memory-timestamp');
        if (!signature || !timestamp) return 'missing_headers';
        if (variant.acceptAnySignature) return 'valid';
        const payload = Buffer.concat([Buffer.from(`${timestamp}.`), req.rawBody]);
        const key = ctx.config.webhookSecret;
        if (
          !verifyHmac({ algorithm: 'sha256', key, payload, signature, encoding: 'hex', prefix: 'sha256=' })
        ) {
          return 'invalid';
        }
        // Checked after the signature, so an attacker cannot probe the window with unsigned junk.
        return withinReplayWindow(Number(timestamp) * 1000, req.receivedAt, REPLAY_WINDOW_MS)
          ? 'valid'
          : 'stale';
      },
      parse(_ctx, req) {
        let json: unknown;
        try {
          json = JSON.parse(req.rawBody.toString('utf8'));
        } catch {
          throw new ConnectorError('invalid_response', 'webhook body is not JSON', {
            method: 'POST',
            path: '/webhook',
          });
        }
        const body = parseWith(WebhookBodySchema, json, { method: 'POST', path: '/webhook' });
        return [
          {
            externalId: String(body.ticket_id),
            kind: body.event === 'ticket.deleted' ? 'deleted' : 'ticket',
          },
        ];
      },
    },
  });
}
