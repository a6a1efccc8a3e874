import { describe, expect, it } from 'vitest';
import { htmlToMappedText, htmlToText } from './html-text.js';

describe('htmlToText', () => {
  it('keeps visible text, turns blocks into lines and drops scripts and styles', () => {
    const html =
      '<html><head><title>T</title><style>p{}</style></head><body><h1>PyTorch&nbsp;1.0</h1>' +
      '<script>var x = "<p>no</p>";</script><p>Now   with <b>JIT</b> &amp; more.</p><!-- c --><ul><li>A</li><li>B</li></ul></body></html>';
    expect(htmlToText(html)).toBe('PyTorch 1.0\nNow with JIT & more.\nA\nB');
  });

  it('maps every text unit back to the HTML it came from', () => {
    const html = '<p>Caf&eacute; &amp; <i>Keras</i></p>';
    const m = htmlToMappedText(html);
    expect(m.text).toBe('Café & Keras');
    const k = m.text.indexOf('Keras');
    expect(html.slice(m.starts[k], m.ends[k + 4])).toBe('Keras');
    const e = m.text.indexOf('é');
    expect(html.slice(m.starts[e], m.ends[e])).toBe('&eacute;');
  });

  it('decodes numeric entities, astral ones included', () => {
    expect(htmlToText('<p>&#x1F917; Transformers &#8217;s</p>')).toBe('🤗 Transformers ’s');
  });

  it('inline: one line, blocks and no-break spaces as spaces', () => {
    expect(htmlToText('<p>PyTorch&nbsp;1.0</p><p>is   <b>out</b></p>\u00a0now', 'inline')).toBe(
      'PyTorch 1.0 is out now',
    );
  });

  it('paragraphs: blocks separated by a blank line, <br> a line break, <pre> as written, cells spaced', () => {
    const html =
      '<h1>Title</h1><div><p>One <i>two</i>.</p><p>Three<br>four</p></div>' +
      '<pre>a  b\n  c</pre><table><tr><td>x</td><td>y</td></tr></table>';
    expect(htmlToText(html, 'paragraphs')).toBe('Title\n\nOne two.\n\nThree\nfour\n\na  b\n  c\n\nx y');
  });

  it('keeps the offset map exact in every layout', () => {
    const html = '<p>Caf&eacute;<br>&amp; <i>Keras</i></p><p>JAX</p>';
    for (const layout of ['lines', 'inline', 'paragraphs'] as const) {
      const m = htmlToMappedText(html, layout);
      expect(m.starts.length).toBe(m.text.length);
      const k = m.text.indexOf('Keras');
      expect(html.slice(m.starts[k], m.ends[k + 4])).toBe('Keras');
    }
  });
});
