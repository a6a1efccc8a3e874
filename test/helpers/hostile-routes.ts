import { gzipSync } from 'node:zlib';
import {
  chunked,
  type FixtureServer,
  type Handler,
  redirect,
  send,
  slowHeaders,
  tricklingBody,
} from '@frameline/testkit';

/**
 * The hostile sources of test/hostile-crawl.test.ts: a route table, the feeds it serves and the settings the
 * crawl runs with. Paths are named after the behaviour they expect.
 *
 * Hosts: 127.0.0.1 serves almost everything. Per-host politeness keys on the host and a 429's Retry-After
 * defers the whole host, so each 429 source gets a loopback address of its own (127.0.0.3, 127.0.0.4).
 * 127.0.0.2 is not in FRAMELINE_ALLOW_HOSTS: it plays the private address that must never be contacted.
 */
export const MAIN = '127.0.0.1';
export const TRAP = '127.0.0.2';
export const BRIEF = '127.0.0.3';
export const LONG = '127.0.0.4';
export const KIB = 1024;
export const MAX_BODY = 256 * KIB;
export const FETCH_TIMEOUT_MS = 2000;
export const CONNECT_TIMEOUT_MS = 1500;
export const ETAG = '"cond-v1"';
export const LAST_MODIFIED = 'Wed, 21 Feb 2024 10:00:00 GMT';
export const METADATA = 'http://169.254.169.254/latest/meta-data/';
export const RUSSIAN_TITLE = 'Выпуск PyTorch 2.0: компиляция моделей';

/** Encode text as windows-1251 (ASCII and the Russian alphabet are all the fixtures need). */
export function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      const u = c.codePointAt(0) ?? 0;
      if (u < 0x80) return u;
      if (u >= 0x410 && u <= 0x44f) return u - 0x410 + 0xc0;
      if (u === 0x401) return 0xa8;
      if (u === 0x451) return 0xb8;
      throw new Error(`windows1251: cannot encode ${JSON.stringify(c)}`);
    }),
  );
}

