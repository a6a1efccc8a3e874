import { describe, expect, it } from 'vitest';
import { extractArticle } from './extract-article.js';

const P1 =
  'The first paragraph of the story explains, at some length and with several commas, what happened, where, and why it matters to readers.';
const P2 =
  'A second paragraph adds detail: quotes from people involved, numbers from the report, and some background on earlier events in the field.';
const P3 =
  'The third paragraph closes the story, noting what comes next, who will decide, and when the next announcement is expected to arrive.';

const PAGE = `<!doctype html><html><head><title>Big news about a thing happened today | Example</title></head><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a></nav></header>
<div class="layout">
  <div id="main-content" class="article-body">
    <h1>Big news about a thing happened today</h1>
    <p>${P1}</p>
    <div class="share-bar"><a href="#">Share</a> <a href="#">Tweet</a></div>
    <p>${P2}</p>
    <h2>What comes next</h2>
    <ul><li>First point of the list, in prose.</li><li>Second point of the list.</li></ul>
    <blockquote><p>A quoted remark from someone important, kept with the text.</p></blockquote>
    <p style="display:none">Hidden teaser text that readers never see.</p>
    <p>${P3}</p>
  </div>
  <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Another story one</a></li><li><a href="/b">Another story two</a></li></ul></aside>
</div>
<div id="comments"><p>Comment: I disagree with this article, strongly, and at length, for many reasons that I list here.</p></div>
<footer>Copyright Example Corp. All rights reserved.</footer>
<script>var tracking = "should never appear";</script>
</body></html>`;

describe('extractArticle', () => {
  const a = extractArticle(PAGE, 'https://example.com/news/big');

  it('keeps the article paragraphs, headings, lists and quotes', () => {
    for (const s of [P1, P2, P3, 'What comes next', 'First point of the list', 'A quoted remark']) {
      expect(a.text).toContain(s);
    }
  });

  it('drops navigation, sidebars, comments, share bars, footers, scripts and hidden text', () => {
    for (const s of ['Home', 'Most read', 'I disagree', 'Tweet', 'Copyright', 'tracking', 'Hidden teaser']) {
      expect(a.text).not.toContain(s);
    }
  });

  it('separates paragraphs with blank lines and leaves out the repeated title', () => {
    expect(a.text.startsWith(P1)).toBe(true);
    expect(a.text).toContain(`${P1}\n\n${P2}`);
    expect(a.title).toBe('Big news about a thing happened today');
  });

  it('returns cleaned HTML with the content', () => {
    expect(a.html).toContain('<blockquote>');
    expect(a.html).not.toContain('style=');
    expect(a.html).not.toContain('<script');
  });

  it('survives pathologically deep nesting (unclosed tags)', () => {
    const deep = `<body>${'<div>'.repeat(5000)}<p>${P1}</p>${'<font>'.repeat(5000)}${P2}</body>`;
    const out = extractArticle(deep);
    expect(out.text).toContain(P1);
    expect(out.text).toContain(P2);
  });

  it('copes with a fragment without <body> and with empty input', () => {
    expect(extractArticle(`<p>${P1}</p><p>${P2}</p>`).text).toContain(P2);
    const empty = extractArticle('');
    expect(empty.text).toBe('');
    expect(empty.title).toBeNull();
  });
});
