/**
 * The memory vendor's config and its pure mapping to canonical records, laid out as a real
 * connector's `config.ts` and `mapping.ts` would be.
 */
import { z } from 'zod';
import type { ConnectorContext, Mappings } from '../contract.ts';
import { type CommentRecord, hasOriginMarker, type TicketRecord } from '../records.ts';
import type { MemComment, MemTicket } from './memory-api.ts';

export const MemoryConfigSchema = z.object({
  baseUrl: z.url().describe('The vendor API root, e.g. http://127.0.0.1:4010'),
  apiToken: z.string().min(1).describe('secret: an API token'),
  webhookSecret: z.string().min(8).describe('secret: the shared webhook signing secret'),
  pageSize: z.number().int().min(1).max(100).default(50).describe('Tickets per list page, e.g. 50'),
  defaultCustomer: z
    .string()
    .min(1)
    .optional()
    .describe('The customer a ticket is created under when the hub names none, e.g. acme'),
});
export type MemoryConfig = z.infer<typeof MemoryConfigSchema>;

export const memoryMappings: Mappings = {
  status: {
    toCanonical: {
      new: 'NEW',
      open: 'OPEN',
      working: 'IN_PROGRESS',
      stalled: 'WAITING',
      resolved: 'RESOLVED',
      closed: 'CLOSED',
      rejected: 'CLOSED',
    },
    fromCanonical: {
      NEW: 'new',
      OPEN: 'open',
      IN_PROGRESS: 'working',
      WAITING: 'stalled',
      RESOLVED: 'resolved',
      CLOSED: 'closed',
    },
  },
  priority: {
    toCanonical: { '1': 'CRITICAL', '2': 'HIGH', '3': 'MEDIUM', '4': 'LOW' },
    fromCanonical: { CRITICAL: '1', HIGH: '2', MEDIUM: '3', LOW: '4' },
  },
};

export function toTicketRecord(ctx: ConnectorContext<MemoryConfig>, t: MemTicket): TicketRecord {
  return {
    externalId: String(t.id),
    externalUrl: `${ctx.config.baseUrl}/tickets/${t.id}`,
    title: t.subject,
    description: t.body,
    // An unmapped vendor state still syncs as OPEN; rawStatus keeps the truth for display.
    status: ctx.maps.status.toCanonical[t.state] ?? 'OPEN',
    rawStatus: t.state,
    priority: ctx.maps.priority.toCanonical[t.urgency] ?? 'MEDIUM',
    assignee: t.owner ? { externalId: t.owner } : null,
    category: t.kind,
    scopeKey: t.customer,
    correlationId: t.xref,
    createdAt: t.created,
    updatedAt: t.updated,
  };
}

export function toCommentRecord(c: MemComment): CommentRecord {
  return {
    externalId: String(c.id),
    body: c.text,
    visibility: c.private ? 'INTERNAL' : 'PUBLIC',
    author: { externalId: c.author },
    createdAt: c.created,
    fromHub: hasOriginMarker(c.text),
  };
}
