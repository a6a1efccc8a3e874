import { describeError, type FeedItem } from '@frameline/core';
import { parseFeed } from './parse-feed.js';

/** One line of `frameline parse --json`: a parsed file, or the reason it did not parse. */
export type ParseFileResult =
  | {
      file: string;
      ok: true;
      format: string;
      version: string | null;
      title: string | null;
      link: string | null;
      description: string | null;
      items: FeedItem[];
    }
  | { file: string; ok: false; error: string };

/** Parses a local file's bytes into exactly the object `frameline parse <file> --json` prints. */
export async function parseFileResult(
  file: string,
  bytes: Uint8Array,
  contentType?: string | null,
): Promise<ParseFileResult> {
  try {
    const feed = await parseFeed(bytes, { contentType: contentType ?? null });
    return {
      file,
      ok: true,
      format: feed.format,
      version: feed.version,
      title: feed.title,
      link: feed.link,
      description: feed.description,
      items: feed.items.map((item) => ({
        id: item.id,
        title: item.title,
        link: item.link,
        published: item.published,
        updated: item.updated,
        summary: item.summary,
        content: item.content,
        authors: item.authors.map((a) => ({ name: a.name, email: a.email })),
      })),
    };
  } catch (err) {
    return { file, ok: false, error: describeError(err) };
  }
}
