import { describe, expect, it } from 'vitest';
import { COMMON_FEED_PATHS, discoverFeeds, parseOpml, toOpml } from './index.js';

describe('OPML', () => {
  it('round-trips sources with names, site URLs and tags', () => {
    const sources = [
      {
        url: 'https://pytorch.org/feed.xml',
        name: 'PyTorch & friends',
        htmlUrl: 'https://pytorch.org/',
        tags: ['framework', 'ml'],
      },
      { url: 'https://example.org/rss?a=1&b="2"', name: null },
    ];
    const parsed = parseOpml(toOpml(sources, 'frameline'));
    expect(parsed.title).toBe('frameline');
    expect(parsed.outlines).toEqual([
      {
        url: 'https://pytorch.org/feed.xml',
        title: 'PyTorch & friends',
        htmlUrl: 'https://pytorch.org/',
        category: ['framework', 'ml'],
      },
      {
        url: 'https://example.org/rss?a=1&b="2"',
        title: 'https://example.org/rss?a=1&b="2"',
        htmlUrl: null,
        category: [],
      },
    ]);
  });

  it('reads nested folders as categories', () => {
    const opml = `<opml version="1.0"><head><title>Subs</title></head><body>
<outline text="AI"><outline text="Labs"><outline type="rss" text="Lab" xmlUrl="https://lab.example/feed"/></outline></outline>
</body></opml>`;
    expect(parseOpml(opml).outlines).toEqual([
      { url: 'https://lab.example/feed', title: 'Lab', htmlUrl: null, category: ['AI', 'Labs'] },
    ]);
  });

  it('refuses a document that is not OPML', () => {
    expect(() => parseOpml('<rss/>')).toThrow(/expected an OPML document, got <rss>/);
  });
});

describe('discoverFeeds', () => {
  it('lists alternate feed links in order, resolved against <base href>', () => {
    const html = `<html><head><base href="https://cdn.example/blog/">
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/atom+xml" title="Atom" href="atom.xml">
<link rel="alternate" type="application/rss+xml" href="https://example.org/rss">
<link rel="alternate" type="application/feed+json" title="JSON" href="/feed.json">
<link rel="alternate" hreflang="de" href="/de/"></head></html>`;
    expect(discoverFeeds(html, 'https://example.org/')).toEqual([
      { url: 'https://cdn.example/blog/atom.xml', title: 'Atom', type: 'application/atom+xml' },
      { url: 'https://example.org/rss', title: null, type: 'application/rss+xml' },
      { url: 'https://cdn.example/feed.json', title: 'JSON', type: 'application/feed+json' },
    ]);
    expect(discoverFeeds('<p>no head</p>', 'https://example.org/')).toEqual([]);
    expect(COMMON_FEED_PATHS.slice(0, 3)).toEqual(['/feed', '/rss.xml', '/atom.xml']);
  });
});
