/**
 * CSV import at scale: 1,000,000 rows streamed over HTTP into the running server (PostgreSQL), against
 * `psql \copy` of the same rows into a table with the same unique key as the data points, in the same run.
 *
 * 1. A fresh schema `bench_import_<random>`; the server is `server/main.ts` itself, in a child process
 *    (`DATABASE_URL` with that schema as search path, listening on a free local port), so its memory can
 *    be read from /proc apart from this process's.
 * 2. The file: a daily indicator with a dimension `group` of 500 values; 500 groups × 2,000 days
 *    (2000-01-01 …) = 1,000,000 rows of `period,group,value` (~27 MB), written to a temporary folder.
 * 3. Import: the file streamed with `http.request` to `POST /api/v1/indicators/{id}/data-points/import`; wall
 *    time from the first byte sent to the answer; the server's RSS sampled every 50 ms (VmRSS). The moment
 *    the last byte is handed to the socket splits the time into "upload, check and stage" (the server reads
 *    as fast as it stages: backpressure) and "duplicate check, merge and commit".
 * 4. Reference: `psql -c "\copy ref from file csv header"` of the same file into
 *    `ref (period text, grp text, value float8, unique (grp, period))`.
 * 5. Then a re-import of the same file (every row unchanged, nothing written).
 * Targets: the import's rows/s ≥ 0.5 × COPY's rows/s; the re-import ≤ 25 % of the first import's time.
 * Everything is dropped at the end.
 *
 * Alone: `npx tsx bench/import.bench.ts` (BENCH_DATABASE_URL, BENCH_IMPORT_ROWS to change the size).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { freePort } from '../test/helpers/free-port.ts';
import type { BenchFigure } from './timing.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN = `bench-admin-${randomBytes(12).toString('hex')}`;

export interface ImportBenchOptions {
  url: string;
  rows?: number;
}

export interface ImportBenchResult {
  figures: BenchFigure[];
}

function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS until stopped; returns the peak. */
function sampleRss(pid: number, everyMs = 50) {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), everyMs);
  return { stop: () => (clearInterval(timer), Math.max(peak, rssOf(pid))) };
}

async function api(base: string, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Streams a file as the body of an import; resolves with the answer and when the last byte was sent. */
function streamImport(
  base: string,
  indicatorId: string,
  file: string,
): Promise<{ status: number; body: any; sentMs: number; totalMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sentMs = 0;
    const url = new URL(`${base}/api/v1/indicators/${indicatorId}/data-points/import`);
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': 'text/csv',
          'content-length': fs.statSync(file).size,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(text),
            sentMs,
            totalMs: performance.now() - started,
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.on('finish', () => (sentMs = performance.now() - started));
    fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(request);
  });
}

