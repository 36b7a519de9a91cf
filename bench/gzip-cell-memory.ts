/**
 * Decompression amplification (issue 13 item 8): a ~400 KB gzip CSV whose one cell unpacks to 400 MB, posted
 * to `POST /indicators/{id}/data-points/import` of an app on an in-memory PGlite, in this process. Prints the
 * time to the answer and how much the process's RSS grew (its peak, sampled every 10 ms, over the RSS just
 * before the request). Before the record limit the parser held the whole cell: 33.9 s and +725 MB measured.
 *
 * `npx tsx bench/gzip-cell-memory.ts` (BENCH_CELL_MB to change the cell's size).
 */
import { performance } from 'node:perf_hooks';
import { createGzip } from 'node:zlib';
import { inProcessApp } from './in-process-app.ts';

const CELL_MB = Number(process.env.BENCH_CELL_MB ?? 400);

/** period,value,note then one row whose note is CELL_MB of 'a', compressed chunk by chunk (never whole in memory). */
async function gzipBomb(): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write('period,value,note\n2020,1,"');
  const mb = Buffer.alloc(1024 * 1024, 'a');
  for (let i = 0; i < CELL_MB; i++) if (!gzip.write(mb)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end('"\n');
  await done;
  return Buffer.concat(out);
}

const { app, auth, post, resultId, close } = await inProcessApp();
const indicator = await post(`/api/v1/results/${resultId}/indicators`, {
  name: 'Unemployment rate',
  unit: 'percent',
  polarity: 'lower_is_better',
  frequency: 'annual',
});

const body = await gzipBomb();
global.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const started = performance.now();
const answer = await app.inject({
  method: 'POST',
  url: `/api/v1/indicators/${indicator.id}/data-points/import`,
  payload: body,
  headers: { ...auth, 'content-type': 'text/csv', 'content-encoding': 'gzip' },
});
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  `gzip of ${(body.length / 1024).toFixed(0)} KB (one ${CELL_MB} MB cell): ${answer.statusCode} in ${ms.toFixed(0)} ms, ` +
    `RSS +${((peak - before) / 1024 / 1024).toFixed(0)} MB (from ${(before / 1024 / 1024).toFixed(0)} MB)`,
);
console.log(`  ${answer.body.slice(0, 200)}`);
await close();
