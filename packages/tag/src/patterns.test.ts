import type { ExtractResult } from '@frameline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSet } from './compile.js';
import type { RuleSet } from './rule-set.js';
import { tag } from './tag.js';

// General patterns of the default rule set, each with sentences written for this test (not corpus text).

let rules: RuleSet;
beforeAll(() => {
  rules = loadRuleSet();
});

const ids = (text: string) => tag(text, rules).entities.map((e) => e.id);
const brief = (r: ExtractResult) =>
  r.announcements.map((a) => [a.type, a.subject, [...a.objects].sort(), a.version]);
const says = (text: string) => brief(tag(text, rules));

describe('entities of the wider ecosystem', () => {
  it('knows databases, operating systems, registries and tools by their usual names', () => {
    expect(ids('We keep embeddings in Postgres and MongoDB on Linux servers.')).toEqual([
      'postgresql',
      'mongodb',
      'linux',
    ]);
    expect(ids('The wheel is on PyPI; install it with Homebrew on macOS.')).toEqual([
      'pypi',
      'homebrew',
      'macos',
    ]);
    expect(ids('JetBrains ships a Terraform plugin for IntelliJ.')).toEqual([
      'jetbrains',
      'terraform',
      'intellij-idea',
    ]);
  });

  it('needs context for names that are ordinary words', () => {
    expect(ids('Expanding Context Windows for Long Documents')).toEqual([]);
    expect(ids('The desktop app runs on Windows and macOS.')).toEqual(['windows', 'macos']);
    expect(ids('Kafka wrote about a man who wakes up as an insect.')).toEqual([]);
    expect(ids('Each service publishes events to Kafka topics.')).toEqual(['apache-kafka']);
    expect(ids('Parse the response before you store it.')).toEqual([]);
  });

  it('extends a mention over an overlapping longer name of the same entity', () => {
    const r = tag('The NVIDIA DGX Spark arrived on my desk.', rules);
    expect(r.entities.map((e) => [e.id, e.mentions.map((m) => m.text)])).toEqual([
      ['dgx', ['NVIDIA DGX Spark']],
    ]);
  });

  it('drops a name nested in an unknown event or programme name', () => {
    expect(ids('Sign up for the Kaggle Hackathon next month.')).toEqual([]);
    expect(ids('Kaggle hosts a hackathon next month.')).toEqual(['kaggle']);
  });

  it('keeps a word hyphenated onto a model version inside the model name', () => {
    expect(ids('GPT-5.2-Codex is now available in Windsurf.')).toEqual(['gpt', 'windsurf']);
  });
});

