/**
 * Compression of bodies served many times (embed assets, cached dashboard answers): the encoding a client
 * accepts, and each body compressed once per encoding and kept beside it.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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
