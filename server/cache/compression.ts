/**
 * Compression of bodies served many times (embed assets, cached dashboard answers): the encoding a client
 * accepts, and each body compressed once per encoding and kept beside it. Always in libuv's thread pool
 * (zlib's asynchronous API), never on the event loop: brotli at level 5 takes ~0.2–0.3 s for a 9–18 MB
 * group chart, level 11 seconds for the Vega bundle — time every other request would wait (issue 13).
 */
import { brotliCompress, constants, gzip } from 'node:zlib';

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
  return compress(body, encoding, 'max');
}

/** Output pieces of 64 KiB (zlib's default is 16): fewer trips between the thread pool and the loop. */
const CHUNK_BYTES = 64 * 1_024;

/** One compression in the thread pool; the loop only collects the pieces. */
function compress(body: string | Buffer, encoding: Encoding, effort: 'max' | 'fast'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result));
    if (encoding === 'br') {
      const quality = effort === 'max' ? constants.BROTLI_MAX_QUALITY : 5;
      brotliCompress(body, { chunkSize: CHUNK_BYTES, params: { [constants.BROTLI_PARAM_QUALITY]: quality } }, done);
    } else gzip(body, { chunkSize: CHUNK_BYTES, level: effort === 'max' ? constants.Z_BEST_COMPRESSION : 6 }, done);
  });
}

/** Compressions under way, per item and encoding: concurrent first requests share one. */
const underWay = new WeakMap<Compressible, Partial<Record<Encoding, Promise<Buffer>>>>();

/**
 * The body in `encoding`, made on first demand in the thread pool and kept on `item`; requests that ask
 * while it is being made wait for the same one. `effort`: `max` for files that never change (assets),
 * `fast` for answers that change with the data.
 */
export function compressedBody(item: Compressible, encoding: Encoding, effort: 'max' | 'fast'): Promise<Buffer> {
  const ready = item.encoded?.[encoding];
  if (ready) return Promise.resolve(ready);
  let pending = underWay.get(item);
  if (!pending) underWay.set(item, (pending = {}));
  pending[encoding] ??= compress(item.body, encoding, effort).then(
    (body) => {
      delete pending[encoding];
      item.encoded ??= {};
      return (item.encoded[encoding] ??= body);
    },
    (error: unknown) => {
      delete pending[encoding];
      throw error;
    },
  );
  return pending[encoding];
}
