import { describe, expect, it } from 'vitest';
import { checkRules, compileRules } from './compile.js';
import { loadRuleSet } from './load-rules.js';
import { tag } from './tag.js';

// A rule set of its own, to show that the words the mechanism reads come from the rules, not from the code.
const BASE = `entities:
  - id: rocket
    name: Rocket
    kind: product
announcements:
  - name: release
    type: release
    triggers: [released, launched]
    subject: [product]
`;

const releases = (rules: string, text: string) =>
  tag(text, compileRules(rules, 'test.yaml')).announcements.map((a) => a.type);

describe('the reading lists of a rule set', () => {
  it('reads a past time after a trigger only with the words its lists give', () => {
    const text = 'Rocket, launched last year, powers the app.';
    expect(releases(BASE, text)).toEqual(['release']);
    expect(releases(`${BASE}reading:\n  past_phrases: [last year]\n`, text)).toEqual([]);
    // another language's words are just as good
    const german = `${BASE}reading:\n  past_phrases: [letztes Jahr]\n`;
    expect(releases(german, 'Rocket, launched letztes Jahr, powers the app.')).toEqual([]);
    expect(releases(german, text)).toEqual(['release']);
  });

  it('reads a citation by its phrases', () => {
    const text = 'Smith et al. released Rocket.';
    expect(releases(BASE, text)).toEqual(['release']);
    expect(releases(`${BASE}reading:\n  citation_phrases: [et al]\n`, text)).toEqual([]);
  });

  it('rejects an unknown list and a list that is not one, naming the line', () => {
    const bad = checkRules(`${BASE}reading:\n  past_phrase: [last year]\n  ago_words: ago\n`, 'bad.yaml');
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      expect.stringMatching(/^11: unknown field "past_phrase" in `reading:`/),
      expect.stringMatching(/^12: reading: ago_words must be a list/),
    ]);
    expect(checkRules(`${BASE}reading: [a]\n`, 'bad.yaml').errors[0]?.message).toMatch(
      /`reading:` must be a set of word lists/,
    );
  });

  it('gives the bundled rule set every list the mechanism reads', () => {
    const words = loadRuleSet().tables.reading;
    expect(words.titleWords.has('release')).toBe(true);
    expect(words.pastAfter.test(' two years ago')).toBe(true);
    expect(words.clauseBreak.test(', and said it')).toBe(true);
  });
});
