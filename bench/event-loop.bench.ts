/**
 * The longest event-loop block of one request (issue 13 item 4): a monthly indicator with one dimension of
 * 20 groups × 1,200 periods (24,000 group points plus the 1,200 totals), loaded by CSV import into an app on
 * an in-memory PGlite in this process; then each heavy read is made once (caches are empty: a fresh `asOf`
 * each time, as an anonymous caller could) while a 5 ms interval timer records the longest gap between its
 * ticks (perf_hooks' monitorEventLoopDelay reads 0 under inject: it samples only when the loop turns). Prints, per request: wall time and the longest delay of the loop (what every other request waited at
 * worst), with the most CPU time the loop's thread spent between two ticks (what that delay is on an idle
 * machine; Linux only). Also the scorecard of a second result of 200 indicators × 120 monthly points.
 *
 * `npx tsx bench/event-loop.bench.ts` (BENCH_GROUPS, BENCH_PERIODS, BENCH_SCORECARD_INDICATORS to change the
 * sizes; BENCH_ENCODING='gzip, deflate, br' to ask for compressed answers, as browsers do).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { benchSeries } from './data.ts';
import { inProcessApp } from './in-process-app.ts';

const GROUPS = Number(process.env.BENCH_GROUPS ?? 20);
const PERIODS = Number(process.env.BENCH_PERIODS ?? 1_200);
/** The indicators (× 120 monthly points) of a second, very large result, for its scorecard. */
const SCORECARD_INDICATORS = Number(process.env.BENCH_SCORECARD_INDICATORS ?? 200);
const only = process.env.BENCH_ONLY; // a request's name: profile one alone

const { app, auth, post, resultId, close } = await inProcessApp();
const groups = Array.from({ length: GROUPS }, (_, g) => `g${String(g).padStart(2, '0')}`);
const indicator = await post(`/api/v1/results/${resultId}/indicators`, {
  name: 'Unemployment rate',
  unit: 'percent',
  polarity: 'lower_is_better',
  frequency: 'monthly',
  dimensions: [{ name: 'group', values: groups }],
});
const firstYear = 2025 - Math.ceil(PERIODS / 12);
const period = (i: number) => `${firstYear + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
const lines = ['period,group,value'];
for (let i = 0; i < PERIODS; i++) {
  lines.push(`${period(i)},,${(10 + Math.sin(i / 10)).toFixed(3)}`);
  for (const [g, group] of groups.entries())
    lines.push(`${period(i)},${group},${(8 + g / 4 + Math.cos(i / 7)).toFixed(3)}`);
}
const imported = await app.inject({
  method: 'POST',
  url: `/api/v1/indicators/${indicator.id}/data-points/import`,
  payload: lines.join('\n'),
  headers: { ...auth, 'content-type': 'text/csv' },
});
if (imported.statusCode !== 200) throw new Error(imported.body);

// A very large result: SCORECARD_INDICATORS indicators of 120 monthly points (bench/data.ts), made through the API.
let largeResultId: string | null = null;
if (only === undefined || only === 'large result scorecard') {
  const { initiativeId } = (
    await app.inject({ method: 'GET', url: `/api/v1/results/${resultId}`, headers: auth })
  ).json<{ initiativeId: string }>();
  largeResultId = (
    await post(`/api/v1/initiatives/${initiativeId}/results`, {
      statement: 'More residents in good jobs',
      population: 'Working-age residents',
      geography: 'Detroit',
      timeFrame: { start: 2011, end: 2025 },
    })
  ).id;
  for (let i = 0; i < SCORECARD_INDICATORS; i++) {
    const { indicator: series, points } = benchSeries(i);
    const created = await post(`/api/v1/results/${largeResultId}/indicators`, {
      name: `Indicator ${i + 1}`,
      unit: series.unit,
      polarity: series.polarity,
      frequency: series.frequency,
      baselinePeriod: series.baselinePeriod,
      target: series.target,
    });
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/indicators/${created.id}/data-points`,
      payload: { points: points.map((p) => ({ period: p.period, value: p.value })) },
      headers: auth,
    });
    if (put.statusCode !== 200) throw new Error(put.body);
  }
}

