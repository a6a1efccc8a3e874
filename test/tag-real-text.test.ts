import type { ExtractResult } from '@frameline/core';
import { htmlToText } from '@frameline/parse';
import { defaultRulesPath, loadRuleSet, type RuleSet, tag, tagHtml } from '@frameline/tag';
import { aiLabItems, articlePages, otherFeedItems } from '@frameline/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

// Invariants over every real text in ../shared/corpora: the tagger must hold them on text it was not
// written for. (corporaDir() throws with a clear message when the corpora are missing.)
let rules: RuleSet;
beforeAll(() => {
  rules = loadRuleSet();
});

function checkShape(input: string, r: ExtractResult, sliceText: (s: number, e: number) => string) {
  const ids = new Set(r.entities.map((e) => e.id));
  expect(ids.size).toBe(r.entities.length);
  let firstPrev = -1;
  for (const e of r.entities) {
    const first = e.mentions[0]?.start ?? -1;
    expect(first).toBeGreaterThan(firstPrev);
    firstPrev = first;
    for (const m of e.mentions) expect(sliceText(m.start, m.end)).toBe(m.text);
  }
  let prev = -1;
  for (const a of r.announcements) {
    expect(a.evidence.start).toBeGreaterThanOrEqual(prev);
    prev = a.evidence.start;
    expect(sliceText(a.evidence.start, a.evidence.end)).toBe(a.evidence.text);
    expect(ids.has(a.subject)).toBe(true);
    for (const o of a.objects) expect(ids.has(o)).toBe(true);
    expect(a.objects).not.toContain(a.subject);
    expect(rules.ruleNames).toContain(a.rule);
  }
  expect(r.ruleSet).toBe(rules.version);
  void input;
}

describe('on real texts', () => {
  it('keeps exact offsets, ordering and references on every AI-lab and feed item', () => {
    const items = [...aiLabItems(), ...otherFeedItems()];
    expect(items.length).toBeGreaterThan(3000);
    let announcements = 0;
    for (const item of items) {
      for (const text of [item.title, item.body]) {
        const r = tag(text, rules);
        checkShape(text, r, (s, e) => text.slice(s, e));
        announcements += r.announcements.length;
      }
    }
    // The AI-lab feeds are full of releases, partnerships and funding rounds.
    expect(announcements).toBeGreaterThan(500);
  });

  it('maps HTML offsets back to markup whose visible text is the span text', () => {
    for (const page of articlePages().slice(0, 40)) {
      const r = tagHtml(page.html, rules);
      checkShape(page.html, r, (s, e) => htmlToText(page.html.slice(s, e)));
    }
  });

  it('is deterministic and reloads to the same version', () => {
    const item = aiLabItems().find((i) => i.body.length > 500);
    expect(item).toBeDefined();
    const text = item?.body ?? '';
    expect(tag(text, rules)).toEqual(tag(text, rules));
    const again = loadRuleSet(defaultRulesPath());
    expect(again.version).toBe(rules.version);
    expect(tag(text, again)).toEqual(tag(text, rules));
  });
});
