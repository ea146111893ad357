/**
 * Journal entries <-> hub comments. `comments` (Additional comments, customer-visible) and
 * `work_notes` (internal) are journal fields: writing one on the incident appends an entry; entries
 * are read back from `sys_journal_field` (element_id = the incident's sys_id). That read path is
 * general ServiceNow knowledge, UNCONFIRMED in our sources: see README.
 */
import type { AxiosInstance } from 'axios';
import type { CommentDraft, CommentRecord, ConnectorContext } from '../../src/connector-kit/index.ts';
import type { SnJournalEntry } from './api-types.ts';
import { listJournal, patchIncident, withSn } from './client.ts';
import type { ServiceNowConfig } from './config.ts';
import { toCommentRecord, toJournalElement } from './mapping.ts';
import { andQuery, equals, inList, toGlideDateTime } from './query.ts';
import { parseSysId } from './tickets.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

const JOURNAL_PAGE = 500;
const ELEMENTS = 'elementINcomments,work_notes';
const JOURNAL_ORDER = 'ORDERBYsys_created_on^ORDERBYsys_id';
/**
 * Incident sys_ids per bulk journal request: 100 ids keep the encoded query near 3.5 KB (the URL
 * near 4 KB once percent-encoded), well under the 8 KB request-line limit common to web servers.
 */
const BULK_IDS = 100;
/** Bulk journal requests in flight at once (the connection's own limiter still applies). */
const BULK_READS = 4;

async function readJournal(http: AxiosInstance, query: string): Promise<SnJournalEntry[]> {
  const entries: SnJournalEntry[] = [];
  // Entries never change and new ones sort last, so offset paging is safe here.
  for (let offset = 0; offset < 100_000; offset += JOURNAL_PAGE) {
    const page = await listJournal(http, { query, limit: JOURNAL_PAGE, offset });
    entries.push(...page.records);
    if (page.records.length < JOURNAL_PAGE) break;
  }
  return entries;
}

/** Every comment and work note, oldest first (`since` inclusive, at the journal's second precision). */
export async function listComments(ctx: Ctx, externalId: string, since?: Date): Promise<CommentRecord[]> {
  const sysId = parseSysId(externalId);
  const query = andQuery(
    equals('element_id', sysId),
    ELEMENTS,
    since ? `sys_created_on>=${toGlideDateTime(since)}` : undefined,
    JOURNAL_ORDER,
  );
  const entries = await withSn(ctx, (http) => readJournal(http, query));
  return entries
    .map(toCommentRecord)
    .filter((c) => since === undefined || c.createdAt.getTime() >= Math.floor(since.getTime() / 1000) * 1000);
}

/**
 * The journals of many incidents (a pulled page) with `element_idIN...` queries, `BULK_IDS` ids per
 * query: each incident's entries oldest first, in the same order `listComments` gives; incidents
 * without entries are absent from the map.
 */
export async function listCommentsBulk(
  ctx: Ctx,
  externalIds: string[],
): Promise<Map<string, CommentRecord[]>> {
  const ids = [...new Set(externalIds.map((id) => parseSysId(id)))];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += BULK_IDS) chunks.push(ids.slice(i, i + BULK_IDS));
  const byIncident = new Map<string, CommentRecord[]>();
  const results: SnJournalEntry[][] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const i = next++;
      const query = andQuery(inList('element_id', chunks[i]!), ELEMENTS, JOURNAL_ORDER);
      results[i] = await withSn(ctx, (http) => readJournal(http, query));
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_READS, chunks.length) }, worker));
  for (const entries of results) {
    for (const entry of entries) {
      const list = byIncident.get(entry.element_id);
      const comment = toCommentRecord(entry);
      if (list) list.push(comment);
      else byIncident.set(entry.element_id, [comment]);
    }
  }
  return byIncident;
}

/**
 * Appends `comments` or `work_notes` with a PATCH, then finds the entry it made (the PATCH answer
 * holds the incident, not the journal entry). The body, origin marker included, is written as is.
 */
export async function addComment(
  ctx: Ctx,
  externalId: string,
  comment: CommentDraft,
): Promise<CommentRecord> {
  const sysId = parseSysId(externalId);
  const element = toJournalElement(comment.visibility);
  return withSn(ctx, async (http) => {
    const incident = await patchIncident(http, sysId, { [element]: comment.body });
    const recent = await listJournal(http, {
      query: andQuery(equals('element_id', sysId), `element=${element}`, 'ORDERBYDESCsys_created_on'),
      limit: 20,
      offset: 0,
    });
    const entry = recent.records.find((e) => e.value === comment.body);
    if (entry) return toCommentRecord(entry);
    ctx.log.warn(
      { element },
      'journal entry written but not found on sys_journal_field; returning a placeholder id',
    );
    return toCommentRecord({
      sys_id: `${sysId}:${element}:${incident.sys_updated_on}`,
      element,
      element_id: sysId,
      value: comment.body,
      sys_created_on: incident.sys_updated_on,
      sys_created_by: ctx.config.username,
    });
  });
}
