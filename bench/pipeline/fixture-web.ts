/**
 * The pipeline benchmark's web: N RSS 2.0 feeds of M items of ML news, each item linking an article page on the
 * same server, every answer held back by a fixed latency. Feeds carry ETag and Last-Modified and answer 304 to
 * a matching conditional GET. The server counts what it sends, by kind of path, so a pass can be judged by
 * its traffic (how many article pages, how many feed bodies) and not only by what the crawler reports.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { seededRandom, startFixtureServer } from '@frameline/testkit';

export const KINDS = ['feed', 'article', 'robots', 'other'] as const;
export type Kind = (typeof KINDS)[number];

/** What the server sent since the last reset. */
export interface Traffic {
  requests: Record<Kind, number>;
  /** Bytes of response bodies (none for a 304). */
  bodyBytes: Record<Kind, number>;
  /** 304 answers to conditional feed requests. */
  notModified: number;
  /** The most requests any one path received (1 when nothing was fetched twice). */
  maxPerPath: number;
}

export interface FixtureWeb {
  origin: string;
  feedUrls: string[];
  traffic(): Traffic;
  resetTraffic(): void;
  close(): Promise<void>;
}

const FRAMEWORKS = [
  'PyTorch',
  'TensorFlow',
  'JAX',
  'Keras',
  'ONNX Runtime',
  'scikit-learn',
  'Hugging Face Transformers',
  'vLLM',
  'TensorRT-LLM',
  'DeepSpeed',
  'MLX',
  'XGBoost',
  'LangChain',
  'PaddlePaddle',
] as const;
const VENDORS = [
  'NVIDIA',
  'AMD',
  'Intel',
  'Google',
  'Meta',
  'Microsoft',
  'Apple',
  'AWS',
  'Hugging Face',
  'Mistral AI',
  'Databricks',
  'Qualcomm',
  'Anthropic',
  'OpenAI',
] as const;
const HARDWARE = [
  'H100 GPUs',
  'Instinct MI300X accelerators',
  'Gaudi 3',
  'Cloud TPU v5e',
  'Apple silicon',
  'Arm Neoverse CPUs',
  'Jetson Orin modules',
  'Snapdragon laptops',
] as const;
const FEATURES = [
  'FP8 training',
  'FlashAttention-3 kernels',
  'distributed checkpointing',
  'quantization-aware training',
  'speculative decoding',
  'paged attention',
  'a new compiler backend',
  'sparse mixture-of-experts layers',
  'LoRA fine-tuning',
  'tensor parallelism',
] as const;
const MODELS = [
  'Llama 3',
  'Mistral 7B',
  'Gemma 2',
  'Phi-3',
  'Qwen2',
  'Stable Diffusion XL',
  'Whisper',
] as const;
const AUTHORS = ['Ada Park', 'Ravi Menon', 'Lena Vogel', 'Tomás Ruiz', 'Mei Chen', 'Kofi Mensah'] as const;

/**
 * One item's news: a title, a feed description of one or two sentences, and the article's paragraphs. `uid` is
 * in every text, so no two items read the same: frameline takes an equal text in two sources for one story
 * carried twice (a duplicate), which would hide documents from the count.
 */
export function mlNews(uid: number): { title: string; description: string; paragraphs: string[] } {
  const r = seededRandom(uid * 2_654_435_761);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const version = () => `${1 + Math.floor(r() * 3)}.${Math.floor(r() * 20)}.${Math.floor(r() * 5)}`;
  const sentence = (): string => {
    const [fw, vendor, hw, feature, model] = [
      pick(FRAMEWORKS),
      pick(VENDORS),
      pick(HARDWARE),
      pick(FEATURES),
      pick(MODELS),
    ];
    const pct = 5 + Math.floor(r() * 60);
    switch (Math.floor(r() * 5)) {
      case 0:
        return `${vendor} today released ${fw} ${version()}, which brings ${feature} to ${hw}. The release merges ${uid % 400} pull requests, tracked as milestone ${uid}.`;
      case 1:
        return `The ${fw} team announced version ${version()} with ${feature}; ${vendor} engineers report up to ${pct}% faster training of ${model} on ${hw} (run ${uid}).`;
      case 2:
        return `${vendor} announced a partnership with ${pick(VENDORS)} to optimise ${model} for ${fw} on ${hw}. Benchmarks in change ${uid} show ${pct}% lower latency.`;
      case 3:
        return `${fw} ${version()} deprecates the legacy ${feature} API and adds support for ${hw}. Migration notes are in changelog entry ${uid}.`;
      default:
        return `${vendor} open-sourced ${model} fine-tuning recipes for ${fw}, with ${feature} enabled by default (report ${uid}).`;
    }
  };
  const titles = [
    () => `${pick(FRAMEWORKS)} ${version()} released with ${pick(FEATURES)}`,
    () => `${pick(VENDORS)} adds ${pick(FRAMEWORKS)} support for ${pick(HARDWARE)}`,
    () => `${pick(VENDORS)} and ${pick(VENDORS)} partner on ${pick(MODELS)} inference`,
    () => `${pick(MODELS)} now runs on ${pick(HARDWARE)} with ${pick(FRAMEWORKS)}`,
  ];
  const title = pick(titles)();
  const description = r() < 0.5 ? sentence() : `${sentence()} ${sentence()}`;
  return { title, description, paragraphs: [description, sentence(), sentence(), sentence(), sentence()] };
}

const escapeXml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Items are an hour apart, the newest an hour before this fixed date, so runs serve identical bytes. */
const NEWEST = Date.UTC(2026, 10, 30, 12);
const published = (uid: number) => new Date(NEWEST - (uid + 1) * 3_600_000);

