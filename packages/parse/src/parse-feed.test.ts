import { PermanentError } from '@frameline/core';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseFeed: JSON Feed', () => {
  it('reads JSON Feed 1.1 with authors, dates and relative links', async () => {
    const feed = await parseFeed(
      enc(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'ML news',
          home_page_url: 'https://example.org/',
          feed_url: 'https://example.org/feed.json',
          items: [
            {
              id: 42,
              url: '/posts/42',
              title: ' PyTorch 2.5 &amp; more ',
              content_html: '<p>Hi</p>',
              date_published: '2024-10-17T09:00:00+02:00',
              authors: [{ name: 'Ann' }],
            },
          ],
        }),
      ),
    );
    expect(feed).toMatchObject({
      format: 'json',
      version: 'json11',
      title: 'ML news',
      link: 'https://example.org/',
    });
    expect(feed.items[0]).toEqual({
      id: '42',
      title: 'PyTorch 2.5 & more',
      link: 'https://example.org/posts/42',
      published: '2024-10-17T07:00:00Z',
      updated: null,
      summary: null,
      content: '<p>Hi</p>',
      authors: [{ name: 'Ann', email: null }],
    });
  });

  it('reads JSON Feed 1.0 (single author, content_text)', async () => {
    const feed = await parseFeed(
      enc(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1',
          title: 'Old',
          author: { name: 'Bob', url: 'mailto:bob@example.org' },
          items: [{ id: 'a', content_text: 'plain', url: 'https://example.org/a' }],
        }),
      ),
    );
    expect(feed.version).toBe('json1');
    expect(feed.items[0]?.content).toBe('plain');
    expect(feed.items[0]?.authors).toEqual([{ name: 'Bob', email: 'bob@example.org' }]);
    expect(feed.items[0]?.published).toBeNull();
  });

  it('refuses JSON that is not a JSON Feed, saying so', async () => {
    await expect(parseFeed(enc('{"hello": 1}'))).rejects.toThrow(/JSON that is not a JSON Feed/);
  });
});

