import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.js';

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
