/**
 * @frameline/tag: rule files → compiled matcher → mentions and announcements.
 *
 * Load a rule set once (`loadRuleSet()` for the bundled default, or a YAML file or folder of them; pass
 * `{ home: config.home }` to cache it), then call `tag(text)` or `tagHtml(html)` for each document field.
 * Results have the `ExtractResult` shape from `@frameline/core`.
 */
export {
  checkRules,
  compileRules,
  isListed,
  type RuleProblem,
  ruleSetVersion,
  taggerCodeVersion,
} from './compile.js';
export { tagDocument } from './document.js';
export { findMentions, type RawMention } from './find-mentions.js';
export {
  checkRuleSet,
  defaultRulesPath,
  type LoadOptions,
  loadRuleSet,
  readRuleFiles,
  ruleSetOfFiles,
} from './load-rules.js';
export type { EntityInfo, RuleSet } from './rule-set.js';
export { splitSentences } from './sentences.js';
export type { RuleFile } from './spec.js';
export { subjectOf, type TagContext, tag, tagHtml } from './tag.js';
