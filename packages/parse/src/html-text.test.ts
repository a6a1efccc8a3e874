import { describe, expect, it } from 'vitest';
import { htmlToMappedText, htmlToText } from './html.js';

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
});
