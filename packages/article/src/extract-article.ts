import { type CheerioAPI, load } from 'cheerio';
import { cleanArticle } from './clean.js';
import { type AnyNode, appendChild, capDepth, createElement, type Element } from './dom.js';
import { tidyHtml } from './html.js';
import { absoluteUrl, readMetadata } from './metadata.js';
import { prepare } from './prepare.js';
import { type PageScan, scanPage } from './scan.js';
import { collectScorable, gatherSiblings, pickTopCandidate } from './score.js';
import { preferSemantic } from './semantic.js';
import { TextStats } from './stats.js';
import { toText } from './text.js';

/** What we keep of a web page that carries an article. */
export interface Article {
  /** The page URL given. */
  url: string | null;
  /** `<link rel=canonical>`, `og:url` or JSON-LD `url`, made absolute; null when none. */
  canonicalUrl: string | null;
  /** Headline: JSON-LD headline, og:title and kin, the cleaned `<title>`, or the first h1. */
  title: string | null;
  /** Author(s): JSON-LD author, author meta tags, or the page's byline element. */
  byline: string | null;
  /** ISO 8601 UTC publication time; null when the page states none (never "now"). */
  published: string | null;
  /** Where `published` came from: 'json-ld', 'meta:<name>' or 'time-element'. */
  publishedFrom: string | null;
  /** Main article text: paragraphs separated by blank lines. */
  text: string;
  /** Main content HTML, with scripts, furniture and presentational attributes removed. */
  html: string;
}

interface Flags {
  stripUnlikely: boolean;
  weightClasses: boolean;
  cleanConditionally: boolean;
}

// Readability's schedule: when a pass keeps too little text, retry with fewer heuristics.
const PASSES: readonly Flags[] = [
  { stripUnlikely: true, weightClasses: true, cleanConditionally: true },
  { stripUnlikely: false, weightClasses: true, cleanConditionally: true },
  { stripUnlikely: false, weightClasses: false, cleanConditionally: true },
  { stripUnlikely: false, weightClasses: false, cleanConditionally: false },
];
const ENOUGH_CHARS = 500;

// htmlparser2 builds the tree about five times faster than parse5 on these pages (bench/article.ts).
const MAX_DEPTH = 200;
const parse = (html: string): CheerioAPI => {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  capDepth($.root()[0] as AnyNode, MAX_DEPTH);
  return $;
};

function bodyOf($: CheerioAPI, scan: PageScan | null): Element {
  const body = scan ? scan.body : scanPage($.root()[0] as AnyNode).body;
  if (body) return body;
  const wrapper = createElement('body');
  for (const n of $.root().contents().toArray()) appendChild(wrapper, n);
  return wrapper;
}

interface Pass {
  container: Element;
  text: string;
  byline: string | null;
}

function runPass($: CheerioAPI, scan: PageScan | null, flags: Flags, title: string | null): Pass {
  const body = bodyOf($, scan);
  const prepared = prepare(body, { stripUnlikely: flags.stripUnlikely, title });
  const stats = new TextStats();
  const picked = pickTopCandidate(collectScorable(body), stats, flags);
  const top = picked.top === null ? null : preferSemantic(body, picked.top, stats);
  const parts = top === null ? [body] : gatherSiblings(top, picked.scores, stats);
  const container = createElement('div');
  for (const part of parts) appendChild(container, part);
  cleanArticle(container, stats, flags);
  return { container, text: toText(container.children), byline: prepared.byline };
}

/**
 * Extracts the main article and its metadata from a page's HTML. `url` is the page's address, used to
 * resolve the canonical URL and links; pass null when unknown.
 */
export function extractArticle(html: string, url: string | null = null): Article {
  let $ = parse(html);
  const scan = scanPage($.root()[0] as AnyNode);
  const meta = readMetadata(scan, url);
  const base = absoluteUrl(scan.baseHref, url) ?? url;
  let best: Pass | null = null;
  let byline: string | null = null;
  for (const [i, flags] of PASSES.entries()) {
    if (i > 0) $ = parse(html);
    const pass = runPass($, i === 0 ? scan : null, flags, meta.title);
    if (i === 0) byline = pass.byline;
    if (best === null || pass.text.length > best.text.length) best = pass;
    if (pass.text.length >= ENOUGH_CHARS) break;
  }
  const chosen = best as Pass;
  tidyHtml(chosen.container, base);
  return {
    url,
    canonicalUrl: meta.canonicalUrl,
    title: meta.title,
    byline: meta.byline ?? byline,
    published: meta.published,
    publishedFrom: meta.publishedFrom,
    text: chosen.text,
    html: $.html(chosen.container.children),
  };
}
