import { readFile } from 'node:fs/promises';
import { describeError, toError } from '@frameline/core';
import type { Command } from 'commander';
import { loadSettings, out, UsageError } from '../run.js';

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file' : describeError(err));
  }
}

/** Commands that work on local files (or URLs) with no database. */
export function fileCommands(program: Command): void {
  program
    .command('parse <file...>')
    .description('parse feed files with no network or database; one JSON line per file')
    .option('--content-type <type>', 'the Content-Type to assume (charset rules depend on it)')
    .option('--json', 'print JSON lines (the default; kept for symmetry)')
    .action(async (files: string[], o: { contentType?: string }) => {
      const { parseFileResult } = await import('@frameline/parse');
      let failed = 0;
      for (const file of files) {
        let line: unknown;
        try {
          line = await parseFileResult(file, await readBytes(file), o.contentType ?? null);
        } catch (err) {
          line = { file, ok: false, error: describeError(err) };
        }
        if (!(line as { ok: boolean }).ok) failed++;
        out(JSON.stringify(line));
      }
      if (failed > 0) process.exitCode = 1;
    });

  program
    .command('article <input...>')
    .description('extract the main text and metadata of article pages (files or URLs)')
    .option('--url <base>', 'the page URL of a file, for resolving links and the canonical URL')
    .option('--json', 'print JSON lines')
    .action(async (inputs: string[], o: { url?: string; json?: boolean }) => {
      const { config } = loadSettings();
      const { extractArticle } = await import('@frameline/article');
      const { fetchUrl } = await import('@frameline/fetch');
      const { openFetchOptions } = await import('@frameline/pipeline');
      const { decodeBody, htmlContentType } = await import('@frameline/parse');
      const fetchOptions = openFetchOptions(config);
      let failed = 0;
      for (const input of inputs) {
        const isUrl = /^https?:\/\//i.test(input);
        try {
          let html: string;
          let url: string | null = o.url ?? null;
          if (isUrl) {
            const res = await fetchUrl(input, null, { ...fetchOptions, accept: 'text/html,*/*;q=0.5' });
            html = decodeBody(res.body, htmlContentType(res.contentType)).text;
            url = res.url;
          } else {
            html = decodeBody(await readBytes(input), 'text/html').text;
          }
          const a = extractArticle(html, url);
          const line = {
            file: isUrl ? null : input,
            url: a.url,
            canonicalUrl: a.canonicalUrl,
            title: a.title,
            byline: a.byline,
            published: a.published,
            text: a.text,
          };
          if (o.json) out(JSON.stringify(line));
          else {
            out(
              `${a.title ?? '(no title)'}${a.byline ? ` by ${a.byline}` : ''}${a.published ? `, ${a.published}` : ''}`,
            );
            if (a.canonicalUrl) out(a.canonicalUrl);
            out();
            out(a.text);
            out();
          }
        } catch (err) {
          failed++;
          if (o.json)
            out(
              JSON.stringify({
                file: isUrl ? null : input,
                url: isUrl ? input : null,
                ok: false,
                error: describeError(err),
              }),
            );
          else process.stderr.write(`frameline: ${input}: ${describeError(err)}\n`);
        }
      }
      if (failed > 0) process.exitCode = 1;
    });

  const rules = program.command('rules').description('work with tagging rule files');
  rules
    .command('check [file]')
    .description('validate a rules YAML file; names the line of each error')
    .action(async (file: string | undefined) => {
      const { checkRuleSet, defaultRulesPath } = await import('@frameline/tag');
      const path = file ?? loadSettings().config.rulesFile ?? defaultRulesPath();
      let result: ReturnType<typeof checkRuleSet>;
      try {
        result = checkRuleSet(path);
      } catch (err) {
        // (Only a path that cannot be read throws; problems in the rules are returned.)
        throw new UsageError(toError(err).message);
      }
      for (const e of result.errors) out(`${e.file}:${e.line}:${e.column}: ${e.message}`);
      if (!result.ok) {
        process.exitCode = 1;
        return;
      }
      out(`${path}: ok`);
    });
}
