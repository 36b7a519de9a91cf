/**
 * Compression of bodies served many times (embed assets, cached dashboard answers): the encoding a client
 * accepts, and each body compressed once per encoding and kept beside it.
 */
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Bodies below this size are sent as they are: compressing them saves less than it costs. */
const COMPRESS_FROM_BYTES = 1_024;

/**
 * The best encoding the client accepts for a body of `size` bytes; null = send it as it is.
 *
 * @example preferredEncoding('gzip, deflate, br', 50_000) // 'br'
 * @example preferredEncoding('gzip', 200) // null (too small to bother)
 */
export function preferredEncoding(acceptEncoding: string | undefined, size: number): Encoding | null {
  if (size < COMPRESS_FROM_BYTES || !acceptEncoding) return null;
  if (/\bbr\b/.test(acceptEncoding)) return 'br';
  if (/\bgzip\b/.test(acceptEncoding)) return 'gzip';
  return null;
}

/** Something whose body is compressed at most once per encoding. */
export interface Compressible {
  body: string | Buffer;
  encoded?: Partial<Record<Encoding, Buffer>>;
}

/** Bodies larger than this stay at the fast level: the best one would hold a thread pool worker for seconds. */
const RECOMPRESS_UP_TO_BYTES = 512 * 1_024;

/**
 * The body in `encoding` at the best level, made in the thread pool (the event loop goes on serving), or
 * null when the body is too large for that to pay. The bytes of an answer served many times (a popular
 * public chart) are what every client downloads and decodes: brotli 11 makes a chart spec ~20 % smaller
 * than level 5 does, at ~20× the time, once per cached entry.
 */
export function bestCompressed(body: string | Buffer, encoding: Encoding): Promise<Buffer> | null {
  if (Buffer.byteLength(body) > RECOMPRESS_UP_TO_BYTES) return null;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result));
    if (encoding === 'br')
      brotliCompress(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }, done);
    else gzip(body, { level: constants.Z_BEST_COMPRESSION }, done);
  });
}

/**
 * The body in `encoding`, made on first demand and kept on `item`. `effort`: `max` for files that never
 * change (assets), `fast` for answers that change with the data.
 */
export function compressedBody(item: Compressible, encoding: Encoding, effort: 'max' | 'fast'): Buffer {
  item.encoded ??= {};
  item.encoded[encoding] ??=
    encoding === 'br'
      ? brotliCompressSync(item.body, { params: { [constants.BROTLI_PARAM_QUALITY]: effort === 'max' ? 11 : 5 } })
      : gzipSync(item.body, { level: effort === 'max' ? 9 : 6 });
  return item.encoded[encoding];
}
