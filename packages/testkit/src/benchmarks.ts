import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** BENCHMARKS.md at the repository root: every benchmark writes its own `<!-- bench:name -->` section there. */
export const BENCHMARKS_FILE = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));
const FILE = BENCHMARKS_FILE;

const startOf = (name: string) => `<!-- bench:${name} -->`;
const endOf = (name: string) => `<!-- /bench:${name} -->`;

function read(): string {
  return existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
}

/** The `<!-- bench:parent/x -->` blocks inside `block`, each whole (markers included). */
function subsections(block: string, parent: string): Map<string, string> {
  const found = new Map<string, string>();
  const re = new RegExp(`<!-- bench:(${parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[\\w-]+) -->`, 'g');
  for (const m of block.matchAll(re)) {
    const name = m[1] ?? '';
    const to = block.indexOf(endOf(name), m.index);
    if (to > m.index) found.set(name, block.slice(m.index, to + endOf(name).length));
  }
  return found;
}

/**
 * Replaces (or appends) the `<!-- bench:name -->` section of BENCHMARKS.md, leaving other sections alone. A
 * sub-section another script wrote inside it (`<!-- bench:name/sub -->`) is kept, so each script can be re-run
 * on its own.
 */
export function writeBenchSection(name: string, markdown: string): void {
  const current = read();
  const from = current.indexOf(startOf(name));
  const to = current.indexOf(endOf(name));
  const exists = from >= 0 && to > from;
  const kept = exists ? subsections(current.slice(from, to), name) : new Map<string, string>();
  const carried = [...kept].filter(([sub]) => !markdown.includes(startOf(sub))).map(([, block]) => block);
  const body = [markdown.trim(), ...carried].join('\n\n');
  const block = `${startOf(name)}\n${body}\n${endOf(name)}`;
  const next = exists
    ? current.slice(0, from) + block + current.slice(to + endOf(name).length)
    : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, next);
}

/** Replaces (or appends) the `<!-- bench:parent/sub -->` block inside the `parent` section. */
export function writeBenchSubsection(parent: string, sub: string, markdown: string): void {
  const name = `${parent}/${sub}`;
  const block = `${startOf(name)}\n${markdown.trim()}\n${endOf(name)}`;
  const current = read();
  const from = current.indexOf(startOf(parent));
  const to = current.indexOf(endOf(parent));
  if (from < 0 || to <= from) {
    writeBenchSection(parent, block);
    return;
  }
  const section = current.slice(from, to);
  const old = subsections(section, parent).get(name);
  const nextSection = old ? section.replace(old, () => block) : `${section.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, current.slice(0, from) + nextSection + current.slice(to));
}
