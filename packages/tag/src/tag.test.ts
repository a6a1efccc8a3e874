import type { ExtractResult } from '@frameline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRules } from './compile.js';
import { loadRuleSet } from './load-rules.js';
import type { RuleSet } from './rule-set.js';
import { tag, tagHtml } from './tag.js';

let rules: RuleSet;
beforeAll(() => {
  rules = loadRuleSet();
});

const ids = (r: ExtractResult) => r.entities.map((e) => e.id);
const brief = (r: ExtractResult) =>
  r.announcements.map((a) => [a.type, a.subject, [...a.objects].sort(), a.version, a.stage]);

/** Every span's offsets must cut exactly its text out of the input. */
function expectExactOffsets(input: string, r: ExtractResult) {
  for (const e of r.entities) for (const m of e.mentions) expect(input.slice(m.start, m.end)).toBe(m.text);
  for (const a of r.announcements)
    expect(input.slice(a.evidence.start, a.evidence.end)).toBe(a.evidence.text);
}

describe('entities', () => {
  it('resolves overlapping and nested names to the most specific entity', () => {
    const text = 'Google Cloud TPU runs TensorFlow Lite models; Google Cloud hosts TensorFlow.';
    const r = tag(text, rules);
    expect(ids(r)).toEqual(['cloud-tpu', 'tensorflow-lite', 'google-cloud', 'tensorflow']);
    expect(r.entities[0]?.mentions).toEqual([{ start: 0, end: 16, text: 'Google Cloud TPU' }]);
    expectExactOffsets(text, r);
  });

  it('applies case rules: Arm vs arm, JAX vs jax', () => {
    expect(ids(tag('My arm hurts and I use jax daily.', rules))).toEqual([]);
    expect(ids(tag('Arm and JAX both target new chips.', rules))).toEqual(['arm', 'jax']);
    expect(ids(tag('Arm still bent, he sat down.', rules))).toEqual([]);
    expect(ids(tag('Written for pytorch and TENSORFLOW users.', rules))).toEqual(['pytorch', 'tensorflow']);
  });

  it('matches possessives and hyphenated forms but never inside a longer word', () => {
    const text = "PyTorch’s autograd, PyTorch-based tools, PyTorch's JIT; not PyTorchX or Kerasé.";
    const r = tag(text, rules);
    expect(ids(r)).toEqual(['pytorch']);
    expect(r.entities[0]?.mentions.map((m) => m.text)).toEqual(['PyTorch', 'PyTorch', 'PyTorch']);
  });

  it('defines word boundaries itself: C++-like and dotted names', () => {
    expect(ids(tag('ML.NET is not plain .NET, but .NET runs ML.NET.', rules))).toEqual(['ml-net', 'dotnet']);
    expect(tag('ML.NET only', rules).entities[0]?.mentions).toHaveLength(1);
  });

  it('handles Unicode quotes and dashes around and inside names', () => {
    const text = '“Keras”—and ‘Ray‑Ban Meta’ glasses – use Hugging Face’s 🤗 Transformers.';
    const r = tag(text, rules);
    expect(ids(r)).toEqual(['keras', 'ray-ban-meta', 'hugging-face', 'hugging-face-transformers']);
    expectExactOffsets(text, r);
  });

  it('keeps offsets exact after astral characters, emoji and case-changing letters', () => {
    const text = '𝒳 İstanbul 🎉🎉 İİ loves PyTorch and 👩‍💻 TensorFlow';
    const r = tag(text, rules);
    expect(ids(r)).toEqual(['pytorch', 'tensorflow']);
    expect(r.entities[0]?.mentions[0]?.start).toBe(text.indexOf('PyTorch'));
    expectExactOffsets(text, r);
  });

  it('needs context for ambiguous names', () => {
    expect(ids(tag('Spark joy by tidying. Gemini is a star sign. Ray went home.', rules))).toEqual([]);
    expect(ids(tag('Spark jobs on a Databricks cluster.', rules))).toEqual(['spark', 'databricks']);
    expect(ids(tag('Gemini, the new multimodal model from Google.', rules))).toEqual(['gemini', 'google']);
    expect(ids(tag('Apache Spark is fast. Spark also has SQL.', rules))).toEqual(['spark']);
    expect(tag('Apache Spark is fast. Spark also runs.', rules).entities[0]?.mentions).toHaveLength(2);
  });

  it('joins an owner written right before its product into the product name', () => {
    const r = tag('NVIDIA Nemotron runs here; Google’s Gemma 2 too.', rules);
    expect(r.entities.map((e) => [e.id, e.mentions.map((m) => m.text)])).toEqual([
      ['nemotron', ['NVIDIA Nemotron']],
      ['google', ['Google']],
      ['gemma-2', ['Gemma 2']],
    ]);
  });

  it('drops `not:` phrases', () => {
    expect(ids(tag('Meta-learning is not Meta.', rules))).toEqual(['meta']);
    expect(tag('Meta-learning works.', rules).entities).toEqual([]);
  });

  it('orders entities by first mention and mentions by position', () => {
    const text = 'NVIDIA GPUs run PyTorch. PyTorch and NVIDIA agree.';
    const r = tag(text, rules);
    expect(ids(r)).toEqual(['nvidia', 'pytorch']);
    expect(r.entities[0]?.mentions.map((m) => m.start)).toEqual([0, text.lastIndexOf('NVIDIA')]);
  });
});

