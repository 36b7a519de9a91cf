/**
 * Reads a CSV file as a stream of records, whatever spreadsheet wrote it: with or without a byte-order mark
 * (UTF-8 or UTF-16LE, as Excel's "CSV UTF-8" and "Unicode text" write them), separated by `,`, `;` (Excel in
 * most of Europe) or tabs — detected from the header line —, quoted or not, with Windows (CRLF), Unix (LF)
 * or old Mac (CR) line ends. Parsing is csv-parse's; this module adds the sniffing, a byte limit and the
 * row numbers a person sees in Excel (the header is row 1, a quoted cell spanning lines is still one row,
 * a blank line is a row too).
 *
 * Memory stays bounded: records are pulled one at a time and the source is paused while the caller works.
 *
 * @example
 *   const csv = await openCsv(request.raw, { maxBytes: 512 * 1024 * 1024 });
 *   csv.header            // ['period', 'sex', 'value']
 *   csv.delimiter         // ';'
 *   for await (const { firstRow, rows } of csv.batches) …  // { firstRow: 2, rows: [['2024', 'female', '8,7'], …] }
 */
import { parse, CsvError } from 'csv-parse';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteLimit, megabytes } from './byte-limit.ts';

export type Delimiter = ',' | ';' | '\t';

/** The file cannot be read as CSV at all, or is larger than allowed (csv-import.ts turns it into a domain error). */
export class CsvReadError extends Error {
  override name = 'CsvReadError';
  constructor(
    readonly code: 'empty_file' | 'malformed_csv' | 'body_too_large',
    message: string,
    /** The row where reading stopped, when known. */
    readonly row: number | null = null,
  ) {
    super(message);
  }
}

/** Consecutive records; the first is row `firstRow` as a spreadsheet numbers rows (the header is row 1). */
export interface CsvBatch {
  firstRow: number;
  rows: string[][];
}

export interface OpenCsv {
  delimiter: Delimiter;
  /** The header's cells, as written (trimmed, without a byte-order mark). */
  header: string[];
  /** The rows after the header, in batches of up to 1,000. */
  batches: AsyncIterable<CsvBatch>;
  /** Bytes read from the source so far. */
  bytesRead(): number;
  /** True once the source has been read to its end. */
  finished(): boolean;
  /** Stops reading (the caller gave up early); safe to call more than once. */
  close(): void;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
/** Records handed over together, and how many batches may wait before the parser pauses. */
const RECORDS_PER_BATCH = 1000;
const MAX_QUEUED_BATCHES = 4;
/** The header must fit in this many bytes. */
const MAX_HEADER_BYTES = 1024 * 1024;
/**
 * Longest record (a row, a quoted cell) the parser buffers, in characters: far above any real row, low enough
 * that a gzip bomb of one huge cell, or a quote never closed, is refused after 64 KiB instead of being held
 * in memory to the end of the file.
 */
export const MAX_RECORD_CHARS = 64 * 1024;

function startsWith(buffer: Buffer, bytes: number[]): boolean {
  return bytes.every((byte, i) => buffer[i] === byte);
}

/**
 * The separator of a header line: the most frequent of `,`, `;` and tab outside quotes; `,` when none occurs.
 *
 * @example sniffDelimiter('period;value;note')   // ';'
 * @example sniffDelimiter('"a;b",c')             // ','
 * @example sniffDelimiter('value')               // ','
 */
export function sniffDelimiter(headerLine: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char]++;
  }
  let best: Delimiter = ',';
  for (const candidate of [';', '\t'] as const) if (counts[candidate] > counts[best]) best = candidate;
  return best;
}

function headerLineOf(head: Buffer): { text: string; complete: boolean } {
  let text: string;
  if (startsWith(head, UTF16LE_BOM)) text = head.subarray(2).toString('utf16le');
  else text = head.subarray(startsWith(head, UTF8_BOM) ? 3 : 0).toString('utf8');
  const end = text.search(/[\r\n]/);
  return end === -1 ? { text, complete: false } : { text: text.slice(0, end), complete: true };
}

