import { createHash } from 'node:crypto';
import type { ExtractResult } from '@frameline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRules, ruleSetVersion, taggerCodeVersion } from './compile.js';
import { tagDocument } from './document.js';
import { loadRuleSet } from './load-rules.js';
import type { RuleSet } from './rule-set.js';
import { tag } from './tag.js';

// Names and announcements nobody listed: versioned families, repository ids, organisations by shape,
// release-note lines, and what is not news. Every sentence is written for this test.

let rules: RuleSet;
beforeAll(() => {
  rules = loadRuleSet();
});

const entities = (r: ExtractResult) => r.entities.map((e) => [e.id, e.name, e.parent ?? null]);
const brief = (r: ExtractResult) =>
  r.announcements.map((a) => [a.type, a.subject, [...a.objects].sort(), a.version]);
const says = (text: string) => brief(tag(text, rules));

describe('versions and variants of known families', () => {
  it('makes a variant entity with its family as parent and a normalised id', () => {
    const r = tag('Teams can try Claude Haiku 3.5, GPT-4.1 mini, Llama 3.3 70B and Mixtral 8x22B.', rules);
    expect(entities(r)).toEqual([
      ['claude-haiku-3.5', 'Claude Haiku 3.5', 'claude'],
      ['gpt-4.1-mini', 'GPT-4.1 mini', 'gpt'],
      ['llama-3.3-70b', 'Llama 3.3 70B', 'llama'],
      ['mixtral-8x22b', 'Mixtral 8x22B', 'mistral-models'],
    ]);
  });

  it('reads hyphenated versions, sizes and generations', () => {
    const ids = tag('Compare DeepSeek-V3.1, Phi-4-mini, Gemma 3 27B and Kimi K2\u20110905.', rules).entities;
    expect(ids.map((e) => e.id)).toEqual(['deepseek-v3.1', 'phi-4-mini', 'gemma-3-27b', 'kimi-k2-0905']);
  });

  it('gives software and events their versions and years', () => {
    const r = tag('PyTorch 2.4 now supports CUDA 12.4; see you at NeurIPS 2024.', rules);
    expect(entities(r)).toEqual([
      ['pytorch-2.4', 'PyTorch 2.4', 'pytorch'],
      ['cuda-12.4', 'CUDA 12.4', 'cuda'],
      ['neurips-2024', 'NeurIPS 2024', 'neurips'],
    ]);
    expect(says('PyTorch 2.4 now supports CUDA 12.4.')).toEqual([
      ['support', 'pytorch-2.4', ['cuda-12.4'], null],
    ]);
  });

  it('keeps the version of a variant release and its support on a platform', () => {
    expect(says('Google released Gemma 3 27B today.')).toEqual([['release', 'gemma-3-27b', ['google'], '3']]);
    expect(says('Llama 3.3 70B is now available in Amazon Bedrock.')).toEqual([
      ['support', 'aws-bedrock', ['llama-3.3-70b'], null],
    ]);
  });

  it('makes a known product, a capitalised word and a version one variant of the product', () => {
    const r = tag(
      'Windsurf Next 1.12 ships; install CUDA Toolkit 12.4 before the TensorFlow Team 2 years ago.',
      rules,
    );
    expect(entities(r)).toEqual([
      ['windsurf-next-1.12', 'Windsurf Next 1.12', 'windsurf'],
      ['cuda-toolkit-12.4', 'CUDA Toolkit 12.4', 'cuda'],
      ['tensorflow', 'TensorFlow', null],
    ]);
  });

  it('writes a software version without its "v", a model generation with it', () => {
    const r = tag('Upgrade from Keras v3.1.0 to Keras 3.2.0, then try Qwen V4 and DeepSeek-V3.', rules);
    expect(r.entities.map((e) => e.id)).toEqual(['keras-3.1.0', 'keras-3.2.0', 'qwen-v4', 'deepseek-v3']);
  });

  it('does not read a quantity, a year or an ordinary word as a variant', () => {
    expect(tag('PyTorch 2 years ago was smaller.', rules).entities.map((e) => e.id)).toEqual(['pytorch']);
    expect(tag('TensorFlow 2019 roadmap', rules).entities.map((e) => e.id)).toEqual(['tensorflow']);
    expect(tag('Llama models are everywhere.', rules).entities.map((e) => e.id)).toEqual(['llama']);
    // A version number elsewhere in the sentence is not a release of a family named without it.
    expect(says('We benchmarked Llama on 3 GPUs with 2.5 times the memory.')).toEqual([]);
  });
});

