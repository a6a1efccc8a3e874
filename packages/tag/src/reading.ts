import type { Located } from './spec.js';

/**
 * The word lists of a rule set's `reading:` map (explained in rules/default/reading.yaml): the words the
 * announcement mechanism reads around a trigger. The patterns below are the shapes those words fit in; the
 * words themselves are the rule set's.
 */
export const READING_KEYS = [
  'clause_conjunctions',
  'clause_subjects',
  'reporting_verbs',
  'list_joins',
  'example_markers',
  'adjacent_gap_words',
  'articles',
  'party_words',
  'party_joins',
  'place_words',
  'destination_words',
  'companion_words',
  'availability_words',
  'arrival_words',
  'now_words',
  'actor_gap_words',
  'bare_title_words',
  'line_opening_words',
  'passive_auxiliaries',
  'drop_words',
  'support_words',
  'integration_words',
  'ending_words',
  'plan_words_before_only',
  'past_phrases',
  'date_prepositions',
  'version_time_words',
  'maker_words',
  'year_qualifiers',
  'count_words',
  'time_units',
  'ago_words',
  'past_prepositions',
  'determiners',
  'cause_prepositions',
  'cause_determiners',
  'event_qualifiers',
  'complement_words',
  'release_nouns',
  'noun_determiners',
  'release_compounds',
  'infinitive_markers',
  'support_nouns',
  'research_outputs',
  'output_qualifiers',
  'citation_phrases',
  'own_work_words',
  'raise_words',
  'money_words',
  'join_words',
  'join_objects_not_merger',
  'membership_words',
  'partner_words',
  'partnership_prepositions',
  'addition_words',
  'feature_lead_words',
  'feature_place_words',
  'hosted_words',
  'title_words',
] as const;
export type ReadingKey = (typeof READING_KEYS)[number];
export type ReadingSpec = Record<ReadingKey, Located[]>;

export function emptyReading(): ReadingSpec {
  return Object.fromEntries(READING_KEYS.map((k) => [k, []])) as unknown as ReadingSpec;
}

