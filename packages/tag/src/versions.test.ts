import { describe, expect, it } from 'vitest';
import { stageInSentence, versionAfter, versionInSentence } from './versions.js';

function after(text: string, name: string) {
  const end = text.indexOf(name) + name.length;
  return versionAfter(text, end, text.length);
}

describe('versions', () => {
  it('reads a version and stage right after a name', () => {
    expect(after('PyTorch 1.0 beta is out', 'PyTorch')).toEqual({ version: '1.0', stage: 'beta' });
    expect(after('TensorFlow 2.0 is here', 'TensorFlow')).toEqual({ version: '2.0', stage: null });
    expect(after('Keras v3 lands', 'Keras')).toEqual({ version: '3', stage: null });
    expect(after('vLLM 0.6.0rc1 released', 'vLLM')).toEqual({ version: '0.6.0rc1', stage: 'rc' });
    expect(after('TensorFlow 2.0.0-alpha0 today', 'TensorFlow')).toEqual({
      version: '2.0.0-alpha0',
      stage: 'alpha',
    });
    expect(after('Gemma 3n arrives', 'Gemma')).toEqual({ version: '3n', stage: null });
  });

  it('does not take sizes, percentages or years for versions', () => {
    expect(after('Llama 70B is big', 'Llama')).toBeNull();
    expect(after('PyTorch 30% faster', 'PyTorch')).toBeNull();
    expect(after('PyTorch 2024 conference', 'PyTorch')).toBeNull();
  });

  it('finds versions written elsewhere in the sentence', () => {
    expect(versionInSentence('Upgrade to v2.3.1 now')).toBe('2.3.1');
    expect(versionInSentence('Highlights of the 1.13 release')).toBe('1.13');
    expect(versionInSentence('We shipped version 2.1 today')).toBe('2.1');
    expect(versionInSentence('It costs $1.5 billion')).toBeNull();
  });

  it('finds stages stated in the sentence', () => {
    expect(stageInSentence('Vertex AI is now generally available')).toBe('ga');
    expect(stageInSentence('available in public preview')).toBe('preview');
    expect(stageInSentence('the first release candidate')).toBe('rc');
    expect(stageInSentence('a general-purpose library')).toBeNull();
  });
});
