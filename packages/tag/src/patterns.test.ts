import type { ExtractResult } from '@frameline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSet } from './load-rules.js';
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

  it('knows labs, protocols, evaluation tools and coding agents of recent AI news', () => {
    expect(ids('Black Forest Labs and ElevenLabs join Sakana AI and Aleph Alpha.')).toEqual([
      'black-forest-labs',
      'elevenlabs',
      'sakana-ai',
      'aleph-alpha',
    ]);
    expect(ids('Google adds A2A support; evaluate agents with Inspect AI and lm-eval.')).toEqual([
      'google',
      'a2a-protocol',
      'inspect-ai',
      'lm-evaluation-harness',
    ]);
    expect(ids("Jules, Google's coding agent, now opens pull requests.")).toEqual(['google-jules', 'google']);
    expect(ids('Jules Verne wrote novels; the modal dialog closes.')).toEqual([]);
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
    expect(ids('GPT-5.2-Codex is now available in Windsurf.')).toEqual(['gpt-5.2-codex', 'windsurf']);
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
      ['llama-4-scout'],
      null,
    ]);
  });

  it('does not release what is only available in an unknown place', () => {
    expect(says('Gemma 3 is now available in Playground Mode.')).toEqual([]);
    expect(says('Gemma 3 is now available.')).toEqual([['release', 'gemma-3', [], '3']]);
  });

  it('reads "X now offers / integrates ..." as a feature release of X', () => {
    expect(says('ChatGPT now remembers your earlier projects.')).toEqual([['release', 'chatgpt', [], null]]);
    expect(says('Le Chat now integrates with Jira through MCP.')).toEqual([
      // (not a list: one piece of news; "Keras, MXNet and ONNX" would be three)
      ['support', 'le-chat', ['jira', 'model-context-protocol'], null],
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
    expect(says('The release of PyTorch 2.0 is here.')).toEqual([['release', 'pytorch-2.0', [], '2.0']]);
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
    // One more capitalised word names a new thing, released under its own name (see new-names.ts).
    expect(says('Pinecone Lattice is now generally available')).toEqual([
      ['release', 'pinecone-lattice', [], null],
    ]);
    // A client library in a language is a library of its own, released under its own name.
    expect(says('Announcing the Pinecone Rust Client')).toEqual([
      ['release', 'pinecone-rust-client', [], null],
    ]);
  });

  it('does not release a name that only qualifies another word', () => {
    expect(says('A PyTorch-based toolkit launches today.')).toEqual([]);
    expect(says('A Llama-powered tutor launches today.')).toEqual([]);
  });

  it('reads a versioned name opening a title with its tagline as a release', () => {
    expect(says('Gemma 4: small models that reason')).toEqual([['release', 'gemma-4', [], '4']]);
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
      ['research', 'ai-security-institute', ['claude-opus-5'], null],
    ]);
  });

  it('merges a release stated twice in one text into one announcement', () => {
    const r = tag('Gemma 3 is out. Google released Gemma 3 with open weights.', rules);
    expect(brief(r)).toEqual([['release', 'gemma-3', ['google'], '3']]);
  });
});

describe('platform support phrasings', () => {
  it('reads "Y now offers X" as support by the platform, not a release of it', () => {
    expect(says('Amazon Bedrock now offers Llama 3.')).toEqual([
      ['support', 'aws-bedrock', ['llama-3'], null],
    ]);
  });

  it('reads "X is accelerated by Y" as support by Y', () => {
    expect(says('Llama 3 is accelerated by Ollama on Apple silicon.')).toEqual([
      ['support', 'ollama', ['llama-3'], null],
    ]);
  });

  it('reads "Y brings X to its cloud" as support by the one who brings it', () => {
    expect(says('SAP brings Claude to its sovereign cloud.')).toEqual([['support', 'sap', ['claude'], null]]);
  });

  it('reads "X powers Y" as support by Y, but not "the power of"', () => {
    expect(says("Perplexity powers Samsung's new browser.")).toEqual([
      ['support', 'samsung', ['perplexity'], null],
    ]);
    expect(says('IBM and Meta combine the power of watsonx and Llama.')).toEqual([]);
  });

  it('reads "the X plugin for Y" as support by the host Y', () => {
    expect(says('The new PyTorch plugin for Visual Studio Code has shipped.')).toContainEqual([
      'support',
      'visual-studio-code',
      ['pytorch'],
      null,
    ]);
  });

  it("needs a supported thing besides the platform's own product", () => {
    expect(says('Acme x Google Cloud: Bringing FooNet to TPUs')).toEqual([]);
  });

  it('keeps support for different things in different sentences apart', () => {
    expect(says('Ollama supports Llama 3. Ollama also supports Gemma 2.')).toEqual([
      ['support', 'ollama', ['llama-3'], null],
      ['support', 'ollama', ['gemma-2'], null],
    ]);
  });
});

