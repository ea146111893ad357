/**
 * Plain text <-> Atlassian Document Format (ADF), the body format of v3 descriptions and comments.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 *
 * Text becomes one paragraph per blank-line-separated block, with `hardBreak` for single line
 * breaks, so `adfToText(toAdf(s)) === s` for trimmed text: the hub's origin marker (its own
 * final paragraph) survives the round trip exactly.
 */
import { ORIGIN_MARKER } from '../../src/connector-kit/index.ts';
import type { JiraAdfNode } from './api-types.ts';

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: JiraAdfNode[];
}

function paragraph(block: string): JiraAdfNode {
  const content: JiraAdfNode[] = [];
  block.split('\n').forEach((line, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    // ADF refuses empty text nodes.
    if (line !== '') content.push({ type: 'text', text: line });
  });
  return { type: 'paragraph', content };
}

export function toAdf(text: string): AdfDoc {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/);
  return { type: 'doc', version: 1, content: blocks.filter((b) => b !== '').map(paragraph) };
}

const BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'panel',
  'rule',
  'mediaSingle',
  'table',
]);

function inline(node: JiraAdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
    case 'date':
    case 'status':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard':
      return String(node.attrs?.url ?? '');
    default:
      return (node.content ?? []).map(inline).join('');
  }
}

function block(node: JiraAdfNode, indent = ''): string {
  if (node.type === 'bulletList' || node.type === 'orderedList') {
    return (node.content ?? [])
      .map((item, i) => {
        const bullet = node.type === 'bulletList' ? '- ' : `${i + 1}. `;
        const text = (item.content ?? []).map((child) => block(child, `${indent}  `)).join('\n');
        return `${indent}${bullet}${text.trimStart()}`;
      })
      .join('\n');
  }
  if (node.type === 'rule') return '---';
  if (BLOCKS.has(node.type) && node.type !== 'paragraph' && node.content?.some((c) => BLOCKS.has(c.type))) {
    return (node.content ?? []).map((child) => block(child, indent)).join('\n\n');
  }
  return inline(node);
}

/** A readable plain-text rendering of an ADF document (or of a v2 string body). */
export function adfToText(doc: JiraAdfNode | string | null | undefined): string {
  if (doc === null || doc === undefined) return '';
  if (typeof doc === 'string') return doc;
  return (doc.content ?? [])
    .map((node) => block(node))
    .filter((text) => text !== '')
    .join('\n\n');
}

/**
 * Whether a body carries the hub's origin marker. Jira's wiki renderer may turn `[text]` into a
 * link whose brackets disappear (UNCONFIRMED for JSM comment bodies), so a body ending with the
 * marker's inner text counts too: missing an echo would loop, a false positive cannot occur
 * without that exact phrase at the very end.
 */
export function hasHubMarker(text: string): boolean {
  return text.includes(ORIGIN_MARKER) || text.trimEnd().endsWith(ORIGIN_MARKER.slice(1, -1));
}