/** The compiled signs (see `compileReading`); each is built from the lists its comment names. */
export interface Reading {
  /** A clause ends between two positions (`;`, ", and it", ", but Microsoft", "and said"). */
  readonly clauseBreak: RegExp;
  /** Between two names of a list: a version of the first, then a comma or a join ("1.0 and", ", or"). */
  readonly listGap: RegExp;
  /** A join that makes names a list (commas alone do not). */
  readonly listJoined: RegExp;
  /**
   * Between a name and the first known member of its examples: lowercase words, a marker, and maybe members
   * nobody listed ("libraries including TorchFoo, ").
   */
  readonly examplesGap: RegExp;
  /** Between a name and a trigger next to it: a possessive, a version, up to two gap words, an article. */
  readonly adjacentGap: RegExp;
  /** "Cohere and Bell partner", "with Saudi Arabia and HUMAIN": an unknown capitalised party in the gap. */
  readonly unknownPartyGap: RegExp;
  /** "... partnership with the Government of X": a capitalised party right after the trigger. */
  readonly namedPartyAfter: RegExp;
  /** Right before a name: the place it comes to ("on GroqCloud", "to Modal"). */
  readonly placeBefore: RegExp;
  /** Right before a version: the words that make it the time of a change ("deprecated in JAX 0.9"). */
  readonly whenBefore: RegExp;
  /** Right before an organisation: the words that make it a maker ("models from Meta"). */
  readonly makerBefore: RegExp;
  /** A trigger of availability ("now available"). */
  readonly availability: RegExp;
  /** Right after a trigger: a named place ("in Arena Mode", "on the Vertex AI"). */
  readonly placeAfter: RegExp;
  /** Right before a name: "is now available in", "comes to", "works with the". */
  readonly arrivalBefore: RegExp;
  /** Between an ambiguous name and the trigger it acts in ("is now"). */
  readonly actorGap: RegExp;
  /** What may follow a bare "name version" title (words, a release-candidate number, a date). */
  readonly bareRest: RegExp;
  /** A release-notes heading that is only a version ("0.5", "[2.2.0] - 2024-02-08", "10.6.0 GA"). */
  readonly versionHeading: RegExp;
  /** Before a trigger at a line's start: bullets and opening words ("- Added"). */
  readonly lineOpening: RegExp;
  /** A trigger that is a passive of support ("support is", "support has been"). */
  readonly passiveInTrigger: RegExp;
  /** After a trigger: a passive drop ("is dropped", "has been now removed"). */
  readonly passiveDrop: RegExp;
  /** A trigger opening with support ("support for"). */
  readonly supportStart: RegExp;
  /** A trigger ending with support ("X support"). */
  readonly supportEnd: RegExp;
  /** A trigger of support anywhere in it. */
  readonly support: RegExp;
  /** A trigger of support or integration anywhere in it. */
  readonly supportOrIntegration: RegExp;
  /** A line that can end something (`ending_words`). */
  readonly ending: RegExp;
  /** Plan words (lowercase) that do not state a plan after a trigger. */
  readonly planBeforeOnly: ReadonlySet<string>;
  /** Right after a trigger: a time in the past ("last year", "in 2019", "two years ago"). */
  readonly pastAfter: RegExp;
  /** Right before a trigger: "since its", "after the", "since we first". */
  readonly pastBefore: RegExp;
  /**
   * A word `pastBefore` opens with, anywhere (no word boundaries): holds wherever `pastBefore` does, and is
   * tested first, being several times cheaper (V8 runs `\b` under the `iu` flags as lookarounds).
   */
  readonly pastWord: RegExp;
  /** Right before a trigger: "by the", "with the initial" (a noun event as a cause). */
  readonly nominalBefore: RegExp;
  /** Right after a trigger: its complement ("of"). */
  readonly complementAfter: RegExp;
  /** Right after a release noun: what it qualifies ("notes", "cadence"). */
  readonly releaseCompound: RegExp;
  /** Right before a trigger: an infinitive marker ("to"). */
  readonly infinitiveBefore: RegExp;
  /** Right after a trigger: a lowercase word that is no article ("fellowship", not "the"). */
  readonly commonObject: RegExp;
  /** Right after a release trigger: support it brings ("an integration", "native support"). */
  readonly supportAfter: RegExp;
  /** A trigger that is a release noun. */
  readonly releaseNoun: RegExp;
  /** Right before a trigger: a determiner making it a noun, maybe an adjective between ("this", "a minor"). */
  readonly nounDeterminer: RegExp;
  /** Right after a trigger: a research output ("the results", "a new paper"). */
  readonly researchOutput: RegExp;
  /** A citation in a sentence ("et al", "arXiv:2401.01234"). */
  readonly cited: RegExp;
  /** A sentence presenting work as the text's own or new. */
  readonly ownWork: RegExp;
  /** A trigger that is a form of "raise". */
  readonly raise: RegExp;
  /** Money or a round ("$88M", "Series B"). */
  readonly money: RegExp;
  /** A trigger that is a form of "join". */
  readonly join: RegExp;
  /** After a join trigger: what is not a merger ("forces", "as a member", "Foundation"). */
  readonly notMerger: RegExp;
  /** Capitalised partner words (exact). */
  readonly partnerWords: ReadonlySet<string>;
  /** Right after "Partners": a preposition of a partnership. */
  readonly partnershipAfter: RegExp;
  /** Before a product: it only hosts the thing ("available in"). */
  readonly hostedBefore: RegExp;
  /** A clause introducing a feature in the product after it ("plus a new Work mode in"). */
  readonly featureIn: RegExp;
  /** The last "plus" or "and" joining features, with spaces around it. */
  readonly additionJoin: RegExp;
  /** Capitalised words (lowercase here) that may follow a name in a headline. */
  readonly titleWords: ReadonlySet<string>;
}

const SP = '[ \\u00a0]';
const WORD_CHAR = /[\p{L}\p{N}_]/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface Trie {
  readonly next: Map<string, Trie>;
  /** A phrase ends here. */
  end: boolean;
}

/**
 * One alternation of a list's phrases: whole words (a word boundary at an edge that is a letter or digit;
 * "$" or "&" need none), a space inside a phrase matching any run of spaces. The phrases are factored by
 * their words ("last (?:year|month|...)"), which the regex engine tries far faster than a flat list of
 * phrases sharing their first words. An empty list never matches. With `bounded` false, the same phrases
 * without word boundaries: a looser test, true wherever the bounded one is.
 */
export function alt(list: readonly Located[], bounded = true): string {
  const root: Trie = { next: new Map(), end: false };
  for (const l of list) {
    const words = l.value
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    let node = root;
    for (const w of words) {
      let child = node.next.get(w);
      if (child === undefined) {
        child = { next: new Map(), end: false };
        node.next.set(w, child);
      }
      node = child;
    }
    if (node !== root) node.end = true;
  }
  if (root.next.size === 0) return '(?!)';
  if (!bounded) return branches(root, false, false);
  // One boundary before the group when every phrase starts with a letter or digit (the engine scans faster
  // for a group than for alternatives that each start with a check).
  const words = [...root.next.keys()];
  return words.every((w) => WORD_CHAR.test(w.charAt(0)))
    ? `\\b${branches(root, false, true)}`
    : branches(root, true, true);
}

