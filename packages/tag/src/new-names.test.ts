import type { ExtractResult } from '@frameline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRules } from './compile.js';
import { loadRuleSet } from './load-rules.js';
import { idOfName } from './new-names.js';
import type { RuleSet } from './rule-set.js';
import { tag } from './tag.js';

// A small rule set of its own, so the cases do not depend on what the bundled file happens to list.
const RULES = `
new_name_openers: [introducing, introduces, announcing, "we're launching", launches]
new_name_followers: ["is now available", "is here"]
not_new_names: [New, Our, The, Winners, AI]
new_name_feature_words: [Caching, Mode, Support]
new_name_program_words: [Program, Fellowship]
new_name_event_words: [Summit]
new_name_vendor_words: [Institute]
new_name_library_words: [Client, SDK]
not_new_name_parts: [bench, dataset]
entities:
  - id: acme
    name: Acme
    kind: vendor
  - id: acmecloud
    name: AcmeCloud
    kind: product
    parent: acme
  - id: zeta
    name: Zeta
    kind: model
  - id: tideflow
    name: Tideflow
    kind: library
  - id: north
    name: North
    kind: product
    ambiguous: [North]
    context: [agents]
announcements:
  - name: release-verb
    type: release
    triggers: [introducing, announcing, launching, launches, released]
    subject: [framework, library, product, model]
    objects: [vendor]
  - name: release-available
    type: release
    triggers: [is now available, is here]
    subject: [framework, library, product, model]
    subject_side: before
    objects: [vendor]
  - name: program-launch
    type: program
    triggers: [introducing, announcing]
    subject: [program]
    objects: [vendor]
`;

let rules: RuleSet;
beforeAll(() => {
  rules = compileRules(RULES, 'new-names.yaml');
});

const ids = (r: ExtractResult) => r.entities.map((e) => e.id);
const brief = (r: ExtractResult) => r.announcements.map((a) => [a.type, a.subject, a.objects, a.version]);