describe('repository ids and organisations by shape', () => {
  it('reads a Hugging Face repository id as a model, not a path or URL', () => {
    const r = tag(
      'Load google/gemma-3n-E4B-it or Qwen/Qwen3-1.7B; the code is in src/models/v2 and https://example.org/meta-llama/Llama-3-8B.',
      rules,
    );
    expect(entities(r)).toEqual([
      ['google-gemma-3n-e4b-it', 'google/gemma-3n-E4B-it', 'gemma'],
      ['qwen-qwen3-1.7b', 'Qwen/Qwen3-1.7B', 'qwen'],
    ]);
  });

  it('finds organisations named by their shape, not descriptions', () => {
    const r = tag(
      'Researchers at the Quillfield Institute and Brightwater Labs worked with our Research Labs.',
      rules,
    );
    expect(r.entities.map((e) => [e.id, e.kind])).toEqual([
      ['quillfield-institute', 'vendor'],
      ['brightwater-labs', 'vendor'],
    ]);
  });

  it('starts an organisation named by its shape after an owner in the possessive', () => {
    const r = tag("Rovers from Acme's Quillfield Robotics Laboratory now use Llama.", rules);
    expect(r.entities.map((e) => e.id)).toEqual(['quillfield-robotics-laboratory', 'llama']);
  });
});

describe('release notes', () => {
  it('makes the heading the subject of lines that name none', () => {
    const notes =
      'JAX 0.4.30 (June 18, 2024)\n\n* Added support for CUDA 12.4.\n* Python 3.9 support is dropped.\n' +
      '* Removed support for TensorFlow 2.10.\n* Fixed a bug in the tracer.\n';
    expect(says(notes)).toEqual([
      ['release', 'jax-0.4.30', [], '0.4.30'],
      ['support', 'jax-0.4.30', ['cuda-12.4'], null],
      ['deprecation', 'jax-0.4.30', ['tensorflow-2.10'], null],
    ]);
  });

  it('gives notes under a bare version to the software their publisher names, and to none without one', () => {
    const notes = 'Keras frontend fixes\nFrontend support: Caffe2 #101 , ONNX #102\nFaster TVM builds\n';
    const tagged = tagDocument('0.5', notes, rules, { publisher: () => 'apache tvm releases.atom' });
    expect(brief(tagged.text)).toEqual([
      ['support', 'tvm', ['caffe2'], null],
      ['support', 'tvm', ['onnx'], null],
    ]);
    // and the heading is that software's release of its version
    expect(brief(tagged.title)).toEqual([['release', 'tvm', [], '0.5']]);
    // without a publisher naming software, the name the notes write most is no subject (often a dependency)
    const alone = tagDocument('v0.5 (2019-02-01)', notes, rules);
    expect([...brief(alone.title), ...brief(alone.text)]).toEqual([]);
    expect(brief(tagDocument('0.5', notes, rules, { publisher: () => 'Our team blog' }).title)).toEqual([]);
  });

  it('takes the subject from the title when title and text are tagged apart', () => {
    const r = tagDocument(
      'PyTorch 2.4 release notes',
      '- Support for CUDA 12.4\n- CUDA 11.8 support has been removed',
      rules,
    );
    expect(brief(r.title)).toEqual([['release', 'pytorch-2.4', [], '2.4']]);
    expect(brief(r.text)).toEqual([
      ['support', 'pytorch-2.4', ['cuda-12.4'], null],
      ['deprecation', 'pytorch-2.4', ['cuda-11.8'], null],
    ]);
  });

  it('reads a version a change happens in as its time, not as what is deprecated', () => {
    const notes =
      '* The legacy_loader flag is deprecated in Keras v3.4.0 and will be removed in Keras 3.6.0.\n' +
      '* Removed support for TensorFlow 2.12.\n';
    expect(brief(tagDocument('Keras 3.5.0', notes, rules).text)).toEqual([
      ['deprecation', 'keras-3.5.0', ['tensorflow-2.12'], null],
    ]);
  });

  it('does not lend a subject to lines of an ordinary post', () => {
    expect(
      brief(tagDocument('What we learned this year', 'Added support for CUDA 12.4.', rules).text),
    ).toEqual([]);
  });
});