/**
 * This thread's time on a CPU so far, in ms (Linux: /proc/thread-self/schedstat), or null elsewhere. On a
 * shared machine a block's wall time grows with the load (the thread waits for a core); its CPU time is
 * what it would be on an idle one.
 */
function threadCpuMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/**
 * The longest time the loop could not run a 5 ms timer, minus those 5 ms; and the most CPU time the loop's
 * thread spent between two ticks (null where it cannot be read).
 */
function loopWatch(): () => { wall: number; cpu: number | null } {
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let longest = 0;
  let longestCpu = 0;
  const tick = () => {
    const now = performance.now();
    const cpu = threadCpuMs();
    longest = Math.max(longest, now - last - 5);
    if (cpu !== null && lastCpu !== null) longestCpu = Math.max(longestCpu, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, 5);
  return () => {
    clearInterval(timer);
    tick();
    return { wall: longest, cpu: lastCpu === null ? null : longestCpu };
  };
}
let asOfSecond = 0;
const requests: Array<[string, string, 'no asOf'?]> = [
  ['analysis', `/api/v1/indicators/${indicator.id}/analysis`],
  ['chart.vl.json?view=groups', `/api/v1/indicators/${indicator.id}/chart.vl.json?view=groups`],
  ['chart.svg', `/api/v1/indicators/${indicator.id}/chart.svg`],
  ['chart.svg?view=groups', `/api/v1/indicators/${indicator.id}/chart.svg?view=groups`],
  // Other reads an anonymous caller can make of the same data.
  ['embed page', `/embed/indicators/${indicator.id}`],
  ['data.csv', `/api/v1/indicators/${indicator.id}/data.csv`],
  ['data-points?limit=1000', `/api/v1/indicators/${indicator.id}/data-points?limit=1000`],
  ['result scorecard', `/api/v1/results/${resultId}/scorecard`],
  // The first read of the current data fits and stores every baseline (a read asOf a moment never stores);
  // later reads reuse the stored fits, as most reads do.
  ['large result scorecard', `/api/v1/results/${largeResultId}/scorecard`, 'no asOf'],
  ['large result scorecard', `/api/v1/results/${largeResultId}/scorecard`],
];
console.log(
  `${GROUPS} groups × ${PERIODS} monthly periods (${lines.length - 1} points); large result: ${SCORECARD_INDICATORS} indicators × 120 points`,
);
for (const [name, url, noAsOf] of requests.filter(([name]) => only === undefined || name === only)) {
  // A fresh asOf (a second later each time) misses every cache, as a caller varying it would.
  const asOf = noAsOf ? null : new Date(Date.UTC(2030, 0, 1, 0, 0, ++asOfSecond)).toISOString();
  const stop = loopWatch();
  const started = performance.now();
  const res = await app.inject({
    method: 'GET',
    url: asOf === null ? url : `${url}${url.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`,
    // As a browser asks: compressed answers are compressed on this thread (server/cache/compression.ts).
    headers: { ...auth, ...(process.env.BENCH_ENCODING ? { 'accept-encoding': process.env.BENCH_ENCODING } : {}) },
  });
  const ms = performance.now() - started;
  const longest = stop();
  const cpu = longest.cpu === null ? '' : ` (CPU ${longest.cpu.toFixed(0).padStart(4)} ms)`;
  console.log(
    `${(noAsOf ? `${name} (${noAsOf})` : name).padEnd(36)} ${res.statusCode}  ${(res.rawPayload.length / 1e6).toFixed(1).padStart(5)} MB  wall ${ms.toFixed(0).padStart(6)} ms  longest loop block ${longest.wall.toFixed(0).padStart(6)} ms${cpu}`,
  );
}
await close();