describe('parseFeed: XML feeds', () => {
  it('reads RSS 1.0 (RDF) with dc:date and dc:creator', async () => {
    const feed = await parseFeed(
      enc(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>RDF news</title><link>https://example.org/</link><description>d</description></channel>
  <item rdf:about="https://example.org/1"><title>One</title><link>https://example.org/1</link>
    <dc:date>2003-12-31T10:14:55-05:00</dc:date><dc:creator>Jane Roe (jane@example.org)</dc:creator></item>
</rdf:RDF>`),
    );
    expect(feed).toMatchObject({
      format: 'rdf',
      version: 'rss10',
      title: 'RDF news',
      link: 'https://example.org/',
    });
    expect(feed.items[0]).toMatchObject({
      id: 'https://example.org/1',
      published: '2003-12-31T15:14:55Z',
      updated: '2003-12-31T15:14:55Z',
      authors: [{ name: 'Jane Roe', email: 'jane@example.org' }],
    });
  });

  it('reads Atom 0.3 with escaped and base64 content modes', async () => {
    const feed = await parseFeed(
      enc(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
<link rel="alternate" type="text/html" href="https://example.org/"/>
<entry><title mode="escaped" type="text/html">A &lt;b&gt;bold&lt;/b&gt; title</title>
<issued>2004-01-01T19:48:21Z</issued><modified>2004-01-02T00:00:00Z</modified>
<summary mode="base64" type="text/html">PGI+aGk8L2I+</summary>
<author><name>Ann</name><email>ann@example.org</email></author></entry></feed>`),
    );
    expect(feed).toMatchObject({
      format: 'atom',
      version: 'atom03',
      title: 'Old Atom',
      link: 'https://example.org/',
    });
    expect(feed.items[0]).toMatchObject({
      title: 'A bold title',
      summary: '<b>hi</b>',
      published: '2004-01-01T19:48:21Z',
      updated: '2004-01-02T00:00:00Z',
      authors: [{ name: 'Ann', email: 'ann@example.org' }],
    });
  });

  it('resolves relative links against xml:base, then the feed URL', async () => {
    const feed = await parseFeed(
      enc(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
<title>T</title><link href="./"/>
<entry xml:base="2024/"><id>tag:x,2024:1</id><title>E</title><link rel="alternate" href="post.html"/>
<content type="html">&lt;a href="../img/a.png"&gt;x&lt;/a&gt;</content><updated>2024-01-01T00:00:00Z</updated></entry>
<entry><title>F</title><link href="/abs"/></entry></feed>`),
      { url: 'https://ignored.example/feed' },
    );
    expect(feed.link).toBe('https://example.org/blog/');
    expect(feed.items[0]?.link).toBe('https://example.org/blog/2024/post.html');
    expect(feed.items[0]?.content).toBe('<a href="https://example.org/blog/img/a.png">x</a>');
    expect(feed.items[1]?.link).toBe('https://example.org/abs');
    const rss = await parseFeed(
      enc('<rss version="2.0"><channel><item><link>/p/1</link></item></channel></rss>'),
      {
        url: 'https://site.example/feed.xml',
      },
    );
    expect(rss.items[0]?.link).toBe('https://site.example/p/1');
  });

  it('never invents a date', async () => {
    const feed = await parseFeed(
      enc(
        '<rss version="2.0"><channel><item><title>x</title><pubDate>sometime soon</pubDate></item></channel></rss>',
      ),
    );
    expect(feed.items[0]?.published).toBeNull();
    expect(feed.items[0]?.updated).toBeNull();
  });
});

describe('parseFeed: charsets', () => {
  it('decodes a windows-1251 feed declared in its prolog', async () => {
    const xml =
      '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Новости</title></channel></rss>';
    const feed = await parseFeed(iconv.encode(xml, 'windows-1251'), { contentType: 'application/rss+xml' });
    expect(feed.title).toBe('Новости');
  });

  it('lets the HTTP charset override the prolog for application/xml', async () => {
    const xml =
      '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Новости</title></channel></rss>';
    const feed = await parseFeed(iconv.encode(xml, 'koi8-r'), {
      contentType: 'application/xml; charset=KOI8-R',
    });
    expect(feed.title).toBe('Новости');
  });
});

describe('parseFeed: other kinds', () => {
  it('turns iCalendar events into items dated by their start', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'X-WR-CALNAME:ML conferences',
      'BEGIN:VEVENT',
      'UID:neurips-2024@example.org',
      'SUMMARY:NeurIPS 2024',
      'DTSTART;TZID=America/Vancouver:20241210T090000',
      'DTEND;TZID=America/Vancouver:20241215T170000',
      'LOCATION:Vancouver',
      'URL:https://neurips.cc/',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:allday@example.org',
      'SUMMARY:Deadline',
      'DTSTART;VALUE=DATE:20240522',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const feed = await parseFeed(enc(ics));
    expect(feed).toMatchObject({ format: 'ical', title: 'ML conferences' });
    expect(feed.items[0]).toMatchObject({
      id: 'neurips-2024@example.org',
      title: 'NeurIPS 2024',
      link: 'https://neurips.cc/',
      published: '2024-12-10T17:00:00Z',
      summary: 'Location: Vancouver',
    });
    expect(feed.items[1]?.published).toBe('2024-05-22T00:00:00Z');
  });

  it('turns a sitemap into items with lastmod', async () => {
    const feed = await parseFeed(
      enc(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/a</loc><lastmod>2024-03-01</lastmod></url><url><loc>https://example.org/b</loc></url></urlset>`),
    );
    expect(feed.format).toBe('sitemap');
    expect(feed.items.map((i) => [i.link, i.updated])).toEqual([
      ['https://example.org/a', '2024-03-01T00:00:00Z'],
      ['https://example.org/b', null],
    ]);
  });

  it('reads an HTML page with per-source selectors', async () => {
    const html = `<html><head><title>Talks</title></head><body>
<div class="talk"><h3>Keynote</h3><a href="/t/1">more</a><time datetime="2024-06-01T10:00:00Z">June 1</time><p class="s">About <b>it</b></p></div>
<div class="talk"><h3>Panel</h3><a href="/t/2">more</a></div></body></html>`;
    const feed = await parseFeed(enc(html), {
      url: 'https://conf.example/',
      selectors: { item: '.talk', title: 'h3', date: 'time', summary: '.s' },
    });
    expect(feed.format).toBe('html');
    expect(feed.items.map((i) => [i.title, i.link, i.published])).toEqual([
      ['Keynote', 'https://conf.example/t/1', '2024-06-01T10:00:00Z'],
      ['Panel', 'https://conf.example/t/2', null],
    ]);
    expect(feed.items[0]?.summary).toBe('About <b>it</b>');
  });
});