describe('announcement patterns', () => {
  it('reads a dated API version written with its "v"', () => {
    expect(says('Google ships v202410 of the Google Ads API.')).toEqual([
      ['release', 'google-ads-api', ['google'], '202410'],
    ]);
    expect(says('Google Ads API v202401 will be sunset in March.')).toEqual([
      ['deprecation', 'google-ads-api', [], '202401'],
    ]);
  });

  it('makes a stage change a release even where the same words make a platform support', () => {
    expect(says('Weaviate Cloud is now generally available on Azure.')).toEqual([
      ['support', 'azure', ['weaviate-cloud'], null],
      ['release', 'weaviate-cloud', [], null],
    ]);
    expect(says('Llama 4 Scout lands in beta on GroqCloud.')).toContainEqual([
      'support',
      'groqcloud',
      ['llama'],
      null,
    ]);
  });

  it('does not release what is only available in an unknown place', () => {
    expect(says('Gemma 3 is now available in Playground Mode.')).toEqual([]);
    expect(says('Gemma 3 is now available.')).toEqual([['release', 'gemma', [], '3']]);
  });

  it('reads "X now offers / integrates ..." as a feature release of X', () => {
    expect(says('ChatGPT now remembers your earlier projects.')).toEqual([['release', 'chatgpt', [], null]]);
    expect(says('Le Chat now integrates with Jira through MCP.')).toEqual([
      ['support', 'le-chat', ['model-context-protocol'], null],
      ['release', 'le-chat', [], null],
    ]);
  });

  it('lets a product that announces support still be released in the same sentence', () => {
    expect(says('Google announces Genkit with Ollama support.')).toEqual(
      expect.arrayContaining([['release', 'genkit', ['google'], null]]),
    );
    // What is supported is still not released.
    expect(says('AWS announced PyTorch support in SageMaker.').map((a) => a[0])).toEqual(['support']);
  });

  it('treats "rolled out support in" as support, not a release', () => {
    expect(says('Google rolled out support in Firebase Genkit this week.')).toEqual([
      ['support', 'google', ['genkit'], null],
    ]);
  });

  it('reads porting onto a platform as support by the one who ports', () => {
    expect(says('Replit ported its agent to Cloud TPUs last quarter.')).toEqual([
      ['support', 'replit', ['cloud-tpu'], null],
    ]);
  });

  it('reads "this release" as a noun whose subject came before, not a release of what follows', () => {
    expect(says('This release brings faster builds for Kubernetes users.')).toEqual([]);
    expect(says('The release of PyTorch 2.0 is here.')).toEqual([['release', 'pytorch', [], '2.0']]);
  });

  it('reads providers, plugins, connectors and extensions as support', () => {
    expect(says('Announcing the Weaviate Cloud Terraform Provider')).toEqual([
      ['support', 'weaviate-cloud', ['terraform'], null],
      ['release', 'weaviate-cloud', [], null],
    ]);
  });

  it('releases a product feature named by a run of capitalised words, not a new name', () => {
    expect(says('Pinecone Serverless Backup Vaults are now generally available')).toEqual([
      ['release', 'pinecone', [], null],
    ]);
    expect(says('Pinecone Lattice is now generally available')).toEqual([]);
    expect(says('Announcing the Pinecone Rust Client')).toEqual([]);
  });

  it('does not release a name that only qualifies another word', () => {
    expect(says('A PyTorch-based toolkit launches today.')).toEqual([]);
    expect(says('A Llama-powered tutor launches today.')).toEqual([]);
  });

  it('reads a versioned name opening a title with its tagline as a release', () => {
    expect(says('Gemma 4: small models that reason')).toEqual([['release', 'gemma', [], '4']]);
  });

  it('finds both parties of "X’s Y deal"', () => {
    expect(says('Oracle’s NVIDIA Deal Grows')).toEqual(
      expect.arrayContaining([
        ['partnership', 'oracle', ['nvidia'], null],
        ['partnership', 'nvidia', ['oracle'], null],
      ]),
    );
  });

  it('takes a named partner listed after an unknown one', () => {
    expect(says('A new partnership with Acme Robotics and Cohere')).toEqual([
      ['partnership', 'cohere', [], null],
    ]);
  });

  it('reads a capitalised trigger word after a lowercase word as part of a name', () => {
    expect(says('Ollama raised $20M from Benchmark and others.')).toEqual([['funding', 'ollama', [], null]]);
    expect(says('Ollama publishes a new benchmark of local models.')).toEqual([
      ['research', 'ollama', [], null],
    ]);
  });

  it('reads a stated intention as a roadmap', () => {
    expect(says('Cohere states its intention to open an office in Tokyo.')).toEqual([
      ['roadmap', 'cohere', [], null],
    ]);
  });

  it('reads evaluations of a model as research by the evaluator', () => {
    expect(says('The AI Security Institute ran evaluations of Claude Opus 5.')).toEqual([
      ['research', 'ai-security-institute', ['claude'], null],
    ]);
  });

  it('merges a release stated twice in one text into one announcement', () => {
    const r = tag('Gemma 3 is out. Google released Gemma 3 with open weights.', rules);
    expect(brief(r)).toEqual([['release', 'gemma', ['google'], '3']]);
  });
});
