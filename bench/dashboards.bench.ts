/**
 * Dashboards benchmark (issue "Vega-Lite dashboards and accessible embeds"):
 * 1. throughput and p99 latency of a cached public `chart.vl.json` against a bare Fastify route returning a
 *    small JSON, both served by one child process and loaded with autocannon at 50 connections in the same
 *    run, in interleaved rounds (the machine is shared: load that comes and goes then weighs on both) —
 *    target ≥ 0.6 of the bare route's requests per second;
 * 2. the total bytes an embed page transfers (page + scripts + stylesheet, compressed as a browser asks).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { median, type BenchFigure } from './timing.ts';

const CONNECTIONS = 50;
/** Seconds of load on each of the two URLs, in `ROUNDS` rounds that alternate between them. */
const DURATION_S = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_DASHBOARD_ROUNDS ?? 5);
const TARGET_RATIO = 0.6;
/** As browsers and CDNs ask (the spec is ~40 KiB as JSON, ~4 KiB as brotli). */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'br, gzip';

interface Servers {
  bareUrl: string;
  appUrl: string;
  indicatorId: string;
  resultId: string;
}

async function startServers(): Promise<{ servers: Servers; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/dashboards-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code})`)));
  });
  return { servers: JSON.parse(line) as Servers, stop: () => child.kill('SIGTERM') };
}

interface Load {
  requests: number;
  seconds: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, seconds: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'accept-encoding': ACCEPT_ENCODING },
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Requests per second over all rounds, the median round's p99, errors summed. */
function total(loads: readonly Load[]): { rps: number; p99: number; errors: number; non2xx: number } {
  const sum = (pick: (l: Load) => number) => loads.reduce((acc, l) => acc + pick(l), 0);
  return {
    rps: sum((l) => l.requests) / sum((l) => l.seconds),
    p99: median(loads.map((l) => l.p99)),
    errors: sum((l) => l.errors),
    non2xx: sum((l) => l.non2xx),
  };
}

/** Bytes an embed page costs a first-time visitor: the page and every asset it links, compressed. */
async function embedBytes(appUrl: string, path: string): Promise<{ total: number; parts: Array<[string, number]> }> {
  const fetchSize = async (url: string) => {
    const response = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
    const buffer = await response.arrayBuffer(); // fetch decompresses; measure what crossed the wire
    const wire = Number(response.headers.get('content-length') ?? buffer.byteLength);
    return { wire, text: new TextDecoder().decode(buffer) };
  };
  const page = await fetchSize(`${appUrl}${path}`);
  const parts: Array<[string, number]> = [[path, page.wire]];
  for (const [, asset] of page.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
    parts.push([asset!, (await fetchSize(`${appUrl}${asset}`)).wire]);
  }
  return { total: parts.reduce((sum, [, bytes]) => sum + bytes, 0), parts };
}

export async function benchDashboards(log: (line: string) => void = console.log): Promise<BenchFigure[]> {
  const { servers, stop } = await startServers();
  try {
    const chartUrl = `${servers.appUrl}/api/v1/indicators/${servers.indicatorId}/chart.vl.json`;
    const bareUrl = `${servers.bareUrl}/hello`;
    await fetch(chartUrl); // fill the cache
    log(
      `dashboards: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s on each URL in ${ROUNDS} alternating rounds, server in a child process`,
    );
    await load(bareUrl, 1); // warm-up, not counted
    await load(chartUrl, 1);
    const bareRounds: Load[] = [];
    const chartRounds: Load[] = [];
    const seconds = DURATION_S / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so a trend in the machine's load does not favour one of them.
      if (round % 2 === 0) {
        bareRounds.push(await load(bareUrl, seconds));
        chartRounds.push(await load(chartUrl, seconds));
      } else {
        chartRounds.push(await load(chartUrl, seconds));
        bareRounds.push(await load(bareUrl, seconds));
      }
    }
    const bare = total(bareRounds);
    const chart = total(chartRounds);
    log(`  bare Fastify route (reference): ${bare.rps.toFixed(0)} req/s, p99 ${bare.p99} ms`);
    log(
      `  cached public chart.vl.json:    ${chart.rps.toFixed(0)} req/s, p99 ${chart.p99} ms (errors ${chart.errors}, non-2xx ${chart.non2xx})`,
    );
    const perRound = chartRounds.map((c, i) =>
      (c.requests / c.seconds / (bareRounds[i]!.requests / bareRounds[i]!.seconds)).toFixed(2),
    );
    log(`  chart / bare, round by round: ${perRound.join(' ')}`);
    const share = chart.rps / bare.rps;
    const met = share >= TARGET_RATIO && chart.non2xx === 0;
    log(
      `dashboards: cached chart.vl.json at ${(share * 100).toFixed(0)} % of the bare route (target ≥ ${TARGET_RATIO * 100} %) ${met ? 'MET' : 'MISSED'}`,
    );

    const indicatorPage = await embedBytes(servers.appUrl, `/embed/indicators/${servers.indicatorId}`);
    const resultPage = await embedBytes(servers.appUrl, `/embed/results/${servers.resultId}`);
    for (const [name, page] of [
      ['indicator', indicatorPage],
      ['scorecard', resultPage],
    ] as const) {
      log(
        `  embed page (${name}): ${(page.total / 1024).toFixed(0)} KiB transferred — ${page.parts.map(([p, b]) => `${p.split('/').pop()} ${(b / 1024).toFixed(1)} KiB`).join(', ')}`,
      );
    }
    return [
      {
        name: `cached chart.vl.json, ${CONNECTIONS} conn.`,
        value: `${chart.rps.toFixed(0)} req/s, p99 ${chart.p99} ms`,
        target: `≥ ${TARGET_RATIO} × bare`,
        reference: `bare route ${bare.rps.toFixed(0)} req/s`,
        ratio: share.toFixed(2),
        verdict: met ? 'MET' : 'MISSED',
      },
      {
        name: 'embed page bytes (indicator)',
        value: `${(indicatorPage.total / 1024).toFixed(0)} KiB`,
        target: '—',
        reference: `page alone ${(indicatorPage.parts[0]![1] / 1024).toFixed(1)} KiB`,
        ratio: '—',
        verdict: 'info',
      },
    ];
  } finally {
    stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchDashboards().then(() => process.exit(0));
}
