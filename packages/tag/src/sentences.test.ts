import { describe, expect, it } from 'vitest';
import { MAX_SENTENCE, splitSentences } from './sentences.js';

function split(text: string): string[] {
  const pairs = splitSentences(text);
  const out: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) out.push(text.slice(pairs[i], pairs[i + 1]));
  return out;
}

describe('splitSentences', () => {
  it('splits on terminal punctuation followed by a capital', () => {
    expect(split('PyTorch 1.0 is out. It adds JIT! Try it? Yes.')).toEqual([
      'PyTorch 1.0 is out.',
      'It adds JIT!',
      'Try it?',
      'Yes.',
    ]);
  });

  it('does not split inside versions, decimals or URLs', () => {
    expect(split('Upgrade to v2.3.1 from pytorch.org today. It costs $1.5 now.')).toEqual([
      'Upgrade to v2.3.1 from pytorch.org today.',
      'It costs $1.5 now.',
    ]);
  });

  it('does not split after abbreviations and initials', () => {
    expect(
      split('Frameworks, e.g. TensorFlow, and Dr. Smith at Google Inc. agree. J. Dean said so.'),
    ).toEqual(['Frameworks, e.g. TensorFlow, and Dr. Smith at Google Inc. agree.', 'J. Dean said so.']);
  });

  it('keeps closing quotes with the sentence and splits at line breaks', () => {
    expect(split('He said “ship it.” Then left\nNew line here')).toEqual([
      'He said “ship it.”',
      'Then left',
      'New line here',
    ]);
  });

  it('returns exact trimmed offsets', () => {
    const text = '  First one.   Second one.  ';
    expect(splitSentences(text)).toEqual([2, 12, 15, 26]);
  });
});

describe('very long sentences', () => {
  it('cuts a run of text with no sentence end at spaces, every piece at most MAX_SENTENCE long', () => {
    const text = `${'word '.repeat(1000)}end. Next one.`;
    const pieces = splitSentences(text);
    expect(pieces.length / 2).toBeGreaterThan(3);
    for (let k = 0; k < pieces.length; k += 2) {
      const [s, e] = [pieces[k] as number, pieces[k + 1] as number];
      expect(e - s).toBeLessThanOrEqual(MAX_SENTENCE);
      expect(text.slice(s, e)).toBe(text.slice(s, e).trim());
      expect(text.slice(s, e).startsWith('word') || text.slice(s, e).startsWith('Next')).toBe(true);
    }
    expect(text.slice(pieces[pieces.length - 2], pieces[pieces.length - 1])).toBe('Next one.');
  });
});
