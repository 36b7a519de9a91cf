/**
 * `npm run import -- <file.csv> --indicator <id> | --result <id> [options]`: streams a CSV file to a running
 * server's import API (docs/csv.md) with a progress bar, then prints what happened — or every rejected row.
 *
 *   --server <url>        the server (default http://127.0.0.1:3000, or RBA_SERVER)
 *   --token <secret>      an API token (default: the RBA_TOKEN environment variable)
 *   --dry-run             check everything and say what would change; write nothing
 *   --empty-cells clear   empty note/status/source cells clear stored values (default: keep them)
 *   --series <code>, --units <unit>   Open SDG files: import only those rows
 *   --gzip                compress the upload (for slow links)
 *
 * Exit code: 0 when the file was imported (or, with --dry-run, would be), 1 when it was rejected or the
 * server could not take it, 2 for a usage error. The progress bar (bytes sent against the file's size, rows,
 * rows/s) goes to stderr; the outcome to stdout.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import type { ImportReport } from '../schema/contracts/imports.ts';

const USAGE = `Usage: npm run import -- <file.csv> (--indicator <id> | --result <id>) [--server <url>] [--token <secret>] [--dry-run]
                      [--empty-cells keep|clear] [--series <code>] [--units <unit>] [--gzip]
The token can also come from the RBA_TOKEN environment variable.`;

interface Options {
  file: string;
  target: { kind: 'indicator' | 'result'; id: string };
  server: URL;
  token: string | undefined;
  dryRun: boolean;
  emptyCells: 'keep' | 'clear';
  series: string | undefined;
  units: string | undefined;
  gzip: boolean;
}

class UsageError extends Error {}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      indicator: { type: 'string' },
      result: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'empty-cells': { type: 'string', default: 'keep' },
      series: { type: 'string' },
      units: { type: 'string' },
      gzip: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError('Give exactly one CSV file.');
  if ((values.indicator === undefined) === (values.result === undefined))
    throw new UsageError('Give either --indicator <id> or --result <id>.');
  if (values['empty-cells'] !== 'keep' && values['empty-cells'] !== 'clear')
    throw new UsageError('--empty-cells is keep or clear.');
  const file = positionals[0]!;
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`No file ${file}.`);
  let server: URL;
  try {
    server = new URL(values.server ?? env.RBA_SERVER ?? 'http://127.0.0.1:3000');
  } catch {
    throw new UsageError(`--server must be a URL such as http://127.0.0.1:3000.`);
  }
  return {
    file,
    target:
      values.indicator !== undefined
        ? { kind: 'indicator', id: values.indicator }
        : { kind: 'result', id: values.result! },
    server,
    token: values.token ?? (env.RBA_TOKEN || undefined),
    dryRun: values['dry-run'],
    emptyCells: values['empty-cells'],
    series: values.series,
    units: values.units,
    gzip: values.gzip,
  };
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Counts the bytes and lines read from the file, and draws the progress bar at most 10 times a second. */
class Progress extends Transform {
  bytes = 0;
  lines = 0;
  private readonly started = Date.now();
  private drawn = 0;
  constructor(
    private readonly total: number,
    private readonly out: Output['stderr'],
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    if (Date.now() - this.drawn > 100) this.draw();
    callback(null, chunk);
  }
  draw(final = false): void {
    this.drawn = Date.now();
    const fraction = this.total > 0 ? Math.min(1, this.bytes / this.total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rows = Math.max(0, this.lines - 1); // the header is not a row
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${megabytes(this.bytes)} / ${megabytes(this.total)} · ${number(rows)} rows · ${number(rows / seconds)} rows/s`;
    this.out.write(`\r${line}${final ? '\n' : ''}`);
  }
}

/** The API's error shape (any answer but a 200). */
interface ErrorAnswer {
  error: { code?: string; message: string; details?: Array<{ path: string; message: string }> };
}

interface Answer {
  status: number;
  /** The import report with status 200, the error shape otherwise. */
  body: ImportReport | ErrorAnswer | null;
}

/** Where the command writes: the outcome to `stdout`, progress and problems to `stderr`. */
export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function upload(options: Options, progress: Progress, output: Output): Promise<Answer> {
  const path =
    options.target.kind === 'indicator'
      ? `indicators/${options.target.id}/data-points/import`
      : `results/${options.target.id}/import`;
  const url = new URL(`/api/v1/${path}`, options.server);
  if (options.dryRun) url.searchParams.set('dryRun', 'true');
  if (options.emptyCells === 'clear') url.searchParams.set('emptyCells', 'clear');
  if (options.series) url.searchParams.set('series', options.series);
  if (options.units) url.searchParams.set('units', options.units);
  const headers: Record<string, string | number> = { 'content-type': 'text/csv', accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.gzip) headers['content-encoding'] = 'gzip';
  else headers['content-length'] = fs.statSync(options.file).size;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const source = fs.createReadStream(options.file, { highWaterMark: 256 * 1024 });
    const request = client.request(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        source.destroy(); // the server may answer before the whole file is sent (an early rejection)
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Answer['body'];
        try {
          body = JSON.parse(text) as Answer['body'];
        } catch {
          body = {
            error: {
              code: 'unexpected_answer',
              message: text.slice(0, 500) || `HTTP ${response.statusCode}`,
              details: [],
            },
          };
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', reject);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return; // the answer, if any, is on its way
      reject(error);
    });
    request.on('close', () => reject(new Error('the server closed the connection without answering')));
    request.on('finish', () => {
      progress.draw(true);
      output.stderr.write('Sent; the server is checking and saving the rows…\n');
    });
    const body = source.pipe(progress);
    (options.gzip ? body.pipe(createGzip()) : body).pipe(request);
  });
}

function printErrors(details: Array<{ path: string; message: string }>, print: (line: string) => void): void {
  for (const detail of details)
    print(`  ${detail.message.startsWith('row ') ? detail.message : `${detail.path}: ${detail.message}`}`);
}

/** Runs the command; resolves to its exit code (the tests call it in-process with their own output). */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  output: Output = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const print = (line: string) => output.stdout.write(`${line}\n`);
  const printError = (line: string) => output.stderr.write(`${line}\n`);
  let options: Options;
  try {
    options = readOptions(argv, env);
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      if ((error as Error).message) printError((error as Error).message);
      printError(USAGE);
      return 2;
    }
    throw error;
  }
  const size = fs.statSync(options.file).size;
  const progress = new Progress(size, output.stderr);
  let answer: Answer;
  try {
    answer = await upload(options, progress, output);
  } catch (error) {
    output.stderr.write('\n');
    printError(`Could not import: ${(error as Error).message} (is the server running at ${options.server.origin}?)`);
    return 1;
  }
  const { status, body } = answer;
  if (status === 200) {
    const report = body as ImportReport;
    const verb = report.dryRun ? 'Dry run (nothing written)' : 'Imported';
    print(
      `${verb}: ${number(report.rows)} rows — ${number(report.inserted)} ${report.dryRun ? 'would be inserted' : 'inserted'}, ` +
        `${number(report.updated)} ${report.dryRun ? 'would be updated' : 'updated'}, ${number(report.unchanged)} unchanged, ` +
        `${number(report.skipped)} skipped, ${number(report.rejected)} rejected (import ${report.importId}).`,
    );
    if (report.errorCount > 0) {
      print(
        `${number(report.errorCount)} error${report.errorCount === 1 ? '' : 's'}${report.errorCount > report.errors.length ? ` (the first ${report.errors.length} listed)` : ''}:`,
      );
      for (const e of report.errors) print(`  row ${e.row}${e.column === null ? '' : `, ${e.column}`}: ${e.message}`);
      return 1;
    }
    return 0;
  }
  const error = (body as ErrorAnswer | null)?.error ?? { message: `HTTP ${status}`, details: [] };
  print(`Not imported (HTTP ${status}): ${error.message}`);
  printErrors(error.details ?? [], print);
  return 1;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('import-cli.ts')) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