function feedXml(origin: string, f: number, items: number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const uid = f * items + i;
    const news = mlNews(uid);
    return `<item><guid isPermaLink="false">ml-wire-${f}-${i}</guid><title>${escapeXml(news.title)}</title>
<link>${origin}/articles/${f}/${i}.html</link><pubDate>${published(uid).toUTCString()}</pubDate>
<description>${escapeXml(news.description)}</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>ML Wire ${f}</title><link>${origin}/feeds/${f}</link>
<description>Machine-learning news, desk ${f}</description><language>en</language>
${entries.join('\n')}
</channel></rss>
`;
}

function articleHtml(origin: string, f: number, i: number, items: number): string {
  const uid = f * items + i;
  const news = mlNews(uid);
  const author = AUTHORS[uid % AUTHORS.length] as string;
  const paragraphs = news.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(news.title)} | ML Wire</title>
<link rel="canonical" href="${origin}/articles/${f}/${i}.html">
<meta name="author" content="${author}"><meta property="article:published_time" content="${published(uid).toISOString()}">
</head><body>
<header><nav><a href="/">ML Wire</a> <a href="/topics/frameworks">Frameworks</a> <a href="/topics/hardware">Hardware</a> <a href="/about">About</a></nav></header>
<main><article><h1>${escapeXml(news.title)}</h1><p class="byline">By ${author}</p>
${paragraphs}
</article></main>
<aside><h2>Subscribe</h2><p>Get the week's machine-learning releases in your inbox.</p></aside>
<footer><p>© 2026 ML Wire. All rights reserved.</p></footer>
</body></html>
`;
}

/** Start the web on 127.0.0.1 (an ephemeral port): `feeds` feeds of `items` items, `latencyMs` per answer. */
export async function startFixtureWeb(opts: {
  feeds: number;
  items: number;
  latencyMs: number;
}): Promise<FixtureWeb> {
  const server = await startFixtureServer();
  const origin = server.origin;
  const lastModified = new Date(NEWEST).toUTCString();
  // Bodies are made once: the server shares the bench's process and should spend its CPU on answering.
  const feeds = Array.from({ length: opts.feeds }, (_, f) => Buffer.from(feedXml(origin, f, opts.items)));
  let traffic = emptyTraffic();
  let perPath = new Map<string, number>();

  const answer = (
    kind: Kind,
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body?: Buffer,
  ) => {
    const timer = setTimeout(() => {
      traffic.requests[kind]++;
      if (status === 304) traffic.notModified++;
      traffic.bodyBytes[kind] += body?.length ?? 0;
      res.writeHead(status, { ...headers, 'content-length': String(body?.length ?? 0) }).end(body);
    }, opts.latencyMs);
    res.on('close', () => clearTimeout(timer));
  };
  const count = (req: IncomingMessage) => {
    const path = req.url ?? '/';
    const n = (perPath.get(path) ?? 0) + 1;
    perPath.set(path, n);
    traffic.maxPerPath = Math.max(traffic.maxPerPath, n);
    // The testkit server keeps every request; the bench has its own counters and would only grow that list.
    server.requests.length = 0;
  };

  server.route(/^\/feeds\/\d+\.xml$/, (req, res) => {
    count(req);
    const f = Number(/(\d+)/.exec(req.url ?? '')?.[1]);
    const body = feeds[f];
    if (!body)
      return answer('other', res, 404, { 'content-type': 'text/plain' }, Buffer.from('no such feed'));
    const etag = `"ml-wire-${f}-v1"`;
    const validators = { etag, 'last-modified': lastModified };
    if (notModified(req, etag, NEWEST)) return answer('feed', res, 304, validators);
    answer('feed', res, 200, { ...validators, 'content-type': 'application/rss+xml; charset=utf-8' }, body);
  });
  server.route(/^\/articles\/\d+\/\d+\.html$/, (req, res) => {
    count(req);
    const [, f, i] = /^\/articles\/(\d+)\/(\d+)\.html/.exec(req.url ?? '') ?? [];
    if (Number(f) >= opts.feeds || Number(i) >= opts.items) {
      return answer('other', res, 404, { 'content-type': 'text/plain' }, Buffer.from('no such page'));
    }
    const html = Buffer.from(articleHtml(origin, Number(f), Number(i), opts.items));
    answer('article', res, 200, { 'content-type': 'text/html; charset=utf-8' }, html);
  });
  server.route('/robots.txt', (req, res) => {
    count(req);
    answer('robots', res, 200, { 'content-type': 'text/plain' }, Buffer.from('User-agent: *\nAllow: /\n'));
  });
  // Anything else is counted too, so a stray request shows in the report instead of vanishing.
  server.route(/^\//, (req, res) => {
    count(req);
    answer('other', res, 404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
  });

  return {
    origin,
    feedUrls: feeds.map((_, f) => `${origin}/feeds/${f}.xml`),
    traffic: () => structuredClone(traffic),
    resetTraffic: () => {
      traffic = emptyTraffic();
      perPath = new Map();
    },
    close: () => server.close(),
  };
}

/** RFC 9110: If-None-Match decides when present; else If-Modified-Since at or after the last change. */
function notModified(req: IncomingMessage, etag: string, lastModifiedMs: number): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  const ims = req.headers['if-modified-since'];
  return ims !== undefined && Date.parse(ims) >= lastModifiedMs;
}

function emptyTraffic(): Traffic {
  const zero = () => Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  return { requests: zero(), bodyBytes: zero(), notModified: 0, maxPerPath: 0 };
}