export interface FixtureItem {
  id: string;
  title: string;
  link: string;
  /** RFC 822 for RSS, ISO 8601 for Atom; omitted means no date. */
  date?: string;
  content: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 feed whose items carry full content (content:encoded), so no article page is fetched. */
export function rssFeed(title: string, items: FixtureItem[], encoding = 'utf-8'): string {
  const body = items
    .map(
      (i) => `
    <item>
      <guid isPermaLink="false">${esc(i.id)}</guid>
      <title>${esc(i.title)}</title>
      <link>${esc(i.link)}</link>${i.date ? `\n      <pubDate>${i.date}</pubDate>` : ''}
      <description>${esc(i.content)}</description>
      <content:encoded><![CDATA[<p>${i.content}</p>]]></content:encoded>
    </item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${esc(title)}</title>
    <link>http://127.0.0.1/</link>
    <description>${esc(title)}</description>${body}
  </channel>
</rss>
`;
}

/** An Atom 1.0 feed whose entries carry full content. */
export function atomFeed(title: string, items: FixtureItem[]): string {
  const body = items
    .map(
      (i) => `
  <entry>
    <id>${esc(i.id)}</id>
    <title>${esc(i.title)}</title>
    <link rel="alternate" href="${esc(i.link)}"/>${i.date ? `\n    <updated>${i.date}</updated>\n    <published>${i.date}</published>` : ''}
    <content type="html">${esc(`<p>${i.content}</p>`)}</content>
  </entry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${esc(title)}</title>
  <id>urn:frameline:test:${esc(title)}</id>
  <updated>2024-03-01T00:00:00Z</updated>${body}
</feed>
`;
}

export const item = (
  server: FixtureServer,
  id: string,
  title: string,
  content: string,
  date?: string,
): FixtureItem => ({
  id,
  title,
  link: server.url(`/posts/${id}`),
  content,
  ...(date ? { date } : {}),
});

export function oneItemFeed(server: FixtureServer, id: string, title: string): string {
  return rssFeed(title, [item(server, id, `${title}: first post`, `The ${title} feed has one post.`)]);
}

/** Route table: path → what it plays. Paths are named after the behaviour they expect. */
export function installRoutes(server: FixtureServer): void {
  const r = (path: string, h: Handler) => server.route(path, h);
  r('/robots.txt', send('User-agent: *\nDisallow: /private/\n', { contentType: 'text/plain' }));

  // 1. Good feeds.
  r(
    '/good.rss',
    send(
      rssFeed('Good RSS', [
        item(
          server,
          'good-rss-1',
          'PyTorch 2.2 released',
          'PyTorch 2.2 is out with FlashAttention-2.',
          'Tue, 30 Jan 2024 17:00:00 GMT',
        ),
        item(
          server,
          'good-rss-2',
          'TensorFlow 2.16 released',
          'TensorFlow 2.16 adds Clang 17.',
          'Mon, 11 Mar 2024 09:30:00 GMT',
        ),
        item(server, 'good-rss-3', 'JAX notes', 'Notes on JAX sharding.', 'Fri, 15 Mar 2024 12:00:00 GMT'),
      ]),
    ),
  );
  r(
    '/good.atom',
    send(
      atomFeed('Good Atom', [
        item(
          server,
          'urn:good-atom:1',
          'Keras 3 announced',
          'Keras 3 runs on JAX, TensorFlow and PyTorch.',
          '2023-11-28T08:00:00Z',
        ),
        item(
          server,
          'urn:good-atom:2',
          'ONNX Runtime 1.17',
          'ONNX Runtime 1.17 ships WebGPU support.',
          '2024-02-01T00:00:00Z',
        ),
      ]),
      { contentType: 'application/atom+xml' },
    ),
  );

  // 2. Conditional GET. The 304 carries other validators, as some servers do: they must not be stored.
  const conditional = rssFeed('Conditional', [
    item(server, 'cond-1', 'Conditional one', 'First conditional post.', 'Thu, 01 Feb 2024 10:00:00 GMT'),
    item(server, 'cond-2', 'Conditional two', 'Second conditional post.', 'Wed, 21 Feb 2024 10:00:00 GMT'),
  ]);
  r('/conditional.xml', (req, res) => {
    if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
      res.writeHead(304, { etag: '"other-validator-on-304"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: ETAG, 'last-modified': LAST_MODIFIED });
    res.end(conditional);
  });

  // 3. Redirects: 301 (relative Location) updates the source's URL, 302 does not; exactly 5 is allowed.
  r('/moved.xml', redirect(301, '/moved-target.xml'));
  r('/moved-target.xml', send(oneItemFeed(server, 'moved-1', 'Moved')));
  r('/temp.xml', redirect(302, server.url('/temp-target.xml')));
  r('/temp-target.xml', send(oneItemFeed(server, 'temp-1', 'Temp')));
  for (let i = 0; i < 5; i++) r(`/five/${i}`, redirect(307, `/five/${i + 1}`));
  r('/five/5', send(oneItemFeed(server, 'five-1', 'Five redirects')));

  // 4. A loop and a chain of 6.
  r('/loop-a.xml', redirect(302, '/loop-b.xml'));
  r('/loop-b.xml', redirect(302, '/loop-a.xml'));
  for (let i = 0; i < 6; i++) r(`/six/${i}`, redirect(301, `/six/${i + 1}`));
  r('/six/6', send(oneItemFeed(server, 'six-1', 'Six redirects')));

  // 5. 429s, each on a host of its own (see the file comment).
  r('/busy-briefly.xml', (req, res, n) => {
    if (n === 1) res.writeHead(429, { 'retry-after': '2', 'content-type': 'text/plain' }).end('slow down');
    else send(oneItemFeed(server, 'busy-1', 'Busy briefly'))(req, res, n);
  });
  r(
    '/busy-long.xml',
    (_req, res) =>
      void res.writeHead(429, { 'retry-after': '7200', 'content-type': 'text/plain' }).end('come back later'),
  );

  // 6. Slow: headers that never come in time, and a body that trickles past the total timeout.
  r('/slow-headers.xml', slowHeaders(4 * FETCH_TIMEOUT_MS, send(oneItemFeed(server, 'slow-1', 'Slow'))));
  r(
    '/slow-body.xml',
    tricklingBody('<?xml version="1.0"?><rss version="2.0"><channel>', 100, 4 * FETCH_TIMEOUT_MS),
  );

  // 7. Too big: declared, streamed without a length, and a gzip bomb (small on the wire, huge inflated).
  const big = Buffer.from(rssFeed('Big', [item(server, 'big-1', 'Big', 'x'.repeat(MAX_BODY + 64 * KIB))]));
  r('/oversize-declared.xml', send(big, { headers: { 'content-length': String(big.length) } }));
  r('/oversize-chunked.xml', chunked(big, 16 * KIB, { 'content-type': 'application/rss+xml' }));
  const bomb = gzipSync(
    Buffer.concat([
      Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>'),
      Buffer.alloc(64 * 1024 * KIB, 0x20),
    ]),
  );
  if (bomb.length >= MAX_BODY / 2)
    throw new Error(`the gzip bomb should be small on the wire, is ${bomb.length} bytes`);
  r('/bomb.xml', send(bomb, { headers: { 'content-encoding': 'gzip' } }));

  // 8. Wrong charsets.
  const russian = (id: string) =>
    windows1251(
      rssFeed(
        'Новости машинного обучения',
        [
          item(
            server,
            id,
            RUSSIAN_TITLE,
            'Новая версия ускоряет обучение моделей.',
            'Wed, 15 Mar 2023 10:00:00 GMT',
          ),
        ],
        'windows-1251',
      ),
    );
  r(
    '/cp1251-header-utf8.xml',
    send(russian('ru-utf8-header'), { contentType: 'application/rss+xml; charset=utf-8' }),
  );
  r(
    '/cp1251-header-latin1.xml',
    send(russian('ru-latin1-header'), { contentType: 'application/rss+xml; charset=ISO-8859-1' }),
  );
  const bomFeed = rssFeed('Café naïve', [
    item(server, 'bom-1', 'Zürich — “quoted” 日本語', 'Ünïcödé text after a BOM.'),
  ]);
  r(
    '/bom-utf8.xml',
    send(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bomFeed, 'utf8')]), {
      contentType: 'text/xml; charset=iso-8859-1',
    }),
  );

  // 9. HTML served as a feed.
  r(
    '/html-as-feed.xml',
    send(
      '<!DOCTYPE html><html><head><title>Our blog</title></head><body><h1>Our blog</h1><p>Welcome.</p></body></html>',
      {
        contentType: 'application/rss+xml',
      },
    ),
  );

  // 10. robots.txt disallows /private/ only.
  r('/private/feed.xml', send(oneItemFeed(server, 'private-1', 'Private')));
  r('/public/feed.xml', send(oneItemFeed(server, 'public-1', 'Public')));

  // 11. Private addresses: a valid feed on the trap host, and a redirect to the cloud metadata address.
  r('/feed.xml', send(oneItemFeed(server, 'trap-1', 'Trap')));
  r('/to-metadata.xml', redirect(302, METADATA));
}
