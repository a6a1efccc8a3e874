import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRules, defaultRulesPath } from './compile.js';
import { readRules } from './parse-rules.js';
import { parseSimpleYaml } from './simple-yaml.js';

describe('fast YAML path for rule files', () => {
  it('reads the bundled rule set exactly as the full YAML parser does, positions included', () => {
    const text = readFileSync(defaultRulesPath(), 'utf8');
    expect(parseSimpleYaml(text)).not.toBeNull();
    expect(readRules(text)).toEqual(readRules(text, { fast: false }));
  });

  it('reads quoting, flow lists, comments, numbers and booleans like YAML', () => {
    const text = [
      `plan_words: ["will", 'plans to', 'it''s', it's]`,
      'entities:',
      '  - id: acme # the company',
      '    name: "Acme \\"Labs\\""',
      '    kind: vendor',
      '    aliases: [ACME, 1.0, "a, b"]',
      '    ambiguous: [Acme]',
      '    context:',
      '      [',
      '        rockets, # wrapped by a formatter',
      "        'anvils',",
      '      ]',
      'announcements:',
      '- name: launch',
      '  type: release',
      '  needs_version: true',
      '  triggers:',
      '  - launches',
      '  subject: [vendor]',
      '',
    ].join('\n');
    expect(parseSimpleYaml(text)).not.toBeNull();
    expect(readRules(text)).toEqual(readRules(text, { fast: false }));
  });

  it('leaves anything else to the full parser, which still names the line of an error', () => {
    const anchors = 'entities:\n  - &a\n    id: x\n    name: X\n    kind: vendor\n';
    expect(parseSimpleYaml(anchors)).toBeNull();
    const duplicate = 'entities:\n  - id: x\n    id: y\n    name: X\n    kind: vendor\n';
    expect(parseSimpleYaml(duplicate)).toBeNull();
    const result = checkRules(duplicate, 'dup.yaml');
    expect(result.ok).toBe(false);
    expect(result.errors[0]?.line).toBe(3);
    const badKind = 'entities:\n  - id: x\n    name: X\n    kind: gadget\n';
    expect(checkRules(badKind, 'kind.yaml').errors).toEqual([
      expect.objectContaining({ line: 4, column: 11 }),
    ]);
  });
});
