/**
 * `npm run bench`: the engine and scorecard benchmarks in sequence, then a summary table. Each figure is
 * printed with a reference measured in the same run (these machines are shared and noisy). The exit code
 * is 0 even when a target is missed (the line says MISSED); it is 1 only when a benchmark cannot run.
 *
 * Environment:
 * - BENCH_DATABASE_URL: PostgreSQL for the scorecard (default postgres://postgres@127.0.0.1:5432/test);
 * - BENCH_PGLITE=0 skips the PGlite scorecard (information only).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchDashboards } from './dashboards.bench.ts';
import { benchEngine } from './engine.bench.ts';
import { benchForecast } from './forecast.bench.ts';
import { benchScorecard } from './scorecard.bench.ts';
import type { BenchFigure } from './timing.ts';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const withPglite = process.env.BENCH_PGLITE !== '0';

function table(figures: readonly BenchFigure[]): string {
  const header: BenchFigure = {
    name: 'benchmark',
    value: 'figure',
    target: 'target',
    reference: 'reference (same run)',
    ratio: 'ratio',
    verdict: 'MET',
  };
  const rows = [header, ...figures];
  const cols: Array<keyof BenchFigure> = ['name', 'value', 'target', 'reference', 'ratio', 'verdict'];
  const widths = cols.map((c) =>
    Math.max(...rows.map((r, i) => (i === 0 && c === 'verdict' ? 7 : String(r[c]).length))),
  );
  const line = (r: BenchFigure, i: number) =>
    cols
      .map((c, j) => (i === 0 && c === 'verdict' ? 'verdict' : String(r[c])).padEnd(widths[j]!))
      .join(' │ ')
      .trimEnd();
  return [line(header, 0), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...figures.map((f) => line(f, 1))].join('\n');
}

async function main(): Promise<number> {
  const started = performance.now();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `RBA indicator tracker benchmarks — Node ${process.version}, ${os.cpus().length} × ${cpu}, load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  console.log('');
  const figures: BenchFigure[] = [];
  let failed = false;

  figures.push(benchEngine().figure);
  console.log('');
  figures.push(...benchForecast().figures);
  console.log('');

  try {
    figures.push(...(await benchScorecard({ kind: 'postgres', url })).figures);
  } catch (error) {
    failed = true;
    console.log(`scorecard (PostgreSQL) could not run: ${(error as Error).message}`);
    console.log('  start the server with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
  }
  console.log('');

  if (withPglite) {
    try {
      figures.push(...(await benchScorecard({ kind: 'pglite', rounds: 3 })).figures);
    } catch (error) {
      console.log(`scorecard (PGlite) could not run: ${(error as Error).message}`);
    }
    console.log('');
  }

  figures.push(
    ...(await import('./import.bench.ts')
      .then((m) => m.benchImport({ url }))
      .then(
        (r) => r.figures,
        (error: Error) => (console.log(`CSV import could not run: ${error.message}`), []),
      )),
  );

  try {
    figures.push(...(await benchDashboards()));
  } catch (error) {
    failed = true;
    console.log(`dashboards could not run: ${(error as Error).message}`);
  }
  console.log('');

  console.log(table(figures));
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
