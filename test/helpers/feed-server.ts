import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Route {
  status?: number;
  /** A string body has `{{origin}}` replaced by the server's origin (http://127.0.0.1:port). */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

/** A local HTTP server for fixture feeds; routes can be changed between crawls, and requests are counted. */
export interface FeedServer {
  origin: string;
  url(path: string): string;
  routes: Map<string, Route>;
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  /** Resolves when the next request for `path` arrives. */
  nextRequest(path: string): Promise<void>;
  close(): Promise<void>;
}

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)), 'utf8');
}

export async function startFeedServer(routes: Record<string, Route> = {}): Promise<FeedServer> {
  const table = new Map(Object.entries(routes));
  const requests: FeedServer['requests'] = [];
  const waiters = new Map<string, (() => void)[]>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    for (const resolve of waiters.get(path)?.splice(0) ?? []) resolve();
    const route = table.get(path);
    const answer = () => {
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(route.status ?? 200, {
        'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
        ...route.headers,
      });
      const body = route.body ?? '';
      res.end(typeof body === 'string' ? body.replaceAll('{{origin}}', origin) : body);
    };
    if (route?.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let origin = '';
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    routes: table,
    requests,
    nextRequest: (path) =>
      new Promise((resolve) => {
        const list = waiters.get(path) ?? [];
        list.push(resolve);
        waiters.set(path, list);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
