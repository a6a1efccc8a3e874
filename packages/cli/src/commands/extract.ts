import { readFile } from 'node:fs/promises';
import type { ExtractResult } from '@frameline/core';
import type { Command } from 'commander';
import { loadSettings, out, UsageError } from '../run.js';

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : String(code)}`);
  }
}

/** HTML when the file says so by name, or when the text starts like a document or fragment. */
function looksLikeHtml(file: string, text: string): boolean {
  if (/\.x?html?$/i.test(file)) return true;
  return /^\s*(<!doctype html|<html|<body|<article|<div|<p[\s>])/i.test(text);
}

export function extractCommand(program: Command): void {
  program
    .command('extract <file>')
    .description('tag a text or HTML file (- for stdin) with no database')
    .option('--json', 'print the result as JSON (offsets are UTF-16 code units into the input)')
    .option('--rules <file>', 'a rules YAML file (default: FRAMELINE_RULES or the bundled rule set)')
    .action(async (file: string, o: { json?: boolean; rules?: string }) => {
      const { config } = loadSettings();
      const { loadRuleSet, tag, tagHtml } = await import('@frameline/tag');
      const ruleSet = loadRuleSet(o.rules ?? config.rulesFile, { home: config.home });
      const input = await readInput(file);
      const result: ExtractResult = looksLikeHtml(file, input)
        ? tagHtml(input, ruleSet)
        : tag(input, ruleSet);
      if (o.json) return out(JSON.stringify(result));
      out(
        `rule set ${result.ruleSet}: ${result.entities.length} entities, ${result.announcements.length} announcements`,
      );
      for (const e of result.entities) out(`  ${e.kind.padEnd(9)} ${e.name} (${e.id}) x${e.mentions.length}`);
      const names = new Map(result.entities.map((e) => [e.id, e.name]));
      for (const a of result.announcements) {
        const objects = a.objects.map((id) => names.get(id) ?? id).join(', ');
        const version = [a.version, a.stage].filter(Boolean).join(' ');
        out(
          `  ${a.type.padEnd(11)} ${names.get(a.subject) ?? a.subject}${objects ? ` → ${objects}` : ''}${version ? ` ${version}` : ''}  [${a.rule}]`,
        );
        out(`              "${a.evidence.text.replace(/\s+/g, ' ').trim()}"`);
      }
    });
}
