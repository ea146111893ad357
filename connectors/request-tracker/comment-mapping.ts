/**
 * Pure translation of RT transactions and attachments into canonical comments. RT keeps a
 * comment's text in its transaction's attachments; web UI replies are often HTML only.
 */
import { type CommentRecord, ConnectorError, hasOriginMarker } from '../../src/connector-kit/index.ts';
import type { RtAttachment, RtTransaction } from './api-types.ts';
import { parseRtDate, required, toPersonRef } from './mapping.ts';

export const COMMENT_TYPES: Record<string, CommentRecord['visibility']> = {
  Correspond: 'PUBLIC',
  Comment: 'INTERNAL',
};

/** A transaction's text: its first plain-text part, else its first HTML part as text. */
export function bodyOf(attachments: RtAttachment[]): string {
  const parts = attachments.filter((a) => !a.Filename && a.Content !== '');
  const plain = parts.find((a) => a.ContentType.toLowerCase() === 'text/plain');
  if (plain) return plain.Content;
  const html = parts.find((a) => a.ContentType.toLowerCase() === 'text/html');
  return html ? htmlToText(html.Content) : '';
}

/** Correspond and Comment transactions as comments, oldest first. */
export function toCommentRecords(
  transactions: RtTransaction[],
  attachments: RtAttachment[],
): CommentRecord[] {
  const byTransaction = new Map<string, RtAttachment[]>();
  for (const attachment of attachments) {
    const list = byTransaction.get(attachment.TransactionId) ?? [];
    list.push(attachment);
    byTransaction.set(attachment.TransactionId, list);
  }
  return transactions
    .filter((txn) => COMMENT_TYPES[txn.Type] !== undefined)
    .map((txn) => toCommentRecord(txn, byTransaction.get(txn.id) ?? []))
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.externalId) - Number(b.externalId),
    );
}

export function toCommentRecord(txn: RtTransaction, attachments: RtAttachment[]): CommentRecord {
  const visibility = COMMENT_TYPES[txn.Type];
  if (!visibility)
    throw new ConnectorError('invalid_response', `RT transaction ${txn.id} is a ${txn.Type}, not a comment`);
  const body = bodyOf(attachments);
  return {
    externalId: txn.id,
    body,
    visibility,
    author: toPersonRef(txn.Creator),
    createdAt: required(parseRtDate(txn.Created), 'Created', `transaction ${txn.id}`),
    fromHub: hasOriginMarker(body),
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Enough HTML-to-text for RT's rich-text editor output: line breaks, paragraphs, entities. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X'))
        return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
