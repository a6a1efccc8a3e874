import { type FeedItem, type ParsedFeed, PermanentError } from '@frameline/core';
import { type CheerioAPI, load } from 'cheerio';
import { parseDate } from './dates.js';
import { nonEmpty } from './text.js';
import { resolveUrl } from './xml-tree.js';

/** Per-source CSS selectors that turn an HTML page (a conference or news page) into items. */
export interface HtmlSelectors {
  /** Selects one element per item. */
  item: string;
  /** Within an item: the title (default: the first heading, else the link text). */
  title?: string;
  /** Within an item: the element whose `href` is the link (default: the first `a[href]`). */
  link?: string;
  /** Within an item: the date, read from `datetime`, `content` or the text. */
  date?: string;
  /** Within an item: the summary HTML. */
  summary?: string;
}

type Selection = ReturnType<CheerioAPI>;

function textIn(el: Selection): string | null {
  return nonEmpty(el.text().replace(/\s+/g, ' '));
}

function dateIn(el: Selection): string | null {
  if (el.length === 0) return null;
  const candidates = [el.attr('datetime'), el.attr('content'), el.attr('title'), el.text()];
  for (const candidate of candidates) {
    const parsed = parseDate(candidate?.replace(/\s+/g, ' '));
    if (parsed) return parsed;
  }
  return null;
}

/** Maps an HTML page to items with per-source selectors; a page where `item` matches nothing is an error. */
export function mapHtmlPage(html: string, selectors: HtmlSelectors, url: string | null): ParsedFeed {
  const $ = load(html);
  const base = resolveUrl($('base[href]').attr('href'), url) ?? url;
  const items: FeedItem[] = [];
  $(selectors.item).each((_, node) => {
    const el = $(node);
    const titleEl = selectors.title ? el.find(selectors.title).first() : el.find('h1,h2,h3,h4,h5,h6').first();
    const linkEl = selectors.link
      ? el.find(selectors.link).addBack(selectors.link).first()
      : el.is('a[href]')
        ? el
        : el.find('a[href]').first();
    const href = linkEl.attr('href') ?? linkEl.find('a[href]').first().attr('href');
    const link = resolveUrl(href, base);
    const dateEl = selectors.date ? el.find(selectors.date).first() : el.find('time').first();
    const summaryEl = selectors.summary ? el.find(selectors.summary).first() : null;
    const title = titleEl.length > 0 ? textIn(titleEl) : linkEl.length > 0 ? textIn(linkEl) : null;
    items.push({
      id: link,
      title,
      link,
      published: dateIn(dateEl),
      updated: null,
      summary: summaryEl && summaryEl.length > 0 ? nonEmpty(summaryEl.html()) : null,
      content: null,
      authors: [],
    });
  });
  if (items.length === 0) {
    throw new PermanentError(
      'unparsable_feed',
      `got an HTML page where the item selector "${selectors.item}" matches nothing; check the source's selectors`,
    );
  }
  return {
    format: 'html',
    version: null,
    title: textIn($('title').first()) ?? textIn($('h1').first()),
    link: url,
    description: nonEmpty($('meta[name="description"]').attr('content')),
    items,
  };
}
