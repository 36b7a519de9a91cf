/**
 * A pass-through stream that counts the bytes going through and fails with the caller's error once they
 * exceed a limit (an upload as sent, a file once unpacked). `ended` says whether the whole input went through.
 *
 * @example new ByteLimit(10, (max) => new Error(`over ${max} bytes`)) // 11 bytes in → fails with "over 10 bytes"
 */
import { Transform, type TransformCallback } from 'node:stream';

export class ByteLimit extends Transform {
  bytes = 0;
  ended = false;
  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: (maxBytes: number) => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(this.tooLarge(this.maxBytes));
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    this.ended = true;
    callback();
  }
}

/** The limit in whole megabytes, as the messages say it. */
export const megabytes = (bytes: number): number => Math.round(bytes / 1024 / 1024);
