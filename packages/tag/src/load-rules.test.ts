import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRules, ruleSetVersion } from './compile.js';
import { checkRuleSet, defaultRulesPath, loadRuleSet, readRuleFiles } from './load-rules.js';
import { tag } from './tag.js';

const VENDORS = `entities:
  - id: acme
    name: Acme
    kind: vendor
`;
const PRODUCTS = `# products of the vendors in a.yaml
entities:
  - id: rocket
    name: Rocket
    kind: product
    parent: acme
`;
const RULES = `plan_words: [will]
announcements:
  - name: release-after
    type: release
    triggers: [released]
    subject: [product]
    subject_side: before
  - name: release-any
    type: release
    triggers: [released, ships]
    subject: [product, vendor]
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'frameline-rules-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A folder of rules files, written in the order given (which is not their file-name order here). */
function folder(files: Record<string, string>): string {
  const path = join(dir, 'set');
  mkdirSync(path);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

describe('a folder of rules files', () => {
  it('is one rule set: the files joined in file-name order', () => {
    const path = folder({ 'c.yaml': RULES, 'b.yaml': PRODUCTS, 'a.yaml': VENDORS, 'notes.md': 'not rules' });
    const rs = loadRuleSet(path);
    expect(rs.source).toBe(path);
    expect(rs.entities.map((e) => [e.id, e.parent])).toEqual([
      ['acme', null],
      ['rocket', 'acme'],
    ]);
    expect(rs.ruleNames).toEqual(['release-after', 'release-any']);
    // The same as one file holding the three texts in that order (the version aside: it hashes each file).
    const whole = compileRules(`${VENDORS}${PRODUCTS.replace(/^.*\nentities:\n/, '')}${RULES}`, 'one.yaml');
    const text = 'Acme released Rocket 2. Rocket will ship soon.';
    expect({ ...tag(text, rs), ruleSet: '' }).toEqual({ ...tag(text, whole), ruleSet: '' });
    expect(rs.version).toBe(ruleSetVersion(readRuleFiles(path)));
    expect(rs.version).not.toBe(whole.version);
  });

  it('names the file, line and column of each problem', () => {
    const path = folder({
      'a.yaml': VENDORS,
      'b.yaml': 'entities:\n  - id: acme\n    name: Acme Corp\n    kind: vendr\n',
    });
    const b = join(path, 'b.yaml');
    const check = checkRuleSet(path);
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([
      { file: b, line: 2, column: 5, message: 'duplicate id "acme" (first used on a.yaml line 2)' },
      { file: b, line: 4, column: 11, message: expect.stringContaining('unknown kind "vendr"') },
    ]);
    expect(() => loadRuleSet(path)).toThrow(`${b}:4:11: unknown kind "vendr"`);
  });

  it('reports a folder without rules files, and an unreadable path', () => {
    expect(() => loadRuleSet(folder({ 'notes.md': '' }))).toThrow(/holds no \.yaml file/);
    expect(() => loadRuleSet(join(dir, 'missing'))).toThrow(/cannot read rules file/);
  });

  it('loads the bundled rule set from its folder, each part valid', () => {
    const files = readRuleFiles(defaultRulesPath());
    expect(files.map((f) => f.file.slice(defaultRulesPath().length + 1))).toContain('announcements.yaml');
    expect(files.length).toBeGreaterThan(3);
    expect(checkRuleSet(defaultRulesPath())).toEqual({ ok: true, errors: [] });
  });

  it('still loads a single rules file', () => {
    const file = join(dir, 'mine.yaml');
    const text = `${VENDORS}${RULES}`;
    writeFileSync(file, text);
    const rs = loadRuleSet(file);
    expect(rs.source).toBe(file);
    expect(rs.version).toBe(ruleSetVersion(text));
    expect(readdirSync(dir)).toEqual(['mine.yaml']);
  });
});
