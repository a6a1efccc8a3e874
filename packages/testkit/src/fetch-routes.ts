import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { type FixtureServer, redirect, startFixtureServer } from './server.js';

/** The cases `fetchUrl` must handle, served by the fixture server (status codes, redirects, codings, limits). */

export const FEED_BODY =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture</title></channel></rss>';
export const ETAG = '"v1"';
export const LAST_MODIFIED = 'Wed, 01 Oct 2025 10:00:00 GMT';
/** Each gzip member of the bomb inflates to 16 MiB; 1024 of them are 16 GiB (16 MiB on the wire). */
export const BOMB_MEMBERS = 1024;
const TEXT = 'frameline decodes this text. '.repeat(200);

/** How the fixture answers /robots.txt. */
export type RobotsMode = 'rules' | 'missing' | 'error';

/** The fixture server with the fetch cases, and what they counted. */
export interface FetchFixture extends FixtureServer {
  /** Gzip members of the bomb written before the client hung up (out of BOMB_MEMBERS). */
  bombMembersWritten: () => number;
  /** Most /hold requests the server was answering at the same moment. */
  peakHolds: () => number;
}

// Built on the first request for it, not on import (16 MiB of zeros, compressed).
let bombMember: Buffer | null = null;

function sendFeed(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'application/rss+xml; charset=utf-8',
    etag: ETAG,
    'last-modified': LAST_MODIFIED,
  });
  res.end(FEED_BODY);
}

function encoded(coding: string, body: Buffer) {
  return (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': coding });
    res.end(body);
  };
}

export async function startFetchFixture(opts: { robots?: RobotsMode } = {}): Promise<FetchFixture> {
  const server = await startFixtureServer();
  let bombWritten = 0;
  let holds = 0;
  let peakHolds = 0;
  const r = server.route;
  r(/^\/status\/\d{3}$/, (req, res) => {
    res.writeHead(Number((req.url ?? '').slice('/status/'.length, '/status/'.length + 3)), {
      'content-type': 'text/plain',
    });
    res.end('status page');
  });
  r(/^\/chain\/\d+$/, (req, res, n) => {
    const left = Number((req.url ?? '').slice('/chain/'.length));
    if (left === 0) sendFeed(res);
    else redirect(302, `/chain/${left - 1}`)(req, res, n);
  });
  r('/feed', (req, res) => {
    if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
      res.writeHead(304, { etag: ETAG, 'last-modified': LAST_MODIFIED });
      res.end();
      return;
    }
    sendFeed(res);
  });
  r('/private/feed', (_req, res) => sendFeed(res));
  r('/moved/a', redirect(301, '/moved/b'));
  r('/moved/b', redirect(308, '/feed'));
  r('/found', redirect(302, '/feed'));
  r('/mixed', redirect(301, '/found'));
  r('/loop/a', redirect(302, '/loop/b'));
  r('/loop/b', redirect(302, '/loop/a'));
  r('/to-metadata', redirect(302, 'http://169.254.169.254/latest/meta-data/'));
  r('/429-seconds', (_req, res) => void res.writeHead(429, { 'retry-after': '7' }).end());
  r(
    '/429-date',
    (_req, res) =>
      void res.writeHead(429, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }).end(),
  );
  r('/503', (_req, res) => void res.writeHead(503, { 'retry-after': '30' }).end('maintenance'));
  r('/slow-body', (_req, res) => {
    // Headers at once, then a byte now and then, forever: only the total timeout ends it.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const t = setInterval(() => res.write('.'), 50);
    res.on('close', () => clearInterval(t));
  });
  r('/slow-headers', () => undefined); // never answered; close() drops the connection
  r('/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(2 * 1024 * 1024) });
    res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
  });
  r('/big-chunked', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 32; i++) res.write(Buffer.alloc(64 * 1024, 0x61));
    res.end();
  });
  r('/hold', (_req, res) => {
    holds++;
    peakHolds = Math.max(peakHolds, holds);
    setTimeout(() => {
      holds--;
      sendFeed(res);
    }, 20);
  });
  r('/bomb', (_req, res) => {
    // Gzip members one at a time, respecting backpressure, so the count shows how far the client read.
    bombMember ??= gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const member = bombMember;
    res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' });
    let sent = 0;
    const writeMore = () => {
      while (sent < BOMB_MEMBERS && !res.destroyed) {
        sent++;
        bombWritten++;
        if (!res.write(member)) {
          res.once('drain', writeMore);
          return;
        }
      }
      if (sent >= BOMB_MEMBERS) res.end();
    };
    writeMore();
  });
  r('/gzip', encoded('gzip', gzipSync(TEXT)));
  r('/br', encoded('br', brotliCompressSync(TEXT)));
  r('/deflate', encoded('deflate', deflateSync(TEXT)));
  r('/deflate-raw', encoded('deflate', deflateRawSync(TEXT)));
  r('/corrupt-br', encoded('br', Buffer.from('this is not brotli at all')));
  r('/corrupt-gzip', encoded('gzip', Buffer.from('this is not gzip at all')));
  r('/robots.txt', (_req, res) => {
    if (opts.robots === 'missing' || opts.robots === 'error') {
      res.writeHead(opts.robots === 'missing' ? 404 : 500).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('User-agent: frameline\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n');
  });
  return { ...server, bombMembersWritten: () => bombWritten, peakHolds: () => peakHolds };
}
