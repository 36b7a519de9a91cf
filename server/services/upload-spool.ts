/**
 * Receives an upload into a temporary file before anything else happens, so that an import holds no database
 * connection (on PGlite: THE connection) and no indicator lock while a slow or malicious client is still
 * sending. The file is bounded (`maxBytes` of the body as sent, compressed or not); the body is unpacked only
 * when read back (`open`), where the reader applies its own limits to the unpacked bytes.
 *
 * Every stream of the chain is built by `pipeline`, which listens for errors on each from the moment it
 * exists: a client that leaves (`aborted`), a full disk or a corrupt gzip end the upload with an error,
 * never an unhandled 'error' event.
 *
 * @example
 *   const upload = await spoolUpload(request.raw, { maxBytes: 512 * 1024 * 1024, gzip: true });
 *   try { const csv = await openCsv(upload.open(), …) } finally { await upload.dispose() }
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BadRequestError, TooLargeError } from '../errors.ts';
import { ByteLimit, megabytes } from './byte-limit.ts';

export interface SpooledUpload {
  /** Bytes received (as sent: compressed when the body was). */
  bytes: number;
  /** The body, unpacked when it was sent gzip-compressed; a gzip error surfaces as the stream's error. */
  open(): Readable;
  /** Closes what `open` returned and deletes the file; safe to call more than once. */
  dispose(): Promise<void>;
}

export interface SpoolOptions {
  maxBytes: number;
  /** The body is gzip-compressed (`Content-Encoding: gzip`). */
  gzip: boolean;
  /** Aborted when the client leaves: the upload stops at once. */
  signal?: AbortSignal;
}

/**
 * Reads `source` to its end into a temporary file. Throws TooLargeError past `maxBytes`, BadRequestError
 * `upload_incomplete` when the client leaves (or the signal aborts) before the end; the file is gone then.
 * The source itself is never destroyed: the caller may still answer on its connection (a 413).
 */
export async function spoolUpload(source: Readable, options: SpoolOptions): Promise<SpooledUpload> {
  const directory = await mkdtemp(path.join(tmpdir(), 'rba-upload-'));
  const file = path.join(directory, 'body');
  const counter = new ByteLimit(
    options.maxBytes,
    (max) =>
      new TooLargeError('body_too_large', `The file is larger than ${megabytes(max)} MB; split it into smaller files.`),
  );
  // Read through an iterator that leaves the request alive when the pipeline stops early (see above).
  const chunks = source.iterator({ destroyOnReturn: false });
  try {
    await pipeline(chunks, counter, createWriteStream(file), { ...(options.signal && { signal: options.signal }) });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    if (error instanceof TooLargeError) throw error;
    throw new BadRequestError(
      'upload_incomplete',
      'The upload ended before the whole file arrived (the connection was closed); nothing was written.',
      [{ field: 'body', code: 'upload_incomplete', message: (error as Error).message }],
    );
  }
  const opened: Readable[] = [];
  let disposed = false;
  return {
    bytes: counter.bytes,
    open() {
      const raw = createReadStream(file);
      const body = options.gzip ? pipelineCallback(raw, createGunzip(), () => undefined) : raw;
      // A plain file stream has no other listener: its error is the reader's to see, never unhandled.
      if (body === raw) raw.on('error', () => undefined);
      opened.push(raw, body);
      return body;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const stream of opened) stream.destroy();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
