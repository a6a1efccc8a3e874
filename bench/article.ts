// Article extraction on readability's 130 test pages: shingle F1 (scrapinghub benchmark measure),
// pages/s on one core, title/byline agreement. Run: `npx tsx bench/article.ts` (pin with
// `taskset -c 0` for a strict one-core figure). Writes the `article` section of BENCHMARKS.md.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { extractArticle } from '@frameline/article';
import {
  aggregate,
  CORPUS_PAGE_URL,
  type CorpusPage,
  type CorpusScore,
  loadReadabilityCorpus,
  naiveBodyText,
  scorePage,
  writeBenchSection,
} from '@frameline/testkit';

const RUNS = 7;
const pages = loadReadabilityCorpus();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median pages/s of `fn` over all pages, after one warm-up pass. */
function speed(fn: (html: string) => unknown): number {
  for (const p of pages) fn(p.source);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    for (const p of pages) fn(p.source);
    rates.push(pages.length / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

const bodyText = (html: string): string => naiveBodyText(html, 'parse5');
const bodyTextHp2 = (html: string): string => naiveBodyText(html, 'htmlparser2');

function score(subset: CorpusPage[], texts: Map<string, string>): CorpusScore {
  return aggregate(subset.map((p) => scorePage(texts.get(p.name) ?? '', p.expectedText)));
}

const norm = (s: string | null): string => (s ?? '').replace(/\s+/g, ' ').trim();

const articles = new Map(pages.map((p) => [p.name, extractArticle(p.source, CORPUS_PAGE_URL)]));
const texts = new Map([...articles].map(([k, a]) => [k, a.text]));
const baselineTexts = new Map(pages.map((p) => [p.name, bodyText(p.source)]));
const odd = pages.filter((p) => p.index % 2 === 1);
const even = pages.filter((p) => p.index % 2 === 0);
const all = score(pages, texts);
const oddScore = score(odd, texts);
const evenScore = score(even, texts);
const baseline = score(pages, baselineTexts);
let titles = 0;
let bylines = 0;
let datesExpected = 0;
let datesSame = 0;
for (const p of pages) {
  const a = articles.get(p.name);
  if (!a) continue;
  if (norm(a.title) === norm(p.expectedTitle)) titles++;
  if (norm(a.byline) === norm(p.expectedByline)) bylines++;
  if (p.expectedPublished) {
    datesExpected++;
    if (a.published !== null && Date.parse(a.published) === Date.parse(p.expectedPublished)) datesSame++;
  }
}

const ours = speed((h) => extractArticle(h, CORPUS_PAGE_URL));
const base = speed(bodyText);
const baseHp2 = speed(bodyTextHp2);

const pinned = existsSync('/proc/self/status')
  ? (/Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '?')
  : '?';
const f = (x: number): string => x.toFixed(4);
const pct = (n: number, d: number): string => `${n}/${d} (${((100 * n) / d).toFixed(1)}%)`;
const section = `## article

Main-text extraction (\`@frameline/article\` \`extractArticle\`) on readability's ${pages.length} test pages
(\`shared/corpora/readability\`), page URL \`${CORPUS_PAGE_URL}\`. Measure: scrapinghub article-extraction-benchmark
shingle matching (\`\\w+\` Unicode tokens, 4-gram multisets, per-page tp/fp/fn normalised to sum 1, per-page
precision and recall, F1 of the mean precision and mean recall; a text under 4 tokens is one shingle, as in
its evaluate.py). Expected text = visible text of \`expected.html\`.

Machine: ${cpus().length} cores (nproc), CPUs allowed: ${pinned}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)},
load average at the end ${loadavg()
  .map((x) => x.toFixed(1))
  .join(' ')} (other work on the machine slows every row alike; compare within a run).
Speed: files read into memory first; median of ${RUNS} runs after a warm-up run, single thread.

| | F1 | mean P | mean R | pages/s |
|---|---|---|---|---|
| extractArticle, all ${pages.length} pages | **${f(all.f1)}** | ${f(all.precision)} | ${f(all.recall)} | **${ours.toFixed(1)}** |
| extractArticle, odd pages (development half, ${odd.length}) | ${f(oddScore.f1)} | ${f(oddScore.precision)} | ${f(oddScore.recall)} | |
| extractArticle, even pages (held-out half, ${even.length}) | ${f(evenScore.f1)} | ${f(evenScore.precision)} | ${f(evenScore.recall)} | |
| baseline: cheerio.load (parse5) + \`$('body').text()\` | ${f(baseline.f1)} | ${f(baseline.precision)} | ${f(baseline.recall)} | ${base.toFixed(1)} |
| cheerio.load (htmlparser2) + \`$('body').text()\` | | | | ${baseHp2.toFixed(1)} |

Metadata against \`expected-metadata.json\` (exact after whitespace normalisation):
title ${pct(titles, pages.length)}, byline ${pct(bylines, pages.length)},
published equal where one is expected ${pct(datesSame, datesExpected)}.
Most title misses are deliberate: we strip a " | Site" suffix that Readability keeps.
`;

process.stdout.write(`${section}\n`);

writeBenchSection('article', section);
