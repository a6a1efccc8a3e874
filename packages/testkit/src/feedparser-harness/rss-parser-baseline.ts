import Parser from 'rss-parser';

/** Plain rss-parser 3.13 on text, for benchmarks' baselines (bench/ cannot resolve this package's dependencies). */
export function createRssParserBaseline(): (text: string) => Promise<unknown> {
  const parser = new Parser();
  return (text) => parser.parseString(text);
}
