// Article text: the extracted DOM rendered to HTML and read by the one HTML → text rendering of frameline
// (`htmlToText` of @frameline/parse) in its paragraphs layout: one paragraph per block, a blank line
// between paragraphs, white space collapsed except inside <pre>.
import { htmlToText } from '@frameline/parse';
import render from 'dom-serializer';
import type { AnyNode } from './dom.js';

/** Plain text of `nodes`: paragraphs separated by blank lines. */
export function toText(nodes: readonly AnyNode[]): string {
  return htmlToText(render(nodes as AnyNode[], { encodeEntities: 'utf8' }), 'paragraphs');
}

/** Visible text of an HTML document or fragment, rendered as extracted article text is. */
export function htmlToArticleText(html: string): string {
  return htmlToText(html, 'paragraphs');
}