describe('new names introduced by a release', () => {
  it('makes an entity of a capitalised name after an opener, and its version a variant of it', () => {
    const text = 'Introducing Quasar Vault 2.1: private inference for everyone';
    const r = tag(text, rules);
    expect(r.entities).toEqual([
      {
        id: 'quasar-vault-2.1',
        name: 'Quasar Vault 2.1',
        kind: 'product',
        parent: 'quasar-vault',
        mentions: [{ start: 12, end: 28, text: 'Quasar Vault 2.1' }],
      },
    ]);
    expect(brief(r)).toEqual([['release', 'quasar-vault-2.1', [], '2.1']]);
  });

  it('finds a name that opens its line before a follower, and every later occurrence of it', () => {
    const text = 'Quasar Vault is now available to all teams.\nQuasar Vault keeps data in your region.';
    const r = tag(text, rules);
    expect(ids(r)).toEqual(['quasar-vault']);
    expect(r.entities[0]?.mentions.map((m) => m.start)).toEqual([0, 44]);
    expect(brief(r)).toEqual([['release', 'quasar-vault', [], null]]);
  });

  it('finds a name opening a sentence inside a paragraph before a follower', () => {
    expect(
      brief(tag('We shipped a lot this month. Quasar Vault is now available to all teams.', rules)),
    ).toEqual([['release', 'quasar-vault', [], null]]);
  });

  it('keeps to one pass over a long text that introduces a name thousands of times', () => {
    // A hostile page: every step must stay linear (each name looked up once, line ends found once).
    const text = 'Introducing Quasar Vault, built for teams. Orbit Desk is here! '.repeat(20_000);
    const r = tag(text, rules);
    expect(r.entities.map((e) => [e.id, e.mentions.length])).toEqual([
      ['quasar-vault', 20_000],
      ['orbit-desk', 20_000],
    ]);
    expect(brief(r)).toEqual([
      ['release', 'quasar-vault', [], null],
      ['release', 'orbit-desk', [], null],
    ]);
  });

  it('reads a sentence: "we\'re launching" in a body, a vendor launching a product', () => {
    expect(brief(tag("Today we're launching Orbit Desk for support teams.", rules))).toEqual([
      ['release', 'orbit-desk', [], null],
    ]);
    const r = tag('Acme launches Beacon, an agent for data teams.', rules);
    expect(ids(r)).toEqual(['acme', 'beacon']);
    expect(brief(r)).toEqual([['release', 'beacon', ['acme'], null]]);
  });

  it('gives programmes, events and organisations their kind by the last word', () => {
    const p = tag('Introducing the Acme Frontier Fellowship', rules);
    expect(p.entities.map((e) => [e.id, e.kind])).toEqual([['acme-frontier-fellowship', 'program']]);
    expect(brief(p)).toEqual([['program', 'acme-frontier-fellowship', [], null]]);
    expect(tag('Announcing the Harbor Summit', rules).entities.map((e) => e.kind)).toEqual(['event']);
    expect(tag('Introducing The Acme Institute', rules).entities.map((e) => [e.id, e.kind])).toEqual([
      ['acme-institute', 'vendor'],
    ]);
  });

  it('extends a known product or library by one word, a vendor by its product, never a model family', () => {
    expect(ids(tag('Introducing Tideflow Pipes', rules))).toEqual(['tideflow-pipes']);
    // A run of words after a product's name is a feature of it: its release is the product's.
    expect(ids(tag('Introducing AcmeCloud Dedicated Read Nodes', rules))).toEqual(['acmecloud']);
    expect(ids(tag('Introducing Acme Pages', rules))).toEqual(['acme-pages']);
    expect(ids(tag('Introducing Zeta Nova', rules))).toEqual(['zeta']);
    // A client library in a language is a library of its own.
    expect(tag('Announcing the Tideflow C# Client', rules).entities.map((e) => [e.id, e.kind])).toEqual([
      ['tideflow-csharp-client', 'library'],
    ]);
  });

  it('confirms an ambiguous known name that a release introduces', () => {
    expect(ids(tag('Looking north, we saw the hills. North is cold.', rules))).toEqual([]);
    expect(brief(tag('Introducing North: the next era of work', rules))).toEqual([
      ['release', 'north', [], null],
    ]);
  });

  it('makes nothing of generic words, features, research outputs, people or longer names', () => {
    const none = [
      'Announcing the Winners of our hackathon',
      'Introducing New Ways to Work',
      'Introducing Prompt Caching',
      'Introducing Prompt Caching in Beta on AcmeCloud',
      'Introducing GeoBench-Pro',
      'Introducing Nymeria, a dataset for human motion prediction',
      'Introducing Nymeria, a large egocentric dataset',
      'This release introduces Fresh Index for faster queries',
      'Introducing the Security and Public Sector Council',
      'Introducing UK',
      'introducing quasar vault',
      'Since May we announced our Harbor City office.',
    ];
    for (const text of none)
      expect(ids(tag(text, rules)), text).toEqual(text.includes('AcmeCloud') ? ['acmecloud'] : []);
  });

  it('keeps offsets exact with typographic apostrophes and non-breaking spaces', () => {
    const text = 'We\u2019re pleased. Introducing\u00a0Quasar\u00a0Vault\u2019s first release.';
    const r = tag(text, rules);
    for (const e of r.entities) for (const m of e.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(r.entities[0]?.mentions[0]?.text).toBe('Quasar\u00a0Vault');
    expect(r.entities[0]?.name).toBe('Quasar Vault');
  });

  it('derives ids as lowercase words joined by hyphens', () => {
    expect(idOfName('Dagster+ UI')).toBe('dagster-plus-ui');
    expect(idOfName('Café Überblick 2')).toBe('cafe-uberblick-2');
    expect(idOfName('SWE-1.5')).toBe('swe-1-5');
    expect(idOfName('Weaviate C# Client')).toBe('weaviate-csharp-client');
    expect(idOfName('Acme C++ SDK')).toBe('acme-cpp-sdk');
  });
});

describe('new names with the bundled rules', () => {
  it('finds a product nobody listed, and leaves a known one alone', () => {
    const bundled = loadRuleSet();
    const r = tag('Introducing Quillmark Studio: notebooks for agents', bundled);
    expect(brief(r)).toEqual([['release', 'quillmark-studio', [], null]]);
    expect(ids(tag('Introducing PyTorch 2.5', bundled))).toEqual(['pytorch-2.5']);
  });
});
