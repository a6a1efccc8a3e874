import type { ReleaseStage } from '@frameline/core';

/** A version (and stage) read from a sentence. */
export interface VersionInfo {
  version: string | null;
  stage: ReleaseStage | null;
}

// Right after a name: "PyTorch 1.0 beta", "TensorFlow 2.0", "Gemma 3n", "Llama 3.1 405B", "Keras v3",
// "Python-3.12", "PyTorch version 2.1", "vLLM 0.6.0rc1", "TensorFlow 2.0.0-alpha0".
const AFTER_NAME =
  /[ \u00a0-]?(?:version |v(?=\d)|V(?=\d))?(\d+(?:\.\d+){0,3})([a-z]?)((?:-?(?:alpha|beta|rc|a|b|preview|dev)\.?\d*)?)(?![\p{L}\p{N}_%]|\.\d|,\d)/uy;
// Anywhere in the sentence: "v2.3.1", "version 2.1", "the 1.13 release", "release 2.4".
const IN_SENTENCE = [
  /(?<![\p{L}\p{N}_.])v(\d+(?:\.\d+){1,3}|\d{6,8})(?![\p{L}\p{N}_]|\.\d)/u,
  /\bversions? (\d+(?:\.\d+){0,3})(?![\p{L}\p{N}_]|\.\d)/iu,
  /(?<![\p{L}\p{N}_.$€£])(\d+(?:\.\d+){1,3})(?:[ -](?:stable |beta |alpha |preview )?)(?:release|update|version)\b/iu,
  /\b(?:release|update) (\d+(?:\.\d+){1,3})(?![\p{L}\p{N}_]|\.\d)/iu,
];
// What every pattern above holds.
const DIGIT = /\d/;
const STAGE_AFTER = /[ \u00a0-]?\(?(alpha|beta|preview|rc\d*|release candidate|ga|general availability)\b/iuy;
// The case-insensitive stage words below without their word boundaries: a sentence with none of these has
// none of those, which this tells several times faster (V8 runs `\b` under the `iu` flags as lookarounds at
// every offset). Most sentences name no stage.
const CASELESS_STAGE_WORD = /beta|alpha|preview/iu;
const STAGE_WORDS: [RegExp, ReleaseStage][] = [
  [/\b(?:generally available|general availability|GA)\b/u, 'ga'],
  [/\b(?:release candidate|RC\d*)\b/u, 'rc'],
  [/\bbeta\b/iu, 'beta'],
  [/\balpha\b/iu, 'alpha'],
  [/\bpreview\b/iu, 'preview'],
];

function stageOf(word: string): ReleaseStage | null {
  const w = word.toLowerCase().replace(/^-/, '');
  if (w.startsWith('alpha') || /^-?a\d/.test(w)) return 'alpha';
  if (w.startsWith('beta') || /^-?b\d/.test(w)) return 'beta';
  if (w.startsWith('rc') || w.startsWith('-rc') || w === 'release candidate') return 'rc';
  if (w.includes('preview')) return 'preview';
  if (w === 'ga' || w === 'general availability') return 'ga';
  return null;
}

/** A plausible version number: not a bare year, not a size like "7B" (caught by the regex lookahead). */
function plausible(v: string, prefixed = false): boolean {
  // "v201605" (a dated API version) is a version when written with its "v".
  if (prefixed) return true;
  if (/^(19|20)\d\d$/.test(v)) return false;
  return !/^\d{4,}$/.test(v);
}

/** The version written right after a name ending at `end` ("PyTorch 1.0 beta" → 1.0, beta), if any. */
export function versionAfter(text: string, end: number, limit: number): VersionInfo | null {
  AFTER_NAME.lastIndex = end;
  const m = AFTER_NAME.exec(text);
  if (!m || m.index + m[0].length > limit) return null;
  const number = m[1] as string;
  if (!plausible(number, /^[ \u00a0-]?(?:version |v|V)$/.test(m[0].slice(0, m[0].indexOf(number)))))
    return null;
  const suffix = m[2] as string;
  // "v6e", "v5p" name a chip generation; a "v" number with a letter after it is a name, not a version.
  if (
    suffix !== '' &&
    /v$/i.test(m[0].slice(0, m[0].length - number.length - suffix.length - (m[3] ?? '').length))
  ) {
    return null;
  }
  let stage = stageOf(m[3] ?? '');
  const version = number + suffix + (m[3] ?? '');
  if (stage === null) {
    STAGE_AFTER.lastIndex = m.index + m[0].length;
    const s = STAGE_AFTER.exec(text);
    if (s && s.index + s[0].length <= limit) stage = stageOf(s[1] as string);
  }
  return { version, stage };
}

/** A version written elsewhere in a sentence ("v2.3.1", "the 1.13 release"), if any. */
export function versionInSentence(sentence: string): string | null {
  // Every pattern holds a digit: a sentence without one has no version (the common case, and far cheaper
  // to tell than running the patterns).
  if (!DIGIT.test(sentence)) return null;
  for (const re of IN_SENTENCE) {
    const m = re.exec(sentence);
    if (m && plausible(m[1] as string, re === IN_SENTENCE[0])) return m[1] as string;
  }
  return null;
}

/** A release stage stated anywhere in a sentence ("now generally available" → ga), if any. */
export function stageInSentence(sentence: string): ReleaseStage | null {
  const caseless = CASELESS_STAGE_WORD.test(sentence);
  for (const [re, stage] of STAGE_WORDS) if ((caseless || !re.ignoreCase) && re.test(sentence)) return stage;
  return null;
}