function branches(node: Trie, first: boolean, bounded: boolean): string {
  const parts = [...node.next].map(([word, child]) => {
    const head = `${first && WORD_CHAR.test(word.charAt(0)) ? '\\b' : ''}${escapeRegExp(word)}`;
    const tail = bounded && WORD_CHAR.test(word.charAt(word.length - 1)) ? '\\b' : '';
    if (child.next.size === 0) return head + tail;
    const more = `${SP}+${branches(child, false, bounded)}`;
    return child.end ? `${head}(?:${more}|${tail})` : head + more;
  });
  return `(?:${parts.join('|')})`;
}

// A date after a release title: "June 18, 2024", "18 June 2024", "2024 June 18", "2024-11-05".
const DATE =
  '\\p{L}+\\.? \\d{1,2},? \\d{4}|\\d{1,2} \\p{L}+ \\d{4}|\\d{4} \\p{L}+ \\d{1,2}|\\d{4}-\\d{1,2}-\\d{1,2}';
// A version, possibly after a space or hyphen ("PyTorch 2.0 support", "v1.2").
const VERSION = '[ \\u00a0-]?v?\\d+(?:\\.\\d+)*[a-z]?';
// A run of one to four capitalised words: a name.
const CAPITALISED = "\\p{Lu}[\\p{L}\\p{N}.&'-]*(?:\\s+\\p{Lu}[\\p{L}\\p{N}.&'-]*){0,3}";

