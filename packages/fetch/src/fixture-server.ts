import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

/** A request the fixture server saw. */
export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A local HTTP server on 127.0.0.1 (ephemeral port) that plays the cases fetchUrl must handle. Tests only. */
export interface FixtureServer {
  origin: string;
  seen: SeenRequest[];
  /** Gzip members of the bomb written before the client hung up (out of BOMB_MEMBERS). */
  bombMembersWritten: () => number;
  /** Most /hold requests the server was answering at the same moment. */
  peakHolds: () => number;
  close(): Promise<void>;
}

export const FEED_BODY =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture</title></channel></rss>';
export const ETAG = '"v1"';
export const LAST_MODIFIED = 'Wed, 01 Oct 2025 10:00:00 GMT';
/** Each gzip member of the bomb inflates to 16 MiB; 1024 of them are 16 GiB (16 MiB on the wire). */
export const BOMB_MEMBERS = 1024;
const BOMB_MEMBER = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
const TEXT = 'frameline decodes this text. '.repeat(200);

/** How the fixture answers /robots.txt. */
export type RobotsMode = 'rules' | 'missing' | 'error';

export async function startFixtureServer(opts: { robots?: RobotsMode } = {}): Promise<FixtureServer> {
  const seen: SeenRequest[] = [];
  let bombWritten = 0;
  let holds = 0;
  let peakHolds = 0;
  const pending = new Set<ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const path = url.pathname;
    seen.push({ path: `${path}${url.search}`, headers: req.headers });
    const redirect = (status: number, to: string) => {
      res.writeHead(status, { location: to, 'content-length': '0' });
      res.end();
    };
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) {
      res.writeHead(Number(status[1]), { 'content-type': 'text/plain' });
      res.end('status page');
      return;
    }
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (chain) {
      const n = Number(chain[1]);
      if (n === 0) return sendFeed(res);
      return redirect(302, `/chain/${n - 1}`);
    }
    switch (path) {
      case '/feed':
        if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
          res.writeHead(304, { etag: ETAG, 'last-modified': LAST_MODIFIED });
          res.end();
          return;
        }
        return sendFeed(res);
      case '/moved/a':
        return redirect(301, '/moved/b');
      case '/moved/b':
        return redirect(308, `/feed`);
      case '/found':
        return redirect(302, '/feed');
      case '/mixed':
        return redirect(301, '/found');
      case '/loop/a':
        return redirect(302, '/loop/b');
      case '/loop/b':
        return redirect(302, '/loop/a');
      case '/to-metadata':
        return redirect(302, 'http://169.254.169.254/latest/meta-data/');
      case '/429-seconds':
        res.writeHead(429, { 'retry-after': '7' });
        res.end();
        return;
      case '/429-date':
        res.writeHead(429, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() });
        res.end();
        return;
      case '/503':
        res.writeHead(503, { 'retry-after': '30' });
        res.end('maintenance');
        return;
      case '/slow-body': {
        // Headers at once, then a byte now and then, forever: only the total timeout ends it.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/slow-headers':
        pending.add(res); // never answered
        res.on('close', () => pending.delete(res));
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(2 * 1024 * 1024) });
        res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
        return;
      case '/big-chunked':
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 32; i++) res.write(Buffer.alloc(64 * 1024, 0x61));
        res.end();
        return;
      case '/hold':
        holds++;
        peakHolds = Math.max(peakHolds, holds);
        setTimeout(() => {
          holds--;
          sendFeed(res);
        }, 20);
        return;
      case '/bomb':
        return sendBomb(res, () => bombWritten++);
      case '/gzip':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync(TEXT));
        return;
      case '/br':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
        res.end(brotliCompressSync(TEXT));
        return;
      case '/deflate':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' });
        res.end(deflateSync(TEXT));
        return;
      case '/deflate-raw':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' });
        res.end(deflateRawSync(TEXT));
        return;
      case '/corrupt-br':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
        res.end(Buffer.from('this is not brotli at all'));
        return;
      case '/corrupt-gzip':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(Buffer.from('this is not gzip at all'));
        return;
      case '/robots.txt':
        if (opts.robots === 'missing' || opts.robots === 'error') {
          res.writeHead(opts.robots === 'missing' ? 404 : 500);
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('User-agent: frameline\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n');
        return;
      case '/private/feed':
        return sendFeed(res);
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    bombMembersWritten: () => bombWritten,
    peakHolds: () => peakHolds,
    close: async () => {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendFeed(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'application/rss+xml; charset=utf-8',
    etag: ETAG,
    'last-modified': LAST_MODIFIED,
  });
  res.end(FEED_BODY);
}

// Writes gzip members one at a time, respecting backpressure, so the count shows how far the client read.
function sendBomb(res: ServerResponse, onMember: () => void): void {
  res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' });
  let sent = 0;
  const writeMore = () => {
    while (sent < BOMB_MEMBERS && !res.destroyed) {
      sent++;
      onMember();
      if (!res.write(BOMB_MEMBER)) {
        res.once('drain', writeMore);
        return;
      }
    }
    if (sent >= BOMB_MEMBERS) res.end();
  };
  writeMore();
}