describe('more announcement phrasings', () => {
  it('reads removing support as a deprecation, not as support', () => {
    expect(says('Apple is removing support for TensorFlow in Core ML.')).toEqual([
      ['deprecation', 'tensorflow', ['apple', 'core-ml'], null],
    ]);
    expect(says('Google will no longer support TensorFlow Lite.')).toEqual([
      ['deprecation', 'tensorflow-lite', ['google'], null],
    ]);
  });

  it('reads teaming up as a partnership', () => {
    expect(says('Meta is teaming up with AWS.')).toEqual([
      ['partnership', 'meta', ['aws'], null],
      ['partnership', 'aws', ['meta'], null],
    ]);
  });

  it('reads first-person findings as research', () => {
    expect(says('We demonstrate that Llama 3 can plan multi-step tasks.')).toEqual([
      ['research', 'llama-3', [], null],
    ]);
  });

  it('reads a trigger that dates a thing in the past as background, not news', () => {
    for (const text of [
      'Llama, released last year, powers our app.',
      'Since its launch in 2023, Claude has grown quickly.',
      'We built this with GPT-4, which OpenAI released in March 2023.',
      'After the release of GPT-5, usage doubled.',
      'Built on Gemini 2.5, launched earlier this year, the app answers questions.',
      'PyTorch, open-sourced two years ago, is everywhere.',
    ]) {
      expect(says(text), text).toEqual([]);
    }
    expect(says('Meta releases Llama 4 today.')).toEqual([['release', 'llama-4', ['meta'], '4']]);
  });

  it('reads a list whose members carry their products in brackets, and every trigger of a sentence', () => {
    expect(
      says(
        'AWS (SageMaker), Microsoft (Azure, Azure ML, VS Code) and Google Cloud (TPUs) announced PyTorch support.',
      ),
    ).toEqual([
      ['support', 'aws', ['aws-sagemaker', 'pytorch'], null],
      ['support', 'microsoft', ['azure', 'azure-ml', 'pytorch', 'visual-studio-code'], null],
      ['support', 'google-cloud', ['cloud-tpu', 'pytorch'], null],
    ]);
    expect(says('Facebook released PyTorch 1.0 beta at the conference; fastai 1.0 shipped there.')).toEqual([
      ['release', 'pytorch-1.0', ['meta'], '1.0'],
      ['release', 'fastai-1.0', [], '1.0'],
    ]);
    expect(says('TensorFlow 2.0 planned eager execution.')).toEqual([
      ['roadmap', 'tensorflow-2.0', [], null],
    ]);
  });

  it('keeps a plan to its own clause, and "X support for Y" as support of X', () => {
    expect(
      says(
        'Google Cloud announced PyTorch support in Kubeflow and TensorBoard, and said it is working on PyTorch support for Cloud TPUs.',
      ),
    ).not.toContainEqual(['roadmap', 'kubeflow', ['cloud-tpu', 'google-cloud', 'pytorch'], null]);
    expect(says('Google Cloud announced PyTorch support in Vertex AI.')).toEqual([
      ['support', 'google-cloud', ['pytorch', 'vertex-ai'], null],
    ]);
    expect(says('NVIDIA support for PyTorch is here.')).toEqual([['support', 'nvidia', ['pytorch'], null]]);
    expect(
      says(
        'Arm, Nvidia, Qualcomm and Intel announced kernel integrations for PyTorch 1.0, and Microsoft announced PyTorch support in Azure Machine Learning.',
      ),
    ).toEqual([
      ['support', 'arm', ['pytorch-1.0'], null],
      ['support', 'nvidia', ['pytorch-1.0'], null],
      ['support', 'qualcomm', ['pytorch-1.0'], null],
      ['support', 'intel', ['pytorch-1.0'], null],
      ['support', 'microsoft', ['azure-ml', 'pytorch'], null],
    ]);
    // A list of predicates is one clause: "..., and accelerated by Ollama's engine" is still about the model.
    expect(says('Muse Glimmer is a model built for agents, and accelerated by Ollama.')).toContainEqual([
      'support',
      'ollama',
      ['muse'],
      null,
    ]);
    expect(says('TensorFlow support for Apple silicon arrives.')).toEqual([
      ['support', 'apple-silicon', ['tensorflow'], null],
    ]);
  });

  it('reads a model named right before "on"/"in" a platform as support by the platform', () => {
    expect(says('Gemma 3 on Ollama')).toEqual([['support', 'ollama', ['gemma-3'], null]]);
    expect(says('Start building with Gemini 2.5 in Vertex AI')).toEqual([
      ['support', 'vertex-ai', ['gemini-2.5'], null],
    ]);
    expect(says('GitHub Copilot gets GPT-5')).toEqual([['support', 'github-copilot', ['gpt-5'], null]]);
    // Not where a model was trained, nor a library "on" a cloud.
    expect(says('We trained Llama on 16,000 H100 GPUs at Meta.')).toEqual([]);
    expect(says('We run PyTorch on AWS every day.')).toEqual([]);
  });

  it('reads a model reaching a stage on another platform as support only, a product as both', () => {
    expect(says('Claude is now generally available in Xcode.')).toEqual([
      ['support', 'xcode', ['claude'], null],
    ]);
    expect(says('Codex is now in JetBrains.')).toEqual([['support', 'jetbrains', ['openai-codex'], null]]);
    expect(says('Ollama can now run Qwen3-VL locally.')).toEqual([['support', 'ollama', ['qwen3-vl'], null]]);
  });

  it('reads plans: "will make X available", "plan to open-source", "will drop support"', () => {
    expect(says('Deloitte will make Claude available to its staff.')).toEqual([
      ['roadmap', 'deloitte', ['claude'], null],
    ]);
    expect(says('We plan to open-source Grok 2.5 next month.')).toEqual([['roadmap', 'grok-2.5', [], '2.5']]);
    expect(says('PyTorch 2.0 will drop support for Python 3.7.')).toEqual([
      ['deprecation', 'pytorch-2.0', [], '2.0'],
    ]);
    expect(says('Cohere deepens partnership with the Government of Canada.')).toEqual([
      ['partnership', 'cohere', [], null],
    ]);
  });

  it('reads releasing results, a paper or a dataset as research, not as a release', () => {
    expect(
      says('We are releasing the initial results of the Windsurf Arena Mode leaderboard today.'),
    ).toEqual([]);
    expect(says('Meta releases a new dataset for Llama evaluation.')).not.toContainEqual([
      'release',
      'llama',
      ['meta'],
      null,
    ]);
    expect(says('Meta releases Llama 4 today.')).toEqual([['release', 'llama-4', ['meta'], '4']]);
  });

  it('reads "raise" as funding only with money or a round after it', () => {
    expect(says('Mistral AI raises €600M in a Series B.')).toEqual([['funding', 'mistral-ai', [], null]]);
    expect(says('Cohere raised a Series D led by two funds.')).toEqual([['funding', 'cohere', [], null]]);
    expect(
      says('A new analysis from OpenAI reveals flaws, raising concerns about coding benchmarks.'),
    ).not.toContainEqual(['funding', 'openai', [], null]);
  });

  it('reads "you can now use X in Y" and "X can now run in Y" as support by Y', () => {
    expect(says('You can now use Claude Opus 4.5 in Windsurf!')).toEqual([
      ['support', 'windsurf', ['claude-opus-4.5'], null],
    ]);
    expect(says('Codex can now run in JetBrains IDEs.')).toEqual([
      ['support', 'jetbrains', ['openai-codex'], null],
    ]);
  });

  it('takes an ambiguous name as the place something became available in', () => {
    expect(says('Gemini 3 Pro is now available in Cursor.')).toEqual([
      ['support', 'cursor', ['gemini-3-pro'], null],
    ]);
    expect(ids('Move the cursor to the left to select a model.')).toEqual([]);
  });

  it('reads "X now supports <a feature>" as a release of X, "X now supports Y" as support', () => {
    expect(says('Weaviate Cloud now supports role-based access control.')).toEqual([
      ['release', 'weaviate-cloud', [], null],
    ]);
    expect(says('Ollama now supports Qwen3.')).toEqual([['support', 'ollama', ['qwen3'], null]]);
  });

  it('reads accepting applications as a programme', () => {
    expect(says('Anthropic is accepting applications for its new fellows cohort.')).toEqual([
      ['program', 'anthropic', [], null],
    ]);
  });

  it('reads an invitation to a conference as an event', () => {
    expect(says('Meet us at NeurIPS 2024 in Vancouver.')).toEqual([['event', 'neurips-2024', [], null]]);
  });

  it('reads a plan for the coming weeks as a roadmap', () => {
    expect(says('OpenAI will roll out GPT-5 in the coming weeks.')).toEqual([
      ['roadmap', 'openai', ['gpt-5'], null],
    ]);
  });

  it('reads "X joins Y" between companies as an acquisition, not joining a body or forces', () => {
    expect(says('OpenAI joins SpaceX.')).toEqual([['acquisition', 'spacex', ['openai'], null]]);
    expect(says('AMD joins the PyTorch Foundation as a premier member.')).toEqual([]);
    expect(says('Hugging Face joins forces with AWS.')).toEqual([
      ['partnership', 'hugging-face', ['aws'], null],
      ['partnership', 'aws', ['hugging-face'], null],
    ]);
  });

  it('reads a capitalised "Partners" after a name as a programme name unless "with" follows', () => {
    expect(says('Weaviate recognized by AWS Partners in Benelux')).toEqual([]);
    expect(says('Cohere Partners With SAP')).toEqual([
      ['partnership', 'cohere', ['sap'], null],
      ['partnership', 'sap', ['cohere'], null],
    ]);
  });

  it('reads German "gibt X 10 frei" as a release only with a version', () => {
    expect(says('Red Hat gibt WildFly 10 frei')).toEqual([['release', 'wildfly-10', ['red-hat'], '10']]);
    expect(says('Es gibt WildFly auch als Container.')).toEqual([]);
  });

  it('reads an unnamed feature "in" a product after a release trigger as that product\'s release', () => {
    expect(
      says('Introducing Mistral Medium 3.5, coding agents in Vibe, plus a new mode in Le Chat.'),
    ).toEqual([
      ['release', 'mistral-medium-3.5', [], '3.5'],
      ['release', 'mistral-vibe', [], null],
      ['release', 'le-chat', [], null],
    ]);
    expect(says('OpenAI launches GPT-5 in ChatGPT.')).toEqual([['release', 'gpt-5', ['openai'], '5']]);
  });

  it('reads "X APIs power Y" as support by Y', () => {
    expect(says('Perplexity APIs power search on Samsung phones.')).toEqual([
      ['support', 'samsung', ['perplexity'], null],
    ]);
  });

  it('reads compatibility through a library as support of it', () => {
    expect(says('Ollama gains GGUF compatibility through llama.cpp.')).toEqual([
      ['support', 'ollama', ['llama-cpp'], null],
    ]);
  });
});

describe('ambiguous names acting in the news', () => {
  it('takes a capitalised ambiguous name right before a trigger, next to another entity', () => {
    expect(ids('Cursor is now a part of SpaceX')).toEqual(['cursor', 'spacex']);
    expect(says('Cursor is now a part of SpaceX')).toEqual([['acquisition', 'spacex', ['cursor'], null]]);
  });

  it('not the ordinary word, nor the tail of a longer name', () => {
    expect(ids('Move the cursor to the SpaceX logo.')).toEqual(['spacex']);
    expect(ids('NVIDIA Nemotron 3.5 Lightning is now available on Ollama.')).toEqual([
      'nemotron-3.5',
      'ollama',
    ]);
  });
});