function writeFile(file: string, rows: number, groups: number): void {
  const days = Math.ceil(rows / groups);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'period,group,value\n');
  const labels = Array.from({ length: days }, (_, d) => new Date(Date.UTC(2000, 0, 1 + d)).toISOString().slice(0, 10));
  let written = 0;
  for (let g = 0; g < groups && written < rows; g++) {
    let chunk = '';
    for (let d = 0; d < days && written < rows; d++, written++)
      chunk += `${labels[d]},g${g},${((g * 7919 + d * 104729) % 100000) / 100}\n`;
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function waitReady(base: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited: ${log().slice(-2000)}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not become ready: ${log().slice(-2000)}`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

export async function benchImport(options: ImportBenchOptions): Promise<ImportBenchResult> {
  const rows = options.rows ?? 1_000_000;
  const groups = 500;
  const schema = `bench_import_${randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rba-import-bench-'));
  const file = path.join(dir, 'points.csv');
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  let server: ChildProcess | null = null;
  try {
    await admin.query(`create schema "${schema}"`);
    writeFile(file, rows, groups);
    const size = fs.statSync(file).size;
    console.log(`import: ${rows.toLocaleString('en-US')} rows (${mb(size)}), schema ${schema}, file ${file}`);

    // 1. The server, in a child process.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dbUrl = new URL(options.url);
    dbUrl.searchParams.set('options', `-c search_path=${schema}`);
    let log = '';
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl.toString(),
        PORT: String(port),
        HOST: '127.0.0.1',
        RBA_ADMIN_TOKEN: ADMIN,
        SEED_DEMO: '0',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (c) => (log += c));
    server.stderr!.on('data', (c) => (log += c));
    await waitReady(base, server, () => log);
    const pid = server.pid!;

    const initiative = await api(base, 'POST', '/initiatives', { name: `Import bench ${schema}` });
    const result = await api(base, 'POST', `/initiatives/${initiative.id}/results`, { statement: 'Bench' });
    const values = Array.from({ length: groups }, (_, g) => `g${g}`);
    const indicator = await api(base, 'POST', `/results/${result.id}/indicators`, {
      name: 'Daily counts',
      unit: 'count',
      polarity: 'higher_is_better',
      frequency: 'daily',
      dimensions: [{ name: 'group', values }],
    });

    // 2. The import, with the server's RSS sampled.
    const idle = rssOf(pid);
    const sampler = sampleRss(pid);
    const first = await streamImport(base, indicator.id, file);
    const peak = sampler.stop();
    if (first.status !== 200 || first.body.inserted !== rows)
      throw new Error(`the import failed: ${first.status} ${JSON.stringify(first.body).slice(0, 500)}`);
    console.log(
      `import: ${(first.totalMs / 1000).toFixed(1)} s (${rate(rows, first.totalMs)}): upload, check and stage ${(first.sentMs / 1000).toFixed(1)} s; ` +
        `duplicate check, merge and commit ${((first.totalMs - first.sentMs) / 1000).toFixed(1)} s`,
    );
    console.log(
      `import: server RSS ${mb(idle)} before, peak ${mb(peak)} during (+${mb(peak - idle)}) for a ${mb(size)} file`,
    );

    // 3. The reference: psql \copy of the same rows.
    await admin.query(
      `create table "${schema}".ref (period text not null, grp text not null, value double precision not null, unique (grp, period))`,
    );
    const copyStarted = performance.now();
    const copy = await run('psql', [
      options.url,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy "${schema}".ref (period, grp, value) from '${file}' with (format csv, header true)`,
    ]);
    const copyMs = performance.now() - copyStarted;
    if (copy.code !== 0) throw new Error(`psql \\copy failed: ${copy.output}`);
    console.log(`reference: psql \\copy ${(copyMs / 1000).toFixed(1)} s (${rate(rows, copyMs)})`);

    // 4. Re-import: every row unchanged.
    const sampler2 = sampleRss(pid);
    const again = await streamImport(base, indicator.id, file);
    const peak2 = sampler2.stop();
    if (again.status !== 200 || again.body.unchanged !== rows)
      throw new Error(`the re-import failed: ${again.status} ${JSON.stringify(again.body).slice(0, 500)}`);
    console.log(
      `re-import (all unchanged): ${(again.totalMs / 1000).toFixed(1)} s (${rate(rows, again.totalMs)}), server RSS peak ${mb(peak2)}`,
    );

    const ratio = copyMs / first.totalMs; // (rows/s of the import) / (rows/s of COPY)
    const met = ratio >= 0.5;
    console.log(
      `import/COPY throughput ratio ${ratio.toFixed(2)} (target ≥ 0.50): ${met ? 'MET' : 'MISSED'}; peak server RSS ${mb(peak)}`,
    );
    const share = again.totalMs / first.totalMs;
    const shareMet = share <= 0.25;
    console.log(
      `re-import/first import time ${(share * 100).toFixed(0)} % (target ≤ 25 %): ${shareMet ? 'MET' : 'MISSED'}`,
    );
    return {
      figures: [
        {
          name: `CSV import PostgreSQL, ${(rows / 1e6).toFixed(rows % 1e6 ? 2 : 0)}M rows over HTTP`,
          value: rate(rows, first.totalMs),
          target: '≥ 0.5 × COPY',
          reference: `psql \\copy ${rate(rows, copyMs)}`,
          ratio: ratio.toFixed(2),
          verdict: met ? 'MET' : 'MISSED',
        },
        {
          name: 'CSV re-import of the unchanged file',
          value: `${(again.totalMs / 1000).toFixed(1)} s`,
          target: '≤ 25 % of the first import',
          reference: `first import ${(first.totalMs / 1000).toFixed(1)} s`,
          ratio: share.toFixed(2),
          verdict: shareMet ? 'MET' : 'MISSED',
        },
        {
          name: 'CSV import peak server RSS',
          value: mb(peak),
          target: 'bounded',
          reference: `idle ${mb(idle)}, file ${mb(size)}`,
          ratio: '—',
          verdict: 'info',
        },
      ],
    };
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const rows = process.env.BENCH_IMPORT_ROWS ? Number(process.env.BENCH_IMPORT_ROWS) : undefined;
  benchImport({ url, ...(rows !== undefined && { rows }) }).then(
    ({ figures }) => {
      for (const f of figures)
        console.log(
          `${f.name}: ${f.value} (target ${f.target}; reference ${f.reference}; ratio ${f.ratio}) ${f.verdict}`,
        );
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