function toReadError(error: unknown): Error {
  if (error instanceof CsvReadError) return error;
  if (error instanceof CsvError) {
    const row = typeof error.records === 'number' ? error.records + 1 : null;
    const reason =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted cell is never closed (a " without its closing ")'
        : error.code === 'CSV_MAX_RECORD_SIZE'
          ? `a row is longer than ${MAX_RECORD_CHARS / 1024} KiB (is a quote never closed?)`
          : error.message.replace(/^Invalid [^:]*: /, '').split(' at line')[0]!;
    return new CsvReadError(
      'malformed_csv',
      `The file is not valid CSV${row ? ` at row ${row}` : ''}: ${reason}.`,
      row,
    );
  }
  return error as Error;
}

/**
 * Opens a CSV stream: reads up to the end of the header line to find the separator, then hands the whole
 * stream (header included) to csv-parse. Throws {@link CsvReadError} `empty_file` when there is no header.
 */
export async function openCsv(source: Readable, options: { maxBytes: number }): Promise<OpenCsv> {
  const limit = new ByteLimit(
    options.maxBytes,
    (max) =>
      new CsvReadError(
        'body_too_large',
        `The file is larger than ${megabytes(max)} MB (once unpacked); split it into smaller files.`,
      ),
  );
  const limited = source.pipe(limit);
  source.on('error', (error) => limit.destroy(error));
  const chunks = limited[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  // 1. Read up to the end of the header line (or the end of a one-line file).
  const prefix: Buffer[] = [];
  let head = Buffer.alloc(0);
  let line = { text: '', complete: false };
  for (;;) {
    const next = await chunks.next().catch((error: unknown) => Promise.reject(toReadError(error)));
    if (next.done) break;
    prefix.push(next.value);
    head = Buffer.concat([head, next.value]);
    line = headerLineOf(head);
    if (line.complete) break;
    if (head.length > MAX_HEADER_BYTES)
      throw new CsvReadError(
        'malformed_csv',
        'The first line (the header) is longer than 1 MB: is this a CSV file?',
        1,
      );
  }
  if (!line.complete) line = headerLineOf(head);
  if (line.text.trim() === '')
    throw new CsvReadError(
      'empty_file',
      'The file is empty: the first line must name the columns (e.g. period,value).',
      1,
    );
  const delimiter = sniffDelimiter(line.text);

  // 2. Parse everything, header included, with that separator.
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  async function* all(): AsyncGenerator<Buffer> {
    yield* prefix;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const feeding = pipeline(Readable.from(all(), { objectMode: false }), parser).catch(() => undefined);

  // Records are collected from 'data' events into batches (cheaper than one promise per record); the parser
  // pauses while a few batches wait, so memory stays bounded whatever the file's size.
  let header: string[] | null = null;
  let current: string[][] = [];
  const queue: string[][][] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  parser.on('data', (record: string[]) => {
    if (header === null) {
      header = record;
      signal();
      return;
    }
    current.push(record);
    if (current.length >= RECORDS_PER_BATCH) {
      queue.push(current);
      current = [];
      if (queue.length >= MAX_QUEUED_BATCHES) parser.pause();
      signal();
    }
  });
  parser.on('end', () => {
    if (current.length > 0) queue.push(current);
    current = [];
    ended = true;
    signal();
  });
  parser.on('error', (error) => {
    failure = error;
    signal();
  });
  const waitForParser = () => new Promise<void>((resolve) => (wake = resolve));

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    parser.destroy();
    limit.destroy();
    source.unpipe(limit);
  };

  while (header === null && !ended && failure === null) await waitForParser();
  if (failure !== null) throw toReadError(failure);
  if (header === null)
    throw new CsvReadError(
      'empty_file',
      'The file is empty: the first line must name the columns (e.g. period,value).',
      1,
    );
  const headerCells = (header as string[]).map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim());

  async function* batches(): AsyncGenerator<CsvBatch> {
    let nextRow = 2;
    try {
      for (;;) {
        const rows = queue.shift();
        if (rows !== undefined) {
          if (queue.length < MAX_QUEUED_BATCHES && parser.isPaused()) parser.resume();
          yield { firstRow: nextRow, rows };
          nextRow += rows.length;
          continue;
        }
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the parser's or the source's error, as raised
        if (failure !== null) throw failure;
        if (ended) break;
        await waitForParser();
      }
      await feeding;
    } catch (error) {
      throw toReadError(error);
    } finally {
      close();
    }
  }

  return {
    delimiter,
    header: headerCells,
    batches: batches(),
    bytesRead: () => limit.bytes,
    finished: () => limit.ended,
    close,
  };
}
