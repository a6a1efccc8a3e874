/**
 * How fetchUrl costs against Node's built-in fetch on loopback, and what a gzip bomb costs it.
 * Run from the repo root: npx tsx bench/fetch-limits.ts
 * Prints a Markdown section and writes it into BENCHMARKS.md between its own markers.
 */
import { execSync } from 'node:child_process';
import { startFetchFixture, writeBenchSection } from '@frameline/testkit';
import { fetchUrl } from '../packages/fetch/src/fetch-url.js';

const RUNS = 7;
const REQUESTS = 300;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const server = await startFetchFixture();
const opts = {
  userAgent: 'frameline/0.1 (+bench)',
  timeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  maxBodyBytes: 15 * 1024 * 1024,
  allowHosts: ['127.0.0.1'],
};

async function rate(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < REQUESTS; i++) await fn();
  return REQUESTS / ((performance.now() - t) / 1000);
}

const ours: number[] = [];
const builtin: number[] = [];
const bombMs: number[] = [];
const bombHeapMiB: number[] = [];
for (let run = 0; run < RUNS; run++) {
  builtin.push(await rate(async () => (await fetch(`${server.origin}/gzip`)).arrayBuffer()));
  ours.push(await rate(() => fetchUrl(`${server.origin}/gzip`, null, opts)));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  let peak = heapBefore;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  }, 1);
  const t = performance.now();
  const err = await fetchUrl(`${server.origin}/bomb`, null, opts).catch((e: Error) => e);
  bombMs.push(performance.now() - t);
  clearInterval(sampler);
  if (!(err instanceof Error) || !err.message.includes('decompressed body is larger')) {
    throw new Error(`bomb was not refused as expected: ${String(err)}`);
  }
  bombHeapMiB.push((peak - heapBefore) / (1024 * 1024));
}
await server.close();

const nproc = execSync('nproc').toString().trim();
const section = [
  '## fetch: fetchUrl overhead and gzip-bomb cost',
  '',
  `Machine: ${nproc} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; median of ${RUNS} runs;`,
  '`npx tsx bench/fetch-limits.ts`. Loopback fixture server, 5.8 KB text body sent gzip-compressed.',
  '',
  '| measure | result |',
  '|---|---|',
  `| baseline: Node's built-in fetch (undici, keep-alive), sequential GETs | ${median(builtin).toFixed(0)} req/s |`,
  `| fetchUrl (SSRF check, fresh connection per call, streaming gunzip), sequential GETs | ${median(ours).toFixed(0)} req/s |`,
  `| gzip bomb (16 GiB offered, cap 15 MiB): time to body_too_large | ${median(bombMs).toFixed(0)} ms |`,
  `| gzip bomb: peak JS heap + ArrayBuffer growth while refusing it (sampled every ms) | ${median(bombHeapMiB).toFixed(1)} MiB |`,
].join('\n');
process.stdout.write(`${section}\n`);

writeBenchSection('fetch-limits', section);
