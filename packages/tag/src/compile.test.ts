import { PermanentError } from '@frameline/core';
import { describe, expect, it } from 'vitest';
import { checkRules, compileRules, ruleSetVersion } from './compile.js';
import { loadRuleSet } from './load-rules.js';

const GOOD = `entities:
  - id: pytorch
    name: PyTorch
    kind: framework
announcements:
  - name: release
    type: release
    triggers: [released]
    subject: [framework]
`;

describe('checkRules', () => {
  it('accepts a small valid file', () => {
    expect(checkRules(GOOD, 'good.yaml')).toEqual({ ok: true, errors: [] });
  });

  it('names the line and column of each error', () => {
    const bad = `entities:
  - id: pytorch
    name: PyTorch
    kind: framwork
  - id: pytorch
    name: Torch
    kind: framework
    aliases: ["", PyTorch]
    parent: nobody
  - id: Bad_Id
    name: X
    kind: vendor
    colour: red
announcements:
  - name: r
    type: launch
    triggers: []
    subject: [framework, gizmo]
`;
    const { ok, errors } = checkRules(bad, 'bad.yaml');
    expect(ok).toBe(false);
    const at = (needle: string) => errors.find((e) => e.message.includes(needle));
    expect(at('unknown kind "framwork"')).toMatchObject({ line: 4, column: 11 });
    expect(at('unknown field "colour"')).toMatchObject({ line: 13 });
    expect(at('must be lowercase words')).toMatchObject({ line: 10 });
    expect(at('is empty')).toMatchObject({ line: 8 });
    expect(at('unknown announcement type "launch"')).toMatchObject({ line: 16 });
    expect(at('no triggers')).toMatchObject({ line: 15 });
    expect(at('unknown kind "gizmo"')).toMatchObject({ line: 18 });
  });

  it('reports cross-reference errors: duplicate ids, unknown parents, clashing names', () => {
    const bad = `entities:
  - id: a
    name: Alpha
    kind: vendor
    parent: zed
  - id: a
    name: Beta
    kind: vendor
  - id: c
    name: ALPHA
    kind: product
  - id: d
    name: Delta
    kind: model
    ambiguous: [Delta]
`;
    const { errors } = checkRules(bad, 'refs.yaml');
    expect(errors.map((e) => [e.line, e.message.slice(0, 28)])).toEqual([
      [5, 'parent "zed" is not the id o'],
      [6, 'duplicate id "a" (first used'],
      [9, '"ALPHA" is already a name of'],
      [12, 'entity "d" has ambiguous nam'],
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const { ok, errors } = checkRules('entities:\n  - id: a\n   name: [unclosed\n', 'syntax.yaml');
    expect(ok).toBe(false);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
    const duplicate = checkRules(
      'entities:\n  - id: x\n    id: y\n    name: X\n    kind: vendor\n',
      'dup.yaml',
    );
    expect(duplicate.errors).toEqual([expect.objectContaining({ file: 'dup.yaml', line: 3 })]);
  });
});

describe('compileRules and loadRuleSet', () => {
  it('throws a PermanentError naming file:line', () => {
    const bad = GOOD.replace('kind: framework', 'kind: nope');
    let thrown: unknown;
    try {
      compileRules(bad, 'rules/x.yaml');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PermanentError);
    expect((thrown as PermanentError).code).toBe('invalid_rules');
    expect((thrown as Error).message).toContain('rules/x.yaml:4:11: unknown kind "nope"');
  });

  it('versions a rule set by the hash of its text', () => {
    const a = compileRules(GOOD, 'a.yaml');
    expect(a.version).toMatch(/^[0-9a-f]{12}$/);
    expect(a.version).toBe(ruleSetVersion(GOOD));
    expect(compileRules(`${GOOD}# a comment\n`, 'a.yaml').version).not.toBe(a.version);
  });

  it('loads the bundled default rule set with the promised coverage', () => {
    const rs = loadRuleSet();
    const count = (...kinds: string[]) => rs.entities.filter((e) => kinds.includes(e.kind)).length;
    expect(count('framework', 'library')).toBeGreaterThanOrEqual(80);
    expect(count('vendor')).toBeGreaterThanOrEqual(60);
    expect(count('product')).toBeGreaterThanOrEqual(80);
    expect(count('model')).toBeGreaterThanOrEqual(40);
    expect(count('event')).toBeGreaterThanOrEqual(30);
    expect(count('program')).toBeGreaterThan(0);
    expect(rs.ruleNames.length).toBeGreaterThanOrEqual(10);
  });

  it('fails clearly on a missing file', () => {
    expect(() => loadRuleSet('/nonexistent/rules.yaml')).toThrow(/cannot read rules file/);
  });
});
