/**
 * @frameline/tag: rule files → compiled matcher → mentions and announcements.
 *
 * Load a rule set once (`loadRuleSet()` for the bundled default, or a YAML file), then call `tag(text)` or
 * `tagHtml(html)` for each document field. Results have the `ExtractResult` shape from `@frameline/core`.
 */
export {
  checkRules,
  compileRules,
  defaultRulesPath,
  isListed,
  loadRuleSet,
  ruleSetVersion,
  taggerCodeVersion,
} from './compile.js';
export { findMentions, type RawMention } from './find-mentions.js';
export { htmlToMappedText, htmlToText, type MappedText } from './html.js';
export type { EntityInfo, RuleSet } from './rule-set.js';
export { splitSentences } from './sentences.js';
export { subjectOf, type TagContext, tag, tagDocument, tagHtml } from './tag.js';
