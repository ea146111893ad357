/**
 * Comments: read through the platform API (ADF bodies, `jsdPublic` on each), written through the
 * JSM request API, the one documented way to choose public reply vs internal note.
 */
import {
  type CommentDraft,
  type CommentRecord,
  type ConnectorContext,
  ConnectorError,
} from '../../src/connector-kit/index.ts';
import * as jira from './client.ts';
import type { JiraSmConfig } from './config.ts';
import { toCommentRecord, toCommentRecordFromJsm } from './mapping.ts';

type Ctx = ConnectorContext<JiraSmConfig>;

const isIssueId = (id: string) => /^\d{1,18}$/.test(id);
/** Enough pages for any real ticket; a runaway `total` must not loop forever. */
const MAX_PAGES = 100;

export async function listComments(ctx: Ctx, id: string, since?: Date): Promise<CommentRecord[]> {
  if (!isIssueId(id)) return [];
  const http = jira.createJiraHttp(ctx);
  const comments: CommentRecord[] = [];
  let startAt = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await jira.getComments(http, id, startAt);
    comments.push(...result.comments.map(toCommentRecord));
    startAt += result.comments.length;
    if (result.comments.length === 0 || startAt >= result.total) break;
  }
  const sorted = comments.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.externalId) - Number(b.externalId),
  );
  return since ? sorted.filter((c) => c.createdAt.getTime() >= since.getTime()) : sorted;
}

export async function addComment(ctx: Ctx, id: string, draft: CommentDraft): Promise<CommentRecord> {
  if (!isIssueId(id)) throw new ConnectorError('not_found', `"${id}" is not a Jira issue id`);
  const http = jira.createJiraHttp(ctx);
  const created = await jira.addRequestComment(http, id, draft.body, draft.visibility === 'PUBLIC');
  const record = toCommentRecordFromJsm(created);
  // Defence in depth: never report success for a note Jira stored with the wrong visibility.
  if (record.visibility !== draft.visibility) {
    throw new ConnectorError(
      'invalid_response',
      `Jira stored comment ${created.id} on issue ${id} as ${record.visibility}, not ${draft.visibility}`,
    );
  }
  return record;
}
