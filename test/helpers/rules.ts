import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRulesPath } from '@frameline/tag';

/**
 * A rules folder that is the bundled rules plus one framework they do not list ("Quasarflow"): a rules change
 * whose effect a re-extraction must show (its mentions, and announcements naming it). Without the entry, the
 * tagger does not find the lower-case "qflow" at all.
 */
export function rulesWithQuasarflow(dir: string): string {
  const path = join(dir, 'rules');
  cpSync(defaultRulesPath(), path, { recursive: true });
  writeFileSync(
    join(path, 'zz-test-quasarflow.yaml'),
    'entities:\n  - id: quasarflow\n    name: Quasarflow\n    kind: framework\n    aliases: [qflow]\n',
  );
  return path;
}

/** An RSS feed of `n` items, every third naming Quasarflow by its lower-case short name "qflow", dated one day apart from 2019-01-01. */
export function quasarflowFeed(n: number): string {
  const items = Array.from({ length: n }, (_, k) => {
    const day = new Date(Date.UTC(2019, 0, 1 + k)).toUTCString();
    const text =
      k % 3 === 0
        ? `Amazon SageMaker now supports qflow for PyTorch training (post ${k}).`
        : `PyTorch ${k}.1 adds support for CUDA 12.${k} and ONNX Runtime.`;
    return `<item><guid>q-${k}</guid><title>Post ${k}</title><link>https://example.org/q/${k}</link><pubDate>${day}</pubDate><description>${text}</description></item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Quasar news</title><link>https://example.org/</link>${items.join('')}</channel></rss>`;
}
