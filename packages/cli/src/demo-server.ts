import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Sample feeds written for frameline, served locally so the main job can be seen working with no network. */
export const DEMO_DIR = fileURLToPath(new URL('../demo/', import.meta.url));
export const DEMO_PORT = 47_101;

const TYPES: Record<string, string> = {
  '.xml': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
};

export interface DemoServer {
  origin: string;
  feeds: { url: string; name: string }[];
  close(): Promise<void>;
}

export async function startDemoServer(port = DEMO_PORT): Promise<DemoServer> {
  const origin = `http://127.0.0.1:${port}`;
  const files = (await readdir(DEMO_DIR)).filter((f) => extname(f) in TYPES).sort();
  // Links in the samples are written as {{origin}}/demo/...; a feed item's page is served from articles/,
  // whose file names spell the path with __ for /.
  const bodies = new Map<string, { type: string; body: string }>();
  const load = async (file: string) =>
    (await readFile(`${DEMO_DIR}/${file}`, 'utf8')).replaceAll('{{origin}}', origin);
  for (const f of files)
    bodies.set(`/${f}`, { type: TYPES[extname(f)] ?? 'text/plain', body: await load(f) });
  for (const f of await readdir(`${DEMO_DIR}/articles`)) {
    const path = `/demo/${f.replace(/\.html$/, '').replaceAll('__', '/')}`;
    bodies.set(path, { type: 'text/html; charset=utf-8', body: await load(`articles/${f}`) });
  }
  const server: Server = createServer((req, res) => {
    const found = bodies.get(req.url ?? '');
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': found.type }).end(found.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`the demo server's port ${port} is taken; pass --demo-port <n>`, { cause: err })
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    origin,
    feeds: files.map((f) => ({ url: `${origin}/${f}`, name: `demo: ${f.replace(/\.[a-z]+$/, '')}` })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
