import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The one fixture HTTP server of the tests and benchmarks: a route table served on one or more loopback
 * addresses (127.0.0.1, 127.0.0.3, ...), each on its own ephemeral port, recording every request. Several
 * addresses let a test give a source its own host, since per-host politeness keys on the host name.
 */

/**
 * Answers one request. `n` counts the requests for this path on this host so far (1 for the first), so a
 * route can change its answer between attempts (429 first, 200 on the retry).
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A fixed answer. A string body has `{{origin}}` replaced by the origin of the host that was asked. */
export interface Answer {
  status?: number;
  body?: string | Buffer;
  /** Default: an RSS feed in UTF-8. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

export interface RecordedRequest {
  /** The loopback address the request arrived on. */
  host: string;
  /** Path and query, as requested. */
  path: string;
  headers: IncomingMessage['headers'];
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FixtureServer {
  /** `http://<first host>:<port>`. */
  origin: string;
  /** `http://<host>:<port><path>` for one of the hosts (default the first). */
  url(path: string, host?: string): string;
  /**
   * Answer `path` (matched on path and query first, then on the path alone) or every path a pattern
   * matches; a later route for the same path replaces the earlier one.
   */
  route(path: string | RegExp, answer: Handler | Answer): void;
  /** Stop answering `path` (404 from then on). */
  unroute(path: string): void;
  requests: RecordedRequest[];
  /** The requests that arrived for `path` (on `host` when given). */
  hits(path: string, host?: string): RecordedRequest[];
  /** Resolves when the next request for `path` arrives. */
  nextRequest(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Answer with a body (status 200 unless given). */
export function send(body: string | Buffer, opts: Omit<Answer, 'body'> = {}): Handler {
  return answerWith({ ...opts, body });
}

export function redirect(status: 301 | 302 | 303 | 307 | 308, location: string): Handler {
  return (_req, res) => void res.writeHead(status, { location, 'content-type': 'text/plain' }).end('moved');
}

/** Send the headers only after `delayMs` (or never, if the client gives up first). */
export function slowHeaders(delayMs: number, then: Handler): Handler {
  return (req, res, n) => {
    const timer = setTimeout(() => then(req, res, n), delayMs);
    res.on('close', () => clearTimeout(timer));
  };
}

/** Send 200 and the start of a feed at once, then one byte every `everyMs`, for at most `forMs`. */
export function tricklingBody(start: string, everyMs: number, forMs: number): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.write(start);
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > forMs) {
        clearInterval(timer);
        res.end('</channel></rss>');
      } else res.write(' ');
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** Stream `body` in chunks with no Content-Length (chunked), respecting backpressure. */
export function chunked(
  body: Buffer,
  chunkBytes: number,
  headers: Record<string, string>,
  onChunk?: () => void,
): Handler {
  return (_req, res) => {
    res.writeHead(200, headers);
    let offset = 0;
    const pump = () => {
      while (offset < body.length && !res.destroyed) {
        const part = body.subarray(offset, offset + chunkBytes);
        offset += part.length;
        onChunk?.();
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('error', () => undefined);
    pump();
  };
}

function answerWith(answer: Answer): Handler {
  return (req, res) => {
    const respond = () => {
      res.writeHead(answer.status ?? 200, {
        'content-type': answer.contentType ?? 'application/rss+xml; charset=utf-8',
        ...answer.headers,
      });
      const body = answer.body ?? '';
      res.end(typeof body === 'string' ? body.replaceAll('{{origin}}', `http://${req.headers.host}`) : body);
    };
    if (answer.delayMs) {
      const timer = setTimeout(respond, answer.delayMs);
      res.on('close', () => clearTimeout(timer));
    } else respond();
  };
}

/** Start the server on `hosts` (default 127.0.0.1 only) with the given routes. */
export async function startFixtureServer(
  opts: { hosts?: readonly string[]; routes?: Record<string, Handler | Answer> } = {},
): Promise<FixtureServer> {
  const hosts = opts.hosts ?? ['127.0.0.1'];
  const first = hosts[0];
  if (first === undefined) throw new Error('startFixtureServer needs at least one host');
  const exact = new Map<string, Handler>();
  const patterns: [RegExp, Handler][] = [];
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const waiters = new Map<string, (() => void)[]>();
  const sockets = new Set<Socket>();
  const servers = new Map<string, { server: Server; port: number }>();
  const route = (path: string | RegExp, answer: Handler | Answer): void => {
    const handler = typeof answer === 'function' ? answer : answerWith(answer);
    if (typeof path === 'string') exact.set(path, handler);
    else patterns.push([path, handler]);
  };
  for (const [path, answer] of Object.entries(opts.routes ?? {})) route(path, answer);

  for (const host of hosts) {
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      requests.push({ host, path, headers: req.headers, at: Date.now() });
      const key = `${host} ${path}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      for (const resolve of waiters.get(path)?.splice(0) ?? []) resolve();
      const bare = path.split('?')[0] as string;
      const handler =
        exact.get(path) ?? exact.get(bare) ?? patterns.find(([re]) => re.test(bare))?.[1] ?? undefined;
      if (handler) handler(req, res, n);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
    servers.set(host, { server, port: (server.address() as AddressInfo).port });
  }
  const portOf = (host: string): number => {
    const s = servers.get(host);
    if (!s) throw new Error(`the fixture server does not listen on ${host}`);
    return s.port;
  };
  return {
    origin: `http://${first}:${portOf(first)}`,
    url: (path, host = first) => `http://${host}:${portOf(host)}${path}`,
    route,
    unroute: (path) => void exact.delete(path),
    requests,
    hits: (path, host) => requests.filter((r) => r.path === path && (host === undefined || r.host === host)),
    nextRequest: (path) =>
      new Promise((resolve) => {
        const list = waiters.get(path) ?? [];
        list.push(resolve);
        waiters.set(path, list);
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(
        [...servers.values()].map(
          ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
        ),
      );
    },
  };
}
