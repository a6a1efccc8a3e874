/**
 * The texts the name-based gold sets point at: feed items, Markdown blog posts and release-note sections
 * of `../shared/corpora`, each turned into the title and text the tagger sees. A reference (`ref`) is
 *
 *   <feed path>#<index>       an item of a feed, as `parseFeed` returns it (text = content ?? summary)
 *   <post path>.md            a Markdown post with YAML front matter (`title:`), body rendered to text
 *   <notes path>.md#<n>       the n-th (0-based) second-level section of a release-notes file: title = its
 *                             heading, text = the section below it
 *
 * Markdown is rendered to HTML with `marked` and then read like any feed's HTML (`htmlToText`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { htmlToText, parseFeed } from '@frameline/parse';
import { marked } from 'marked';
import { parse as parseYaml } from 'yaml';
import { sharedDir } from './lib.js';

export interface SourceText {
  ref: string;
  title: string;
  text: string;
}

/** Folders of Markdown posts and of release notes, relative to `shared/corpora`. */
export const POST_FOLDERS = ['huggingface-blog', 'pytorch-blog/_posts'] as const;
export const NOTES_FOLDER = 'release-notes';
/** The AI-lab feeds the name-based sets draw feed items from. */
export const LAB_FEEDS_FOLDER = 'Olshansk-rss-feeds/feeds';

const corpora = (): string => join(sharedDir(), 'corpora');

function render(markdown: string): string {
  return htmlToText(marked.parse(markdown, { async: false, gfm: true }));
}

/** A Markdown post: front matter `title`, then the body. */
function post(path: string): { title: string; text: string } {
  const raw = readFileSync(path, 'utf8');
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(raw);
  const meta = front ? (parseYaml(front[1] as string) as Record<string, unknown> | null) : null;
  const title = typeof meta?.title === 'string' ? meta.title.trim() : '';
  return { title, text: render(front ? raw.slice(front[0].length) : raw) };
}

/** The second-level sections of a release-notes file, in order: heading text and body. */
export function notesSections(path: string): { title: string; text: string }[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const sections: { title: string; body: string[] }[] = [];
  let fence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = fence ? null : /^##\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading && !line.startsWith('###'))
      sections.push({
        title: htmlToText(marked.parseInline(heading[1] as string, { async: false })),
        body: [],
      });
    else sections.at(-1)?.body.push(line);
  }
  return sections.map((s) => ({ title: s.title, text: render(s.body.join('\n')) }));
}

const feeds = new Map<string, Awaited<ReturnType<typeof parseFeed>>>();

/** The title and text of one reference; throws naming the reference when it does not resolve. */
export async function loadSource(ref: string): Promise<SourceText> {
  const hash = ref.lastIndexOf('#');
  const path = join(corpora(), hash < 0 ? ref : ref.slice(0, hash));
  if (!existsSync(path)) throw new Error(`${ref}: file ${path} does not exist`);
  if (hash < 0) return { ref, ...post(path) };
  const index = Number(ref.slice(hash + 1));
  if (ref.slice(0, hash).endsWith('.md')) {
    const section = notesSections(path)[index];
    if (!section) throw new Error(`${ref}: the file has no section ${index}`);
    return { ref, ...section };
  }
  let feed = feeds.get(path);
  if (feed === undefined) {
    feed = await parseFeed(new Uint8Array(readFileSync(path)));
    feeds.set(path, feed);
  }
  const item = feed.items[index];
  if (!item) throw new Error(`${ref}: the feed has only ${feed.items.length} items`);
  return { ref, title: item.title ?? '', text: htmlToText(item.content ?? item.summary ?? '') };
}

/** Every reference of the new corpora and the AI-lab feeds, with its title (texts are loaded on demand). */
export async function allSources(): Promise<SourceText[]> {
  const out: SourceText[] = [];
  for (const folder of POST_FOLDERS) {
    for (const name of readdirSync(join(corpora(), folder)).sort()) {
      if (name.endsWith('.md')) out.push(await loadSource(`${folder}/${name}`));
    }
  }
  for (const name of readdirSync(join(corpora(), NOTES_FOLDER)).sort()) {
    if (!name.endsWith('.md')) continue;
    notesSections(join(corpora(), NOTES_FOLDER, name)).forEach((s, n) => {
      out.push({ ref: `${NOTES_FOLDER}/${name}#${n}`, ...s });
    });
  }
  for (const name of readdirSync(join(corpora(), LAB_FEEDS_FOLDER)).sort()) {
    if (!name.endsWith('.xml')) continue;
    const feed = `${LAB_FEEDS_FOLDER}/${name}`;
    const parsed = await parseFeed(new Uint8Array(readFileSync(join(corpora(), feed))));
    parsed.items.forEach((item, i) => {
      out.push({
        ref: `${feed}#${i}`,
        title: item.title ?? '',
        text: htmlToText(item.content ?? item.summary ?? ''),
      });
    });
  }
  return out;
}
