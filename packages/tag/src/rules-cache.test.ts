import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSpec, ruleSetVersion } from './compile.js';
import { loadRuleSet } from './load-rules.js';
import { readCachedSpec, writeCachedSpec } from './rules-cache.js';
import { tag } from './tag.js';

const RULES = `new_name_openers: [introducing]
entities:
  - id: acme
    name: Acme
    kind: vendor
  - id: rocket
    name: Rocket
    kind: product
    parent: acme
announcements:
  - name: release
    type: release
    triggers: [released, introducing]
    subject: [product]
`;
const MORE = `${RULES.replace('entities:\n', 'entities:\n  - id: zeta\n    name: Zeta\n    kind: model\n')}`;

// Texts that go through every pass: known names and their owners, versions, a new name, an organisation by
// its shape, a repository id, an ambiguous name and its context, announcements.
const TEXTS = [
  'Meta released Llama 3.3 70B on Hugging Face, and meta-llama/Llama-3.3-70B-Instruct is on the Hub.',
  'Introducing Model Vault: Google Cloud and NVIDIA partner on Gemma 3 support in Vertex AI.',
  'The Vector Institute announced a fellowship. PyTorch 2.5 is now available; JAX will support CUDA 12.',
  'Spark is fast. Apache Spark 3.5 adds Python support.',
];

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'frameline-home-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const entry = (version: string) => join(home, 'cache', `rules-${version}.json`);

function rulesFile(text: string): string {
  const file = join(home, 'rules.yaml');
  writeFileSync(file, text);
  return file;
}

describe('the parsed rules cache', () => {
  it('gives the same rule set as a fresh load, cold and warm', () => {
    const fresh = loadRuleSet();
    const cold = loadRuleSet(undefined, { home });
    expect(existsSync(entry(fresh.version))).toBe(true);
    const warm = loadRuleSet(undefined, { home });
    for (const rs of [cold, warm]) {
      expect(rs.version).toBe(fresh.version);
      expect(rs.source).toBe(fresh.source);
      expect(rs.entities).toEqual(fresh.entities);
      expect(rs.ruleNames).toEqual(fresh.ruleNames);
      for (const text of TEXTS) expect(tag(text, rs)).toEqual(tag(text, fresh));
    }
    expect(tag(TEXTS[0] as string, warm).announcements.length).toBeGreaterThan(0);
  });

  it('is what a warm load reads (its entry, by version)', () => {
    const file = rulesFile(RULES);
    const version = ruleSetVersion(RULES);
    // An entry for this version holding another spec is believed: the YAML was not read again.
    writeCachedSpec(home, version, readSpec([{ file, text: MORE }]).spec);
    expect(loadRuleSet(file, { home }).entities.map((e) => e.id)).toEqual(['zeta', 'acme', 'rocket']);
    expect(loadRuleSet(file).entities.map((e) => e.id)).toEqual(['acme', 'rocket']);
  });

  it('is not hit by a changed rules file', () => {
    const file = rulesFile(RULES);
    const before = loadRuleSet(file, { home });
    writeFileSync(file, MORE);
    const after = loadRuleSet(file, { home });
    expect(after.version).not.toBe(before.version);
    expect(after.entities.map((e) => e.id)).toEqual(['zeta', 'acme', 'rocket']);
    expect(readdirSync(join(home, 'cache')).sort()).toEqual(
      [`rules-${before.version}.json`, `rules-${after.version}.json`].sort(),
    );
  });

  it('ignores and rewrites an entry that is cut short, altered or unreadable', () => {
    const file = rulesFile(RULES);
    const fresh = loadRuleSet(file);
    const path = entry(fresh.version);
    loadRuleSet(file, { home });
    const intact = readFileSync(path, 'utf8');
    const altered = intact.replace('"Rocket"', '"Rockit"');
    expect(altered).not.toBe(intact);
    for (const bad of [intact.slice(0, intact.length / 2), altered, '', '\u0000garbage\n{}']) {
      writeFileSync(path, bad);
      expect(readCachedSpec(home, fresh.version)).toBeNull();
      const rs = loadRuleSet(file, { home });
      expect(rs.version).toBe(fresh.version);
      expect(tag('Acme released Rocket 2.', rs)).toEqual(tag('Acme released Rocket 2.', fresh));
      expect(readFileSync(path, 'utf8')).toBe(intact);
    }
    rmSync(path);
    mkdirSync(path);
    expect(loadRuleSet(file, { home }).version).toBe(fresh.version);
  });

  it('is skipped where the home cannot be written', () => {
    const file = rulesFile(RULES);
    const notADirectory = join(file, 'home');
    expect(loadRuleSet(file, { home: notADirectory }).version).toBe(ruleSetVersion(RULES));
  });

  it('keeps only the newest entries', () => {
    const file = rulesFile(RULES);
    for (let i = 0; i < 12; i++) {
      writeFileSync(file, `${RULES}# edit ${i}\n`);
      loadRuleSet(file, { home });
    }
    const kept = readdirSync(join(home, 'cache'));
    expect(kept.length).toBe(8);
    expect(kept).toContain(`rules-${ruleSetVersion(`${RULES}# edit 11\n`)}.json`);
  });
});
