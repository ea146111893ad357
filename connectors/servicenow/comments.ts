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
import { andQuery, equals, toGlideDateTime } from './query.ts';
import { parseSysId } from './tickets.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

const JOURNAL_PAGE = 500;
const ELEMENTS = 'elementINcomments,work_notes';

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
    'ORDERBYsys_created_on^ORDERBYsys_id',
  );
  const entries = await withSn(ctx, (http) => readJournal(http, query));
  return entries
    .map(toCommentRecord)
    .filter((c) => since === undefined || c.createdAt.getTime() >= Math.floor(since.getTime() / 1000) * 1000);
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