/** The signs a rule set's reading lists make. */
export function compileReading(r: ReadingSpec): Reading {
  const a = (k: ReadingKey) => alt(r[k]);
  const lower = (k: ReadingKey) => new Set(r[k].map((l) => l.value.toLowerCase()));
  const articles = a('articles');
  const places = a('place_words');
  const joins = a('list_joins');
  const bare = `(?:${a('bare_title_words')}|rc\\d*|${DATE})`;
  const auxiliaries = a('passive_auxiliaries');
  const support = a('support_words');
  return {
    clauseBreak: new RegExp(
      `;|,${SP}*${a('clause_conjunctions')}${SP}+(?:${a('clause_subjects')}|\\p{Lu})|${a('clause_conjunctions')}${SP}+${a('reporting_verbs')}`,
      'u',
    ),
    // (issue references of release notes may follow a member: "Caffe2 #2507 , CoreML #2476")
    listGap: new RegExp(`^(?:${VERSION})?(?:\\s*\\(?#\\d+\\)?)*\\s*(?:,|,?\\s*${joins}|\\/)\\s*$`, 'iu'),
    examplesGap: new RegExp(
      `^${SP}+(?:\\p{Ll}[\\p{L}-]*${SP}+){0,3}\\p{Ll}[\\p{L}-]*,?${SP}+${a('example_markers')}${SP}+(?:\\p{Lu}[\\p{L}\\p{N}.-]*,${SP}+){0,3}$`,
      'u',
    ),
    listJoined: new RegExp(`${joins}|\\/`, 'iu'),
    adjacentGap: new RegExp(
      `^(?:${SP}*(?:['\\u2019]s)?(?:${VERSION})?[ \\u00a0-]*(?:${a('adjacent_gap_words')} ){0,2}(?:${articles} )?)$`,
      'iu',
    ),
    unknownPartyGap: new RegExp(
      `^\\s+(?:${a('party_words')}\\s+(?:${articles}\\s+)?${CAPITALISED}\\s+${a('party_joins')}|${a('party_joins')}\\s+${CAPITALISED})\\s+$`,
      'u',
    ),
    namedPartyAfter: new RegExp(`^${SP}+${a('party_words')}${SP}+(?:${articles}${SP}+)?\\p{Lu}`, 'u'),
    placeBefore: new RegExp(`${SP}(?:${places}|${a('destination_words')})${SP}+(?:${articles}${SP}+)?$`, 'u'),
    whenBefore: new RegExp(`(?:^|${SP})${a('version_time_words')}${SP}+$`, 'iu'),
    makerBefore: new RegExp(`(?:^|${SP})${a('maker_words')}${SP}+(?:${articles}${SP}+)?$`, 'iu'),
    availability: new RegExp(`${a('availability_words')}$`, 'i'),
    placeAfter: new RegExp(`^${SP}${places}${SP}+(?:${articles}${SP}+)?\\p{Lu}`, 'u'),
    arrivalBefore: new RegExp(
      `${a('arrival_words')}${SP}+(?:${a('now_words')}${SP}+)?(?:${places}|${a('destination_words')}|${a('companion_words')})${SP}+(?:${articles}${SP}+)?$`,
      'iu',
    ),
    actorGap: new RegExp(`^${SP}+(?:${a('actor_gap_words')} ){0,2}$`, 'u'),
    bareRest: new RegExp(`^[\\s\\p{P}]*(?:${bare}[\\s\\p{P}]*)*$`, 'iu'),
    versionHeading: new RegExp(
      `^[\\s\\p{P}]*v?\\d+(?:\\.\\d+)+[a-z0-9.-]*[\\s\\p{P}]*(?:${bare}[\\s\\p{P}]*)*$`,
      'iu',
    ),
    lineOpening: new RegExp(`^[\\s\\p{P}\\p{S}]*(?:${a('line_opening_words')}${SP}+)*$`, 'iu'),
    passiveInTrigger: new RegExp(`^${support}${SP}+${auxiliaries}`, 'i'),
    passiveDrop: new RegExp(
      `^[\\s\\p{P}]*${auxiliaries}${SP}+(?:${a('now_words')}${SP}+)?${a('drop_words')}`,
      'iu',
    ),
    supportStart: new RegExp(`^${support}`, 'i'),
    supportEnd: new RegExp(`${support}$`, 'i'),
    support: new RegExp(support, 'i'),
    supportOrIntegration: new RegExp(`${support}|${a('integration_words')}`, 'i'),
    ending: new RegExp(a('ending_words'), 'i'),
    planBeforeOnly: lower('plan_words_before_only'),
    pastAfter: new RegExp(
      `^${SP}+(?:${a('past_phrases')}|${a('date_prepositions')}${SP}+(?:${a('year_qualifiers')}[ \\u00a0-]+)?(?:\\p{L}+${SP}+)?(?:19|20)\\d\\d\\b|(?:${a('count_words')}|\\d+)${SP}+${a('time_units')}${SP}+${a('ago_words')})`,
      'iu',
    ),
    pastBefore: new RegExp(
      `(?:^|[^\\p{L}])${a('past_prepositions')}${SP}+(?:${a('determiners')}${SP}+)?(?:\\p{L}+${SP}+){0,2}$`,
      'iu',
    ),
    pastWord: new RegExp(alt(r.past_prepositions, false), 'iu'),
    nominalBefore: new RegExp(
      `(?:^|[^\\p{L}])${a('cause_prepositions')}${SP}+${a('cause_determiners')}${SP}+(?:${a('event_qualifiers')}${SP}+)?$`,
      'iu',
    ),
    complementAfter: new RegExp(`^${SP}+${a('complement_words')}`, 'iu'),
    releaseNoun: new RegExp(`^${a('release_nouns')}$`, 'i'),
    nounDeterminer: new RegExp(`(?:^|[^\\p{L}])${a('noun_determiners')}${SP}+(?:[\\p{L}-]+${SP}+)?$`, 'iu'),
    infinitiveBefore: new RegExp(`(?:^|[^\\p{L}])${a('infinitive_markers')}${SP}+$`, 'iu'),
    commonObject: new RegExp(`^${SP}+(?!${articles}${SP})\\p{Ll}`, 'u'),
    releaseCompound: new RegExp(`^${SP}+${a('release_compounds')}`, 'iu'),
    supportAfter: new RegExp(`^${SP}+(?:${a('output_qualifiers')}${SP}+){0,3}${a('support_nouns')}`, 'iu'),
    researchOutput: new RegExp(
      `^${SP}+(?:${a('output_qualifiers')}${SP}+){0,3}${a('research_outputs')}`,
      'iu',
    ),
    cited: new RegExp(`${a('citation_phrases')}|\\barXiv[: ]\\d{4}\\.\\d{4,5}`, 'u'),
    ownWork: new RegExp(a('own_work_words'), 'iu'),
    raise: new RegExp(`^${a('raise_words')}`, 'i'),
    money: new RegExp(`${a('money_words')}|\\p{N}`, 'iu'),
    join: new RegExp(a('join_words'), 'i'),
    notMerger: new RegExp(`^${SP}+${a('join_objects_not_merger')}|${a('membership_words')}`, 'iu'),
    partnerWords: new Set(r.partner_words.map((l) => l.value)),
    partnershipAfter: new RegExp(`^${SP}+${a('partnership_prepositions')}`, 'iu'),
    hostedBefore: new RegExp(`${a('hosted_words')}${SP}+${a('feature_place_words')}${SP}+$`, 'iu'),
    featureIn: new RegExp(
      `^${SP}*(?:${a('addition_words')}${SP}+)?(?:${a('feature_lead_words')}${SP}+)*\\p{L}[\\p{L}\\p{N} -]*${SP}${a('feature_place_words')}${SP}+$`,
      'u',
    ),
    additionJoin: new RegExp(` ${a('addition_words')} (?!.* ${a('addition_words')} )`, 'u'),
    titleWords: lower('title_words'),
  };
}