describe('clause structure', () => {
  it('reads the seed sentence: support by each product, a plan for Cloud TPU', () => {
    expect(
      says(
        'Google Cloud announced PyTorch support in Kubeflow and TensorBoard, and said it is working on PyTorch support for Cloud TPUs.',
      ),
    ).toEqual([
      ['support', 'kubeflow', ['pytorch'], null],
      ['support', 'tensorboard', ['pytorch'], null],
      ['roadmap', 'cloud-tpu', ['pytorch'], null],
    ]);
  });

  it('reads a model introduced on a platform as the platform’s support', () => {
    expect(says('Introducing Gemma 3 27B on GroqCloud')).toEqual([
      ['support', 'groqcloud', ['gemma-3-27b'], null],
    ]);
  });
});

describe('groups and their members', () => {
  it('gives the news to the members a group introduces, not to the name qualifying the group', () => {
    expect(
      says('This week we are releasing updates to PyTorch libraries including TorchVision and TorchText.'),
    ).toEqual([
      ['release', 'torchvision', [], null],
      ['release', 'torchtext', [], null],
    ]);
    // members nobody listed may come first (and are named by the list)
    expect(says('We shipped new JAX libraries such as Quasar, Optax and Flax.')).toEqual([
      ['release', 'quasar', [], null],
      ['release', 'optax', [], null],
      ['release', 'flax', [], null],
    ]);
    // no marker: the name is the subject
    expect(says('We are releasing PyTorch libraries for mobile.')).toEqual([
      ['release', 'pytorch', [], null],
    ]);
  });
});

describe('what is not news', () => {
  it('reads no name inside a dotted code identifier', () => {
    expect(
      tag('Added jax.numpy.unstack and torch.cuda.sync helpers.', rules).entities.map((e) => e.id),
    ).toEqual([]);
    // a name written as a name stays one
    expect(tag('NumPy and CUDA are supported.', rules).entities.map((e) => e.id)).toEqual(['numpy', 'cuda']);
  });

  it('reads release nouns that qualify other nouns, past starts, concepts and support as no release', () => {
    expect(says('Read the PyTorch 2.1 release notes for details.')).toEqual([]);
    expect(says('This is a minor release, mostly fixes for JAX users.')).toEqual([]);
    expect(says('It has been years since we first open sourced PyTorch.')).toEqual([]);
    expect(says('Theano introduced the concept of symbolic graphs.')).toEqual([]);
    expect(says('Today Kaggle is launching an integration with our hub.')).toEqual([]);
    expect(says('We used PyTorch to launch training jobs faster.')).toEqual([]);
    // an infinitive with a name or an article after it still releases
    expect(says('Meta plans to launch Llama 5 soon.')).toEqual([['roadmap', 'llama-5', ['meta'], '5']]);
  });

  it('reads a version a feature came in as its time, and joining a group of peers as no acquisition', () => {
    expect(says('The tracing API was introduced in PyTorch 1.4 and extended later.')).toEqual([]);
    expect(says('Oracle joins AWS, Azure and Google Cloud in offering JAX support.')).toEqual([
      ['support', 'aws', ['jax'], null],
      ['support', 'azure', ['jax'], null],
      ['support', 'google-cloud', ['jax'], null],
    ]);
    // one company joining another still is one
    expect(says('Oracle joins Hugging Face.')).toEqual([['acquisition', 'hugging-face', ['oracle'], null]]);
  });

  it('ignores citations and reference lists', () => {
    expect(says('[12] Doe, J. et al. Google releases Gemma 3 for research. 2025.')).toEqual([]);
    expect(says('As Smith et al. show, OpenAI released GPT-4 with strong results.')).toEqual([]);
  });

  it('reads "by the launch of X" as background', () => {
    expect(says('Interest was accelerated by the launch of ChatGPT.')).toEqual([]);
  });

  it('does not make research of a model discussed in passing', () => {
    // (A title alone is the text's own work; these are sentences of a longer text.)
    expect(says('Benchmarks matter. The paper evaluates Llama 3 on reasoning tasks.')).toEqual([]);
    expect(says('Benchmarks matter. We evaluate Llama 3 on reasoning tasks in a new paper.')).toEqual([
      ['research', 'llama-3', [], null],
    ]);
  });
});

describe('rule-set version', () => {
  it('covers the tagger code as well as the rules text', () => {
    const yaml = 'entities:\n  - {id: acme, name: Acme, kind: vendor}\n';
    expect(taggerCodeVersion()).toMatch(/^[0-9a-f]{12}$/);
    expect(compileRules(yaml, 'x.yaml').version).toBe(ruleSetVersion(yaml));
    // The same rules text under another code version is another rule set.
    const rulesOnly = createHash('sha256').update(yaml, 'utf8').digest('hex').slice(0, 12);
    expect(ruleSetVersion(yaml)).not.toBe(rulesOnly);
  });
});

