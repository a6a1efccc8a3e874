import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fixture feed of `test/fixtures/feeds` as text. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)), 'utf8');
}
