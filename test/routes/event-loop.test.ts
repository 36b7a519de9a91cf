/**
 * A large group analysis (20 groups × 1,200 monthly periods) does not stop the server: while its analysis,
 * group chart, SVG and embed page are computed (in the worker thread, services/off-loop.ts; the 25,200 points
 * read in chunks, repositories/chunked-read.ts) and compressed as a browser asks (in the thread pool,
 * cache/compression.ts), or its CSV export is streamed (a page per loop turn), `/healthz` keeps answering.
 * Inline, each took 3–14 s of CPU on the event loop, and `/healthz` waited as long; the longest block is now
 * 50–160 ms of CPU (bench/event-loop.bench.ts), bounded here with room for a loaded CI machine.
 */
import { brotliDecompressSync } from 'node:zlib';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';

const api = await buildTestApp(t);
const GROUPS = Array.from({ length: 20 }, (_, g) => `g${String(g).padStart(2, '0')}`);
const { indicator } = await createFixture(api, {
  frequency: 'monthly',
  dimensions: [{ name: 'group', values: GROUPS }],
});
const period = (i: number) => `${1925 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
const lines = ['period,group,value'];
for (let i = 0; i < 1_200; i++) {
  lines.push(`${period(i)},,${(10 + Math.sin(i / 10)).toFixed(3)}`);
  for (const [g, group] of GROUPS.entries())
    lines.push(`${period(i)},${group},${(8 + g / 4 + Math.cos(i / 7)).toFixed(3)}`);
}
const imported = await api.request({
  method: 'POST',
  url: `/api/v1/indicators/${indicator.id}/data-points/import`,
  payload: lines.join('\n'),
  headers: { 'content-type': 'text/csv' },
});
if (imported.status !== 200) throw new Error(imported.raw);

// The answer's first characters once decoded, and whether it comes compressed (the analysis and the CSV are
// not cached, so not compressed by this server: a proxy in front may).
for (const [url, start, compressed] of [
  [`/api/v1/indicators/${indicator.id}/analysis`, '{"indicatorId":', false],
  [`/api/v1/indicators/${indicator.id}/chart.vl.json?view=groups`, '{"$schema":', true],
  [`/api/v1/indicators/${indicator.id}/chart.svg?view=groups`, '<svg', true],
  [`/embed/indicators/${indicator.id}`, '<!doctype html>', true],
  // Streamed page by page, each page on a loop turn of its own (repositories/exports.ts).
  [`/api/v1/indicators/${indicator.id}/data.csv`, 'period,', false],
] as const) {
  const path = url.replace(indicator.id, '{id}');
  t.test(`/healthz answers while ${path} of 20 groups × 1,200 periods is computed`, async (t) => {
    let done = false;
    // As a browser asks: a large answer is compressed too (brotli, ~0.2–0.3 s of CPU for the group SVG).
    const heavy = api.app
      .inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'accept-encoding': 'gzip, deflate, br' },
      })
      .finally(() => (done = true));
    let slowest = 0;
    let answered = 0;
    while (!done) {
      const started = performance.now();
      const health = await api.request({ method: 'GET', url: '/healthz', as: null });
      slowest = Math.max(slowest, performance.now() - started);
      if (health.status === 200) answered++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answer = await heavy;
    t.equal(answer.statusCode, 200);
    t.equal(answer.headers['content-encoding'], compressed ? 'br' : undefined);
    const text = (compressed ? brotliDecompressSync(answer.rawPayload) : answer.rawPayload).toString('utf8');
    t.equal(text.slice(0, start.length).toLowerCase(), start.toLowerCase());
    t.ok(answered >= 1, `/healthz answered ${answered} times meanwhile`);
    // 300 ms: ≤ 161 ms of the loop thread's CPU per block (bench/event-loop.bench.ts), and a loaded machine
    // stretches that in wall time (seen: 7–260 ms at load averages 16–19 on 2 cores). Was 500 ms.
    t.ok(slowest < 300, `slowest /healthz: ${Math.round(slowest)} ms`);
  });
}