describe('products named after their maker', () => {
  const owned = (text: string) =>
    tag(text, rules)
      .entities.filter((e) => e.parent !== undefined)
      .map((e) => [e.id, e.kind, e.parent]);

  it('makes a product of the capitalised words after a known organisation, the organisation its parent', () => {
    expect(owned('Customers can now deploy on the Dell Quantum Forge in their own data centres.')).toEqual([
      ['dell-quantum-forge', 'product', 'dell'],
    ]);
    expect(owned('We moved our training runs to Intel Nimbus X200 last month.')).toEqual([
      ['intel-nimbus-x200', 'product', 'intel'],
    ]);
    // the last word gives the kind, as it does for new names
    expect(owned('She presented the work at the NVIDIA Blue Summit, a yearly meeting.')).toEqual([
      ['nvidia-blue-summit', 'event', 'nvidia'],
    ]);
  });

  it('gives the announcement to the product, not to its maker', () => {
    expect(says('The Dell Quantum Forge now supports PyTorch.')).toEqual([
      ['support', 'dell-quantum-forge', ['pytorch'], null],
    ]);
  });

  it('finds nothing in a title-case headline, before a common noun or a trigger, or past a small word', () => {
    expect(owned('Dell Tightens Ties With Chip Makers Across Europe')).toEqual([]);
    expect(owned('The Dell Team thanks everyone who came.')).toEqual([]);
    expect(owned('Our NVIDIA GPUs were busy all week.')).toEqual([]);
    expect(owned('Last week Dell Partners with a bank were told of the change.')).toEqual([]);
    expect(owned('They benchmarked the Intel Extension for Rocket Science toolkit.')).toEqual([]);
    // a known name after the maker's is that name ("NVIDIA PyTorch" is PyTorch)
    expect(tag('Teams run NVIDIA PyTorch containers today.', rules).entities.map((e) => e.id)).toEqual([
      'nvidia',
      'pytorch',
    ]);
  });
});

describe('support in the passive', () => {
  it('gives support to the platform a provider is now supported on', () => {
    expect(says('Cohere is now a supported inference provider on the Hugging Face Hub.')).toEqual([
      ['support', 'hugging-face-hub', ['cohere'], null],
    ]);
  });
});

describe('support of what organisations make', () => {
  it('reads organisations after a maker word as makers, not as what is supported', () => {
    expect(says('Groq supports open models from Mistral AI, Meta and Cohere.')).toEqual([]);
    expect(says('Weaviate adds support for Cohere and OpenAI.')).toEqual([
      ['support', 'weaviate', ['cohere'], null],
      ['support', 'weaviate', ['openai'], null],
    ]);
  });
});

describe('parties of a partnership nobody listed', () => {
  it('makes the capitalised name beside a known one an organisation, headlines included', () => {
    expect(says('Hugging Face and Quillstone partner to speed up deployment.')).toEqual([
      ['partnership', 'hugging-face', ['quillstone'], null],
      ['partnership', 'quillstone', ['hugging-face'], null],
    ]);
    expect(says('Brightwater Labs and NVIDIA Partner to Build Robots')).toEqual([
      ['partnership', 'brightwater-labs', ['nvidia'], null],
      ['partnership', 'nvidia', ['brightwater-labs'], null],
    ]);
    expect(says('Meta partners with Quillstone on new tools.')).toEqual([
      ['partnership', 'meta', ['quillstone'], null],
      ['partnership', 'quillstone', ['meta'], null],
    ]);
  });

  it('counts an open-source project as a party, and joint development as a partnership', () => {
    expect(says('Quillstone and PyTorch partner to build privacy tools.')).toEqual([
      ['partnership', 'quillstone', ['pytorch'], null],
      ['partnership', 'pytorch', ['quillstone'], null],
    ]);
    expect(says('The new server was jointly developed by Meta and AWS engineers.')).toEqual([
      ['partnership', 'meta', ['aws'], null],
      ['partnership', 'aws', ['meta'], null],
    ]);
  });

  it('takes the party named right after the trigger as the subject of a partnership with no name before it', () => {
    expect(says('Partnering with Mozilla to harden Firefox against attacks')).toEqual([
      ['partnership', 'mozilla', [], null],
    ]);
    // a party named before the trigger stays the subject
    expect(says('Anthropic is partnering with Mozilla to harden Firefox.')).toEqual([
      ['partnership', 'anthropic', ['mozilla'], null],
      ['partnership', 'mozilla', ['anthropic'], null],
    ]);
  });

  it('makes no party of a word that is never a name, nor without a partnership word', () => {
    expect(tag('Hugging Face and Quillstone released a model.', rules).entities.map((e) => e.id)).toEqual([
      'hugging-face',
    ]);
    expect(tag('Today NVIDIA and Our partner met.', rules).entities.map((e) => e.id)).toEqual(['nvidia']);
  });
});

