import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared test material beside the repository (`<repoRoot>/../shared/corpora`). Throws when it is missing,
 * so tests that need it fail clearly instead of skipping.
 */
export function corporaDir(): string {
  const dir = fileURLToPath(new URL('../../../../shared/corpora/', import.meta.url));
  if (!existsSync(dir))
    throw new Error(`shared corpora not found at ${dir}: the tests need ../shared/corpora beside the repo`);
  return dir;
}