describe('announcements', () => {
  it('reads the 2018 paragraph', () => {
    const text =
      'Facebook released PyTorch 1.0 beta at the first PyTorch Developer Conference. ' +
      'AWS announced PyTorch support in SageMaker. Google Cloud TPU now supports PyTorch.';
    const r = tag(text, rules);
    expect(brief(r)).toEqual([
      ['release', 'pytorch-1.0', ['meta'], '1.0', 'beta'],
      ['event', 'pytorch-conference', ['meta', 'pytorch-1.0'], null, null],
      ['support', 'aws', ['aws-sagemaker', 'pytorch'], null, null],
      ['support', 'cloud-tpu', ['pytorch'], null, null],
    ]);
    expect(r.announcements[0]?.rule).toBe('release-verb');
    expect(r.announcements[0]?.evidence.text).toBe(
      'Facebook released PyTorch 1.0 beta at the first PyTorch Developer Conference.',
    );
    expectExactOffsets(text, r);
  });

  it('gives a partnership to each party', () => {
    expect(brief(tag('Anthropic expands partnership with Google and Broadcom.', rules))).toEqual([
      ['partnership', 'anthropic', ['broadcom', 'google'], null, null],
      ['partnership', 'google', ['anthropic', 'broadcom'], null, null],
      ['partnership', 'broadcom', ['anthropic', 'google'], null, null],
    ]);
  });

  it('gives one announcement per subject of a list', () => {
    const r = tag('AMD, Intel and Graphcore announced JAX support.', rules);
    expect(brief(r)).toEqual([
      ['support', 'amd', ['jax'], null, null],
      ['support', 'intel', ['jax'], null, null],
      ['support', 'graphcore', ['jax'], null, null],
    ]);
  });

  it('announces nothing for a sentence that only names a framework', () => {
    const r = tag('We trained the model with PyTorch on eight GPUs.', rules);
    expect(ids(r)).toEqual(['pytorch']);
    expect(r.announcements).toEqual([]);
  });

  it('parses versions: TensorFlow 2.0, v2.3.1, the 1.13 release, Llama 3.1 405B', () => {
    expect(brief(tag('Google released TensorFlow 2.0 today.', rules))).toEqual([
      ['release', 'tensorflow-2.0', ['google'], '2.0', null],
    ]);
    expect(brief(tag('Keras v2.3.1 is out.', rules))).toEqual([
      ['release', 'keras-2.3.1', [], '2.3.1', null],
    ]);
    expect(brief(tag('Highlights of the 1.13 release of PyTorch, now available.', rules))).toEqual([
      ['release', 'pytorch', [], '1.13', null],
    ]);
    expect(brief(tag('Meta introduces Llama 3.1 405B, the largest open model.', rules))).toEqual([
      ['release', 'llama-3.1-405b', ['meta'], '3.1', null],
    ]);
  });

  it('reads stages and plans', () => {
    expect(brief(tag('Vertex AI is now generally available.', rules))).toEqual([
      ['release', 'vertex-ai', [], null, 'ga'],
    ]);
    expect(brief(tag('PyTorch will support Cloud TPUs later this year.', rules))).toEqual([
      ['roadmap', 'pytorch', ['cloud-tpu'], null, null],
    ]);
    expect(tag('TensorFlow does not support this GPU.', rules).announcements).toEqual([]);
  });

  it('finds partnerships, acquisitions, funding, deprecations, programs and research', () => {
    const cases: [string, unknown[]][] = [
      [
        'Microsoft and NVIDIA partner on AI supercomputing.',
        ['partnership', 'microsoft', ['nvidia'], null, null],
      ],
      ['Intel acquires Habana? No: AMD acquired Xilinx; NVIDIA acquires Mellanox.', ['acquisition']],
      ['Anthropic raises $4 billion led by Amazon.', ['funding', 'anthropic', [], null, null]],
      ['Theano is no longer maintained.', ['deprecation', 'theano', [], null, null]],
      ['Udacity and Facebook launch the PyTorch Scholarship Challenge.', ['program']],
      ['Google DeepMind published a paper on AlphaFold 3 in Nature.', ['research']],
    ];
    for (const [text, expected] of cases) {
      const got = brief(tag(text, rules));
      expect(got.length, text).toBeGreaterThan(0);
      expect(
        got.some((a) => expected.every((v, i) => JSON.stringify(a[i]) === JSON.stringify(v))),
        text,
      ).toBe(true);
    }
  });

  it('does not make a release of what another announcement in the sentence is about', () => {
    expect(brief(tag('NVIDIA announces the Tesla V100 at GTC 2017.', rules))).toEqual([
      ['release', 'nvidia-v100', ['nvidia'], null, null],
    ]);
    expect(
      tag('AWS announced PyTorch support in SageMaker.', rules).announcements.map((a) => a.type),
    ).toEqual(['support']);
  });

  it('does not read a list into comma-separated headlines, nor a version into a name', () => {
    const r = tag('Google Unveils Gemini 2.5, MCP Gains Momentum, Robots Fold Laundry', rules);
    expect(brief(r)).toEqual([['release', 'gemini-2.5', ['google'], '2.5', null]]);
    expect(brief(tag('Caffe2 is merged into PyTorch.', rules))).toEqual([
      ['deprecation', 'caffe2', ['pytorch'], null, null],
    ]);
    expect(brief(tag('Keras will become the high-level API of TensorFlow 2.0.', rules))[0]?.[0]).toBe(
      'roadmap',
    );
  });

  it('reads a title that is only a name and its version as a release', () => {
    expect(brief(tag('Weaviate 1.38 Release', rules))).toEqual([
      ['release', 'weaviate-1.38', [], '1.38', null],
    ]);
    expect(brief(tag('GPT-4', rules))).toEqual([['release', 'gpt-4', [], '4', null]]);
    expect(tag('We love PyTorch 2.0 a lot', rules).announcements).toEqual([]);
    expect(tag('Intro.\nClaude Opus 4.6\nMore text.', rules).announcements).toEqual([]);
  });

  it('does not release a known name that starts a longer unknown one: the longer one is released', () => {
    expect(brief(tag('Introducing Ollama Forge', rules))).toEqual([
      ['release', 'ollama-forge', [], null, null],
    ]);
    expect(brief(tag('Pinecone Lattice Is Now in Public Preview', rules))).toEqual([
      ['release', 'pinecone-lattice', [], null, 'preview'],
    ]);
    // Once the longer name is a known entity, the release is its own.
    expect(brief(tag('Introducing Grok Build', rules))).toEqual([['release', 'grok-build', [], null, null]]);
    expect(brief(tag('Introducing Grok 4.6', rules))).toEqual([['release', 'grok-4.6', [], '4.6', null]]);
    // A model family's capitalised word names a variant of the family, not another thing.
    expect(brief(tag('Introducing Gemma Nano', rules))).toEqual([['release', 'gemma-nano', [], null, null]]);
  });

  it('reads "brings X to Y" and "X is now live in Y" as support by Y', () => {
    expect(
      brief(tag('Ollama partners with IBM to bring Granite 3.0 models to Ollama.', rules)),
    ).toContainEqual(['support', 'ollama', ['granite-3.0'], null, null]);
    expect(brief(tag('GPT-5.2 is now live in Windsurf!', rules))).toEqual([
      ['support', 'windsurf', ['gpt-5.2'], null, null],
    ]);
  });

  it('keeps single-party partnerships to a party next to the trigger', () => {
    expect(brief(tag('Joining forces with AWS on a new program.', rules))).toContainEqual([
      'partnership',
      'aws',
      [],
      null,
      null,
    ]);
    expect(
      tag('Cohere launched a new initiative to help partners.', rules).announcements.map((a) => a.type),
    ).not.toContain('partnership');
  });

  it('does not read a trigger inside a hyphenated word', () => {
    expect(tag('Investigating a Pre-Release o3 Model', rules).announcements.map((a) => a.type)).not.toContain(
      'release',
    );
  });

  it('records the rule set version and lists every announced entity', () => {
    const r = tag('Facebook released PyTorch 1.0 beta.', rules);
    expect(r.ruleSet).toBe(rules.version);
    for (const a of r.announcements) {
      for (const id of [a.subject, ...a.objects]) expect(ids(r)).toContain(id);
    }
  });

  it('orders announcements by evidence start', () => {
    const r = tag('Keras 3 is out. Then AMD announced JAX support. Finally Theano is deprecated.', rules);
    const starts = r.announcements.map((a) => a.evidence.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(r.announcements.map((a) => a.type)).toEqual(['release', 'support', 'deprecation']);
  });
});

describe('tagHtml', () => {
  it('gives offsets into the HTML and visible text in spans', () => {
    const html =
      '<p>Facebook released <b>PyTorch</b>&nbsp;1.0 beta &amp; more.</p><p>Caf&eacute; uses JAX.</p>';
    const r = tagHtml(html, rules);
    const pytorch = r.entities.find((e) => e.id === 'pytorch-1.0')?.mentions[0];
    expect(pytorch?.text).toBe('PyTorch 1.0');
    expect(html.slice(pytorch?.start, pytorch?.end)).toBe('PyTorch</b>&nbsp;1.0');
    const a = r.announcements[0];
    expect(a?.evidence.text).toBe('Facebook released PyTorch 1.0 beta & more.');
    expect(html.slice(a?.evidence.start, a?.evidence.end)).toBe(
      'Facebook released <b>PyTorch</b>&nbsp;1.0 beta &amp; more.',
    );
  });
});

describe('custom rule sets', () => {
  it('tags with a small rule file of its own', () => {
    const rs = compileRules(
      `entities:
  - {id: acme, name: Acme Corp, kind: vendor, aliases: [Acme]}
  - {id: widget, name: Widget, kind: product, parent: acme}
announcements:
  - {name: ships, type: release, triggers: [ships], subject: [product], objects: [vendor]}
`,
      'custom.yaml',
    );
    const r = tag('Acme ships Widget 2.0.', rs);
    expect(brief(r)).toEqual([['release', 'widget-2.0', ['acme'], '2.0', null]]);
    expect(r.announcements[0]?.rule).toBe('ships');
  });
});

describe('long texts', () => {
  it('confirms thousands of ambiguous names in a text without line breaks, each by its own sentence', () => {
    // Each check around an ambiguous name looks at its own sentences only, so this stays linear.
    const text = 'Move the cursor here. Cursor now supports GPT-5 for coding. '.repeat(20_000);
    const r = tag(text, rules);
    const cursor = r.entities.find((e) => e.id === 'cursor');
    expect(cursor?.mentions.length).toBe(20_000);
    expect(r.entities.find((e) => e.id === 'gpt-5')?.mentions.length).toBe(20_000);
    expect(brief(r)).toEqual([['support', 'cursor', ['gpt-5'], null, null]]);
  });

  it('handles a text with no sentence end and thousands of ambiguous names', () => {
    const text = 'the cursor and a sonnet and Sonnet and Cursor moved '.repeat(8_000);
    const r = tag(text, rules);
    for (const e of r.entities) for (const m of e.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(r.announcements).toEqual([]);
  });
});