describe('names listed beside known ones', () => {
  const found = (text: string) =>
    tag(text, rules)
      .entities.filter((e) => !rules.tables.entityIndex.has(e.id))
      .map((e) => [e.id, e.kind]);

  it('gives an unlisted member of a list of known names their kind', () => {
    expect(found('The release covers Quillstone, TorchVision, TorchText and TorchAudio this week.')).toEqual([
      ['quillstone', 'library'],
    ]);
    // with one known member, only a name written as only names are
    expect(found('It runs on PyTorch and QuillStoneRT for inference.')).toEqual([
      ['quillstonert', 'framework'],
    ]);
    expect(found('It runs on PyTorch and Windows laptops for inference.')).toEqual([]);
  });

  it('takes nothing from commas alone, title-case lines or words that are never names', () => {
    expect(found('We thank Quillstone, TorchVision, TorchText, TorchAudio.')).toEqual([]);
    expect(found('Quillstone, TorchVision And TorchText Power New Robots')).toEqual([]);
    expect(found('Today, TorchVision and TorchText ship, and We were glad.')).toEqual([]);
  });
});

describe('names a text defines', () => {
  const found = (text: string) =>
    tag(text, rules)
      .entities.filter((e) => !rules.tables.entityIndex.has(e.id))
      .map((e) => [e.id, e.kind, e.mentions.length]);

  it('reads "the X library" and "X, a ... framework", and every other place the name is written', () => {
    expect(found('We built the demo on the Quillstone library. Quillstone is small.')).toEqual([
      ['quillstone', 'library', 2],
    ]);
    expect(found('Meet Brightwater, a deep learning framework for robots.')).toEqual([
      ['brightwater', 'framework', 1],
    ]);
    expect(found('They met at the Harbor Compute Summit, which opened yesterday.')).toEqual([
      ['harbor-compute-summit', 'event', 1],
    ]);
  });

  it('defines nothing from a known name, an acronym, a language, a common word or a title-case line', () => {
    expect(found('We use the PyTorch library and the NLP toolkit with the Python package.')).toEqual([]);
    expect(found('The Data platform stores data for everyone.')).toEqual([]);
    expect(found('How The Quillstone Library Changed Everything For Robots')).toEqual([]);
  });
});

describe('versions written around a name', () => {
  it('reads a case-sensitive name written as its package, in lowercase before a dotted version', () => {
    expect(tag('Released with jax 0.4.35 (October 2024).', rules).entities.map((e) => e.id)).toEqual([
      'jax-0.4.35',
    ]);
    // not the plain word, nor a name without a dotted version after it
    expect(tag('A jax of 3 jars; the jax 2 is not a version.', rules).entities).toEqual([]);
  });

  it('reads a capitalised word nobody listed as a variant when a version follows it', () => {
    expect(says('Today Meta releases Llama Sentinel 4, a small model, and two new Llama models.')).toEqual([
      ['release', 'llama-sentinel-4', ['meta'], '4'],
    ]);
    // without a version, or before a quantity, the word is not part of the name
    const ids = (t: string) => tag(t, rules).entities.map((e) => e.id);
    expect(ids('The Llama Team met 3 times.')).toEqual(['llama']);
    expect(ids('We ran Llama Sentinel 3 times.')).toEqual(['llama']);
  });

  it('reads the transformers library written as its package, only in its context', () => {
    const ids = (t: string) => tag(t, rules).entities.map((e) => e.id);
    expect(ids('We load the model with the transformers library.')).toEqual(['hugging-face-transformers']);
    expect(ids('Deep transformers beat convolutions on large images.')).toEqual([]);
  });

  it('reads a version after a trademark sign', () => {
    expect(says('Today we released PyTorch\u00ae 2.0 to everyone.')).toEqual([
      ['release', 'pytorch-2.0', [], '2.0'],
    ]);
  });

  it('gives a release of a family with a version to that version when the text names it', () => {
    expect(
      says('PyTorch 1.3 is here. Thanks to our partners, the 1.3 release of PyTorch ships new tools.'),
    ).toEqual([['release', 'pytorch-1.3', [], '1.3']]);
  });
});