describe('parseFeed: what is not a feed', () => {
  const cases: [string, string, RegExp][] = [
    [
      'HTML page',
      '<!DOCTYPE html><html><head><title>Home</title><link rel="alternate" type="application/rss+xml" href="/feed"></head></html>',
      /got an HTML page \("Home"\), not a feed; it links to a feed: https:\/\/site\.example\/feed/,
    ],
    ['empty body', '', /empty body/],
    ['garbage', 'hello world', /not XML, JSON or iCalendar \(starts with "hello world"\)/],
    ['other XML', '<note><to>x</to></note>', /root element is <note>/],
  ];
  for (const [name, body, message] of cases) {
    it(`throws PermanentError('unparsable_feed') for ${name}`, async () => {
      const err = await parseFeed(enc(body), { url: 'https://site.example/' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as PermanentError).code).toBe('unparsable_feed');
      expect((err as Error).message).toMatch(message);
    });
  }
});

describe('parseFileResult', () => {
  it('gives the `parse --json` line for a feed and for a failure', async () => {
    const { parseFileResult } = await import('./index.js');
    const ok = await parseFileResult(
      'a.xml',
      enc('<rss version="2.0"><channel><title>T</title><item><title>I</title></item></channel></rss>'),
    );
    expect(ok).toEqual({
      file: 'a.xml',
      ok: true,
      format: 'rss',
      version: 'rss20',
      title: 'T',
      link: null,
      description: null,
      items: [
        {
          id: null,
          title: 'I',
          link: null,
          published: null,
          updated: null,
          summary: null,
          content: null,
          authors: [],
        },
      ],
    });
    expect(await parseFileResult('b.html', enc('<html><body>hi</body></html>'))).toEqual({
      file: 'b.html',
      ok: false,
      error: "got an HTML page, not a feed; give the source HTML selectors or point it at the site's feed",
    });
  });
});

describe('parseFeed: caching advice and paging', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('reads RSS <ttl> and the syndication module as minutes', async () => {
    const ttl = await parseFeed(
      enc('<rss version="2.0"><channel><title>t</title><ttl>120</ttl></channel></rss>'),
    );
    expect(ttl.ttlMinutes).toBe(120);
    const sy = await parseFeed(
      enc(`<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title>
        <sy:updatePeriod> hourly </sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency></channel></rss>`),
    );
    expect(sy.ttlMinutes).toBe(30);
    const none = await parseFeed(
      enc('<rss version="2.0"><channel><title>t</title><ttl>soon</ttl></channel></rss>'),
    );
    expect(none.ttlMinutes).toBeNull();
  });

  it('finds archive and next links, JSON Feed next_url and a WordPress generator', async () => {
    const { feedPaging } = await import('./index.js');
    const atom = feedPaging(
      enc(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/blog/"><title>t</title>
        <link rel="prev-archive" href="archive/2023.xml"/><link rel="next" href="?page=2"/></feed>`),
      'application/atom+xml',
      'https://a.example/feed.xml',
    );
    expect(atom).toEqual({
      prevArchive: 'https://a.example/blog/archive/2023.xml',
      next: 'https://a.example/blog/?page=2',
      wordpress: false,
    });
    const rss = feedPaging(
      enc(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
        <atom:link rel="next" href="https://w.example/feed/?paged=2"/><link>https://w.example/</link>
        <generator>https://wordpress.org/?v=6.5</generator></channel></rss>`),
      null,
      'https://w.example/feed/',
    );
    expect(rss).toEqual({ prevArchive: null, next: 'https://w.example/feed/?paged=2', wordpress: true });
    expect(
      feedPaging(
        enc('{"version":"https://jsonfeed.org/version/1.1","next_url":"/feed.json?p=2"}'),
        null,
        'https://j.example/feed.json',
      ),
    ).toEqual({
      prevArchive: null,
      next: 'https://j.example/feed.json?p=2',
      wordpress: false,
    });
    expect(feedPaging(enc('<html><body>not a feed</body></html>'), 'text/html', null)).toEqual({
      prevArchive: null,
      next: null,
      wordpress: false,
    });
  });
});
