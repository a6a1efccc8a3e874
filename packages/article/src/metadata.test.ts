import { describe, expect, it } from 'vitest';
import { extractArticle } from './extract-article.js';

const PARAGRAPH =
  'This sentence is long enough to count as prose, with a comma or two, and it keeps going for a while so that the scorer sees a real paragraph.';

function page(head: string, body = `<article><p>${PARAGRAPH}</p><p>${PARAGRAPH}</p></article>`): string {
  return `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
}

describe('metadata', () => {
  it('reads JSON-LD inside @graph, with an array of authors', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', '@id': 'https://ex.org/#site', name: 'Example' },
        { '@type': 'Person', '@id': 'https://ex.org/#bob', name: 'Bob Builder' },
        {
          '@type': 'NewsArticle',
          headline: 'Graph Headline For The Story',
          author: [{ '@type': 'Person', name: 'Alice Smith' }, { '@id': 'https://ex.org/#bob' }],
          datePublished: '2024-05-01T10:00:00+02:00',
          url: '/news/graph-story',
        },
      ],
    };
    const a = extractArticle(
      page(`<title>Other</title><script type="application/ld+json">${JSON.stringify(ld)}</script>`),
      'https://ex.org/news/graph-story?utm=x',
    );
    expect(a.title).toBe('Graph Headline For The Story');
    expect(a.byline).toBe('Alice Smith, Bob Builder');
    expect(a.published).toBe('2024-05-01T08:00:00Z');
    expect(a.publishedFrom).toBe('json-ld');
    expect(a.canonicalUrl).toBe('https://ex.org/news/graph-story');
  });

  it('takes a single JSON-LD author given as a string, and skips a broken block', () => {
    const a = extractArticle(
      page(
        '<script type="application/ld+json">{ not json </script>' +
          '<script type="application/ld+json">{"@type":"BlogPosting","headline":"H","author":"Carol"}</script>',
      ),
    );
    expect(a.byline).toBe('Carol');
  });

  it('reads Open Graph and article:* tags, and resolves a relative og:url against the page URL', () => {
    const a = extractArticle(
      page(
        '<meta property="og:title" content="OG Title | Example News">' +
          '<meta property="og:site_name" content="Example News">' +
          '<meta property="og:url" content="/2024/story">' +
          '<meta property="article:published_time" content="2024-03-02T03:04:05Z">' +
          '<meta name="author" content="Dana Writer">',
      ),
      'https://news.example.com/2024/story?ref=rss',
    );
    expect(a.title).toBe('OG Title');
    expect(a.canonicalUrl).toBe('https://news.example.com/2024/story');
    expect(a.published).toBe('2024-03-02T03:04:05Z');
    expect(a.publishedFrom).toBe('meta:article:published_time');
    expect(a.byline).toBe('Dana Writer');
    expect(a.url).toBe('https://news.example.com/2024/story?ref=rss');
  });

  it('prefers <link rel=canonical> and resolves it against <base href>', () => {
    const a = extractArticle(
      page(
        '<base href="https://cdn.example.com/blog/"><link rel="canonical" href="posts/42">' +
          '<meta property="og:url" content="https://other.example.com/x">',
      ),
      'https://example.com/p/42',
    );
    expect(a.canonicalUrl).toBe('https://cdn.example.com/blog/posts/42');
  });

  it('gives no canonical URL when a relative one cannot be resolved', () => {
    expect(extractArticle(page('<link rel="canonical" href="/only/a/path">')).canonicalUrl).toBeNull();
  });

  it('leaves published null when the page has no date, never "now"', () => {
    const a = extractArticle(page('<title>No date here at all, friends</title>'), 'https://ex.org/a');
    expect(a.published).toBeNull();
    expect(a.publishedFrom).toBeNull();
  });

  it('falls back to a <time datetime> element', () => {
    const a = extractArticle(
      page('', `<article><time datetime="2023-12-24">Dec 24</time><p>${PARAGRAPH}</p></article>`),
    );
    expect(a.published).toBe('2023-12-24T00:00:00Z');
    expect(a.publishedFrom).toBe('time-element');
  });

  it('cleans the site name off a <title> and keeps short titles whole', () => {
    expect(extractArticle(page('<title>Why the sky looks blue at noon | Science Site</title>')).title).toBe(
      'Why the sky looks blue at noon',
    );
    expect(extractArticle(page('<title>Home - Site</title>')).title).toBe('Home - Site');
  });

  it('takes the byline from a byline element when no meta names the author', () => {
    const a = extractArticle(
      page(
        '',
        `<article><div class="byline">Erin Reporter</div><p>${PARAGRAPH}</p><p>${PARAGRAPH}</p></article>`,
      ),
    );
    expect(a.byline).toBe('Erin Reporter');
    expect(a.text).not.toContain('Erin Reporter');
  });
});
