import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, htmlContentType } from './index.js';

const xml = (encoding: string, body = '<rss/>') => `<?xml version="1.0" encoding="${encoding}"?>${body}`;

describe('decodeBody', () => {
  it('lets a BOM win over the HTTP charset and the prolog', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(xml('iso-8859-1', '<t>é</t>'), 'utf-16le'),
    ]);
    const out = decodeBody(bytes, 'application/xml; charset=iso-8859-1');
    expect(out.encoding).toBe('utf-16le');
    expect(out.text).toContain('<t>é</t>');
    expect(out.declared).toBe('iso-8859-1');
  });

  it('prefers the HTTP charset to the prolog for application/*+xml', () => {
    const out = decodeBody(
      iconv.encode(xml('utf-8', '<t>Ж</t>'), 'windows-1251'),
      'application/rss+xml; charset="windows-1251"',
    );
    expect(out).toMatchObject({ encoding: 'windows-1251', declared: 'windows-1251' });
    expect(out.text).toContain('<t>Ж</t>');
  });

  it('uses the prolog when the header has no charset, UTF-8 when neither says', () => {
    expect(decodeBody(Buffer.from(xml('iso-8859-1')), 'application/xml').encoding).toBe('iso-8859-1');
    expect(decodeBody(Buffer.from('<rss/>'), 'application/xml').encoding).toBe('utf-8');
    expect(decodeBody(Buffer.from('<rss/>'), null).encoding).toBe('utf-8');
  });

  it('treats text/xml without charset as US-ASCII (RFC 3023), ignoring the prolog', () => {
    expect(decodeBody(Buffer.from(xml('iso-8859-1')), 'text/xml').encoding).toBe('us-ascii');
  });

  it('falls back when the declared charset cannot decode the bytes', () => {
    const out = decodeBody(Buffer.from('<t>café</t>', 'utf8'), 'text/xml');
    expect(out.encoding).toBe('utf-8');
    expect(out.text).toBe('<t>café</t>');
    const latin = decodeBody(iconv.encode('<t>café</t>', 'latin1'), 'application/xml; charset=utf-8');
    expect(latin.text).toBe('<t>café</t>');
  });

  it('reads windows-1252 characters meant by C1 controls, and gb2312 as gb18030', () => {
    expect(decodeBody(Buffer.from(xml('iso-8859-1', '<t>\x93q\x94</t>'), 'latin1'), null).text).toContain(
      '<t>“q”</t>',
    );
    expect(decodeBody(iconv.encode(xml('gb2312', '<t>中文</t>'), 'gb2312'), null)).toMatchObject({
      encoding: 'gb18030',
    });
  });

  it('reads UTF-8 behind a stale single-byte prolog as UTF-8', () => {
    expect(decodeBody(Buffer.from(xml('windows-1252', '<t>€</t>'), 'utf8'), null).text).toContain('<t>€</t>');
  });

  it('reads an HTML page by its <meta charset> when the server names none (article pages, discovery)', () => {
    const page = iconv.encode(
      '<html><head><meta charset="windows-1252"></head><p>“Café”</p></html>',
      'windows-1252',
    );
    expect(decodeBody(page, htmlContentType(null)).text).toContain('<p>“Café”</p>');
    expect(decodeBody(page, htmlContentType('application/octet-stream')).text).toContain('“Café”');
    // The server's charset decides when it names one.
    const utf8 = Buffer.from('<meta charset="windows-1252"><p>é</p>', 'utf8');
    expect(decodeBody(utf8, htmlContentType('text/html; charset=utf-8')).text).toContain('<p>é</p>');
  });
});
