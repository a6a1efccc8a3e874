/**
 * @frameline/parse: bytes → items. Charset detection and decoding, then RSS 0.9x/1.0/2.0, Atom 0.3/1.0,
 * JSON Feed 1.0/1.1, iCalendar, XML sitemaps and (with selectors) HTML pages; plus OPML and feed discovery.
 */

export { parseDate } from './dates.js';
export { type DecodedBody, decodeBody, htmlContentType } from './decode.js';
export { COMMON_FEED_PATHS, type DiscoveredFeed, discoverFeeds } from './discover.js';
export type { HtmlSelectors } from './html-page.js';
export { htmlToMappedText, htmlToText, type MappedText, type TextLayout } from './html-text.js';
export { type OpmlOutline, type OpmlSource, parseOpml, toOpml } from './opml.js';
export { type FeedPaging, feedPaging, wordpressPage } from './paging.js';
export { type ParseMeta, parseFeed, parseFeedSync } from './parse-feed.js';
export { type ParseFileResult, parseFileResult } from './parse-file-result.js';
export { nonEmpty, titleText } from './text.js';
export { parseXml, type XmlElement } from './xml-tree.js';
