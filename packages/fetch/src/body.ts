import type { IncomingMessage } from 'node:http';
import { pipeline, Readable, type Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { PermanentError, TransientError } from '@frameline/core';

/** Content codings we ask for and can undo. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * Read a response body, undoing its Content-Encoding with streaming zlib, and stop as soon as more than
 * `maxBytes` have come out of the decoder (or gone into it), so a gzip bomb costs at most about `maxBytes`
 * of memory and the time to inflate that much.
 */
export async function readBody(res: IncomingMessage, url: string, maxBytes: number): Promise<Buffer> {
  const tooLarge = (what: string) =>
    new PermanentError(
      'body_too_large',
      `${url}: ${what} is larger than the ${formatBytes(maxBytes)} limit (FRAMELINE_MAX_BODY_BYTES); not read`,
    );
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(`the body (${formatBytes(declared)})`);

  const codings = parseCodings(res.headers['content-encoding'], url);
  let out: AsyncIterable<Buffer> = res;
  if (codings.length > 0) {
    // The first chunk is read before choosing decoders, to tell zlib-wrapped from raw deflate.
    const it = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await it.next();
    const head = first.done ? undefined : first.value;
    let raw = 0;
    const count = (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > maxBytes) throw tooLarge('the compressed body');
      return chunk;
    };
    async function* compressed(): AsyncGenerator<Buffer> {
      try {
        if (head) yield count(head);
        for (let next = await it.next(); !next.done; next = await it.next()) yield count(next.value);
      } finally {
        await it.return?.();
      }
    }
    // Codings are listed in the order they were applied, so they are undone last to first.
    const decoders = [...codings].reverse().map((c, i) => decoderFor(c, i === 0 ? head : undefined));
    out = pipelineWithCallback(Readable.from(compressed(), { objectMode: false }), decoders);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Not stream/promises' pipeline with a sink function: on Node 20 an error thrown by the sink surfaces as
  // a bare AbortError. Iterating the last stage keeps our own error; leaving the loop destroys the chain.
  try {
    for await (const chunk of out) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge('the decompressed body');
      chunks.push(chunk);
    }
  } catch (err) {
    res.destroy();
    if (err instanceof PermanentError) throw err;
    if (isZlibError(err)) {
      throw new TransientError(
        'bad_body',
        `${url}: the ${codings.join('+')} compressed body is corrupt and could not be decompressed`,
        { cause: err },
      );
    }
    throw err;
  }
  return Buffer.concat(chunks, total);
}

function pipelineWithCallback(source: Readable, decoders: Transform[]): Readable {
  // Errors reach the caller through the last stream, which pipeline destroys with the first error.
  return (pipeline as unknown as (...stages: unknown[]) => Readable)(source, ...decoders, () => {});
}

function parseCodings(header: string | undefined, url: string): string[] {
  if (!header) return [];
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  for (const c of codings) {
    if (!['gzip', 'x-gzip', 'deflate', 'br'].includes(c)) {
      throw new PermanentError(
        'unsupported_encoding',
        `${url}: the server compressed the body with "${c}", which frameline cannot decompress`,
      );
    }
  }
  return codings;
}

function decoderFor(coding: string, head: Buffer | undefined): Transform {
  // Z_SYNC_FLUSH: accept bodies truncated by servers that close early, as browsers do.
  const opts = { finishFlush: constants.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(opts);
    case 'br':
      return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    default:
      // "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate; look at the header.
      return head === undefined || isZlibHeader(head) ? createInflate(opts) : createInflateRaw(opts);
  }
}

/** RFC 1950: CM = 8 in the low nibble of the first byte, and the first two bytes as a number are % 31 = 0. */
function isZlibHeader(head: Buffer): boolean {
  const b0 = head[0];
  const b1 = head[1];
  return b0 !== undefined && b1 !== undefined && (b0 & 0x0f) === 8 && (b0 * 256 + b1) % 31 === 0;
}

/** zlib errors carry a Z_* code; brotli's are ERR__ERROR_* / ERR_BROTLI_*, with a negative errno. */
function isZlibError(err: unknown): boolean {
  const { code, errno } = err as { code?: unknown; errno?: unknown };
  return (
    typeof code === 'string' &&
    (code.startsWith('Z_') ||
      code.startsWith('ERR_BROTLI') ||
      (code.startsWith('ERR__') && typeof errno === 'number'))
  );
}

/** 15728640 → "15 MiB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
