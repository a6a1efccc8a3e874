import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { type CliResult, cliEnv, REPO_ROOT } from './cli.js';

/**
 * Answers one request. `n` counts the requests for this path on this host so far (1 for the first), so a
 * route can change its answer between attempts (429 first, 200 on the retry).
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export interface RecordedRequest {
  /** The loopback address the request arrived on (each host is its own listener). */
  host: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Date.now() when the request arrived. */
  at: number;
}

/**
 * One route table served on several loopback addresses (127.0.0.1, 127.0.0.3, ...), each on its own
 * ephemeral port. Several addresses let a test give a source its own host, since per-host politeness (and a
 * host-wide Retry-After) keys on the host name.
 */
export interface HostileServer {
  /** `http://<host>:<port><path>` for one of the hosts the server listens on (default the first). */
  url(path: string, host?: string): string;
  route(path: string, handler: Handler): void;
  requests: RecordedRequest[];
  /** The requests that arrived for `path` (on `host` when given). */
  hits(path: string, host?: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startHostileServer(hosts: readonly string[]): Promise<HostileServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const servers = new Map<string, { server: Server; port: number }>();
  for (const host of hosts) {
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      requests.push({ host, path, headers: req.headers, at: Date.now() });
      const n = requests.filter((r) => r.host === host && r.path === path).length;
      const handler = routes.get(path);
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
  const first = hosts[0];
  if (!first) throw new Error('startHostileServer needs at least one host');
  const portOf = (host: string) => {
    const s = servers.get(host);
    if (!s) throw new Error(`the fixture server does not listen on ${host}`);
    return s.port;
  };
  return {
    url: (path, host = first) => `http://${host}:${portOf(host)}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    hits: (path, host) => requests.filter((r) => r.path === path && (host === undefined || r.host === host)),
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

/** Answer with a body (status 200 unless given). */
export function send(
  body: string | Buffer,
  opts: { status?: number; contentType?: string; headers?: Record<string, string> } = {},
): Handler {
  return (_req, res) => {
    res.writeHead(opts.status ?? 200, {
      'content-type': opts.contentType ?? 'application/rss+xml; charset=utf-8',
      ...opts.headers,
    });
    res.end(body);
  };
}

export function redirect(status: 301 | 302 | 307 | 308, location: string): Handler {
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

/** Stream `body` in chunks with no Content-Length (chunked), so only a streaming cap can stop it. */
export function chunked(body: Buffer, chunkBytes: number, headers: Record<string, string>): Handler {
  return (_req, res) => {
    res.writeHead(200, headers);
    let offset = 0;
    const pump = () => {
      while (offset < body.length && !res.destroyed) {
        const part = body.subarray(offset, offset + chunkBytes);
        offset += part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('error', () => undefined);
    pump();
  };
}

/**
 * A preload for the CLI child that lets it connect only to loopback addresses and logs every connection it
 * opens (or refuses) to `HOSTILE_NET_LOG`. It is the test's own safety net: should the SSRF guard ever let a
 * redirect to 169.254.169.254 through, the connection is refused here instead of leaving the machine, and the
 * log shows the attempt. Passed as a data: URL so it needs no file of its own.
 */
const LOOPBACK_ONLY = `
import net from 'node:net';
import { appendFileSync } from 'node:fs';
const log = process.env.HOSTILE_NET_LOG;
const loopback = (h) => h === 'localhost' || /^127\\./.test(h) || h === '::1' || h === '[::1]';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host = null;
  if (first && typeof first === 'object') host = first.path ? null : String(first.host ?? 'localhost');
  else if (typeof first === 'number' || /^\\d+$/.test(String(first))) host = typeof args[1] === 'string' ? args[1] : 'localhost';
  if (host !== null && !loopback(host)) {
    if (log) appendFileSync(log, 'refused ' + host + '\\n');
    process.nextTick(() => this.destroy(new Error('test loopback guard: refused to connect to ' + host)));
    return this;
  }
  if (host !== null && log) appendFileSync(log, 'connect ' + host + '\\n');
  return connect.apply(this, args);
};
`;
const LOOPBACK_ONLY_URL = `data:text/javascript,${encodeURIComponent(LOOPBACK_ONLY)}`;
const MAIN = join(REPO_ROOT, 'packages/cli/src/main.ts');

/** Run `frameline <args>` like runCli (test/helpers/cli.ts), with the loopback-only preload. */
export function runGuardedCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', LOOPBACK_ONLY_URL, MAIN, ...args],
    {
      cwd: REPO_ROOT,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: CliResult = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output.stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output.stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      output.code = code;
      output.signal = signal;
      resolve(output);
    }),
  );
}
