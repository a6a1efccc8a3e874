import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { jsonLines, runCli } from './helpers/cli.js';

interface Span {
  start: number;
  end: number;
  text: string;
}
interface Result {
  ruleSet: string;
  entities: { id: string; name: string; kind: string; mentions: Span[] }[];
  announcements: {
    type: string;
    subject: string;
    objects: string[];
    version: string | null;
    stage: string | null;
    evidence: Span;
    rule: string;
  }[];
}

// An emoji (two UTF-16 code units) and curly quotes before the names: offsets must still be exact.
const TEXT =
  '🚀 “Big news” — Facebook released PyTorch 1.0 beta at the first PyTorch Developer Conference.\n';

test('extract --json prints the fixed shape with UTF-16 offsets into the input', async () => {
  const result = await runCli(['extract', '-', '--json'], {}, TEXT);
  expect(result.code, result.stderr).toBe(0);
  const [out] = jsonLines<Result>(result);
  if (!out) throw new Error('no output');
  expect(out.ruleSet).toMatch(/^[0-9a-f]{8,}$/);
  const ids = new Set(out.entities.map((e) => e.id));
  expect(ids.has('pytorch-1.0')).toBe(true);
  expect(out.entities.find((e) => e.id === 'pytorch-1.0')).toMatchObject({
    name: 'PyTorch 1.0',
    parent: 'pytorch',
  });
  for (const e of out.entities) {
    const keys = ['id', 'kind', 'mentions', 'name', ...('parent' in e ? ['parent'] : [])];
    expect(Object.keys(e).sort()).toEqual(keys.sort());
    for (const m of e.mentions) expect(TEXT.slice(m.start, m.end)).toBe(m.text);
  }
  const release = out.announcements.find((a) => a.type === 'release' && a.subject === 'pytorch-1.0');
  expect(release).toMatchObject({ version: '1.0', stage: 'beta' });
  for (const a of out.announcements) {
    expect(Object.keys(a).sort()).toEqual([
      'evidence',
      'objects',
      'rule',
      'stage',
      'subject',
      'type',
      'version',
    ]);
    expect(TEXT.slice(a.evidence.start, a.evidence.end)).toBe(a.evidence.text);
    expect(ids.has(a.subject)).toBe(true);
    for (const o of a.objects) expect(ids.has(o)).toBe(true);
    expect(a.rule.length).toBeGreaterThan(0);
  }
});

test('extract reads an HTML file and reports where the text is in the HTML', async () => {
  const html =
    '<html><body><h1>News</h1><p>AWS announced support for <b>PyTorch</b> in Amazon SageMaker.</p></body></html>';
  const result = await runCli(['extract', '-', '--json'], {}, html);
  expect(result.code, result.stderr).toBe(0);
  const [out] = jsonLines<Result>(result);
  const pytorch = out?.entities.find((e) => e.id === 'pytorch');
  const mention = pytorch?.mentions[0];
  expect(mention && html.slice(mention.start, mention.end)).toBe('PyTorch');
});

test('extract names a missing file and exits non-zero', async () => {
  const result = await runCli(['extract', 'no/such/file.txt'], {});
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('no/such/file.txt');
});

test('rules check names the line of each error, and passes the bundled rules', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'frameline-rules-'));
  try {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      [
        'entities:',
        '  - id: pytorch',
        '    name: PyTorch',
        '    kind: framework',
        '  - id: pytorch',
        '    name: PyTorch again',
        '    kind: framework',
        '  - id: widget',
        '    name: Widget',
        '    kind: gadget',
        'announcements: []',
        '',
      ].join('\n'),
    );
    const bad = await runCli(['rules', 'check', file], {});
    expect(bad.code).toBe(1);
    // The duplicate id is on line 5, the unknown kind on line 10.
    expect(bad.stdout).toMatch(new RegExp(`${file}:5:\\d+: .*pytorch`));
    expect(bad.stdout).toMatch(new RegExp(`${file}:10:\\d+: .*gadget`));
    const good = await runCli(['rules', 'check'], {});
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/rules\/default: ok/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
