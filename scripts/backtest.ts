/**
 * `npm run backtest`: rolling-origin evaluation of the baseline forecast on the real series shipped in
 * `vega-datasets` (scripts/real-series.ts).
 *
 * For every series and origin o (a data point taken as the baseline period b): fit on the points up to o,
 * forecast the next K observed points (K = 12 monthly, 8 quarterly, 5 annual), and compare with what
 * happened. Origins: from the n₀-th point on (n₀ = 36 monthly, 16 quarterly, 8 annual), at most 8 per
 * series, evenly spaced, the last one K points before the end when the series allows.
 *
 * - MASE of one origin = mean |error| over its horizons ÷ the mean absolute one-step change of the history
 *   up to o (Hyndman & Koehler 2006, non-seasonal scaling); origins whose history never changes are skipped.
 * - Coverage = share of the (origin, horizon) outcomes inside the 90 % prediction interval.
 * - False alarms = share of (origin, horizon) checks where the curve status is `turned` or `worsened`:
 *   nothing was done at any backtest origin, so every such verdict is false.
 *
 * Methods: `auto` (the engine's default), `linear` (OLS on the whole history; and on the last 10 points),
 * naive (the last value; interval ±z·σ₁·√h with σ₁ the SD of one-step changes) and drift (the line from the
 * first to the last point; interval ±z·σ₁·√(h(1 + h/(n − 1)))), and `r_ets`: R's `forecast::ets()` at the
 * same origins, read from test/fixtures/backtest-r/ets-forecasts.json (scripts/r-reference/backtest-reference.R)
 * when that file exists. auto's mean MASE is compared with R's on the origins both forecast, and auto's
 * 90 % coverage is broken down by the class of the chosen model (1 additive, 2 multiplicative error,
 * 3 multiplicative error and season: the analytical variances of docs/methodology.md §3).
 *
 * Options: --json prints the table as JSON; --markdown as a Markdown table (for docs/methodology.md);
 * --by-source adds rows per data set; --variants prints the false-alarm rate of alternative curve rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitBaseline, resolveBounds } from '../server/engine/baseline-forecast.ts';
import { curveStatus } from '../server/engine/curve-status.ts';
import { normalHalfWidth } from '../server/engine/ets-forecast.ts';
import type { ForecastOption } from '../server/engine/forecast-model.ts';
import { HORIZON, origins } from './backtest-origins.ts';
import { loadRealSeries, type RealSeries } from './real-series.ts';

const LEVEL = 0.9;
/** --by-source: also a row per data set; --variants: false-alarm rates of other curve rules (for §4). */
const BY_SOURCE = process.argv.includes('--by-source');
const VARIANTS = process.argv.includes('--variants');

type MethodName = 'auto' | 'linear' | 'linear_last10' | 'naive' | 'drift' | 'r_ets';
/** R's ets() at the same origins, when its forecasts are in the repository (scripts/r-reference/). */
const R_FORECASTS = readRForecasts();
const METHODS: MethodName[] = [
  'auto',
  'linear',
  'linear_last10',
  'naive',
  'drift',
  ...(R_FORECASTS ? (['r_ets'] as const) : []),
];

/** test/fixtures/backtest-r/ets-forecasts.json keyed by "id#origin"; null when the file is absent. */
function readRForecasts(): Map<string, Forecasted[] | null> | null {
  const file = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '../test/fixtures/backtest-r/ets-forecasts.json',
  );
  if (!fs.existsSync(file)) return null;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    forecasts: Array<{
      id: string;
      origin: number;
      mean: number[] | number | null;
      lower: number[] | number | null;
      upper: number[] | number | null;
    }>;
  };
  const list = (v: number[] | number | null): number[] | null => (v === null ? null : Array.isArray(v) ? v : [v]);
  return new Map(
    parsed.forecasts.map((f) => {
      const mean = list(f.mean);
      const lower = list(f.lower);
      const upper = list(f.upper);
      return [
        `${f.id}#${f.origin}`,
        mean === null ? null : mean.map((value, i) => ({ value, lower: lower![i]!, upper: upper![i]! })),
      ];
    }),
  );
}

/** Hyndman et al. (2008)'s class of an ETS model code: 1 additive, 2 multiplicative error, 3 and season. */
function modelClass(code: string): string {
  return code.startsWith('A') ? 'class 1' : code.endsWith('M') ? 'class 3' : 'class 2';
}
const ENGINE_OPTIONS: Partial<Record<MethodName, ForecastOption>> = {
  auto: { method: 'auto' },
  linear: { method: 'linear' },
  linear_last10: { method: 'linear', window: 10 },
};

interface Tally {
  mase: number[];
  inside: number;
  outcomes: number;
  alarms: number;
  checks: number;
}
const tally = (): Tally => ({ mase: [], inside: 0, outcomes: 0, alarms: 0, checks: 0 });

interface Forecasted {
  value: number;
  lower: number | null;
  upper: number | null;
}

function baselineForecasts(
  method: MethodName,
  series: RealSeries,
  o: number,
  future: RealSeries['points'],
): Array<Forecasted | null> {
  const history = series.points.slice(0, o + 1);
  const calendar = { frequency: series.frequency };
  if (method === 'r_ets') return R_FORECASTS?.get(`${series.id}#${o}`) ?? future.map(() => null);
  if (ENGINE_OPTIONS[method]) {
    const fit = fitBaseline({
      series: history,
      calendar,
      baselinePeriod: history.at(-1)!.period,
      target: null,
      bounds: resolveBounds('other', null),
      override: [],
      level: LEVEL,
      forecast: ENGINE_OPTIONS[method],
    });
    return future.map((p) => fit.at(p.period));
  }
  // naive and drift, in steps of observed points
  const y = history.map((p) => p.value);
  const n = y.length;
  const diffs = y.slice(1).map((v, i) => v - y[i]!);
  const meanDiff = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const sd =
    method === 'naive'
      ? Math.sqrt(diffs.reduce((a, d) => a + d * d, 0) / diffs.length)
      : Math.sqrt(diffs.reduce((a, d) => a + (d - meanDiff) ** 2, 0) / Math.max(1, diffs.length - 1));
  const z = normalHalfWidth(LEVEL);
  return future.map((_, i) => {
    const h = i + 1;
    const value = method === 'naive' ? y[n - 1]! : y[n - 1]! + h * meanDiff;
    const half = z * sd * Math.sqrt(method === 'naive' ? h : h * (1 + h / (n - 1)));
    return { value, lower: value - half, upper: value + half };
  });
}

function run(): {
  rows: Array<Record<string, string | number>>;
  series: number;
  origins: number;
  paired: { auto: number[]; r: number[] };
  classes: Array<{ class: string; fits: number; outcomes: number; coverage90: number }>;
} {
  const all = loadRealSeries();
  const groups = new Map<string, Map<MethodName, Tally>>();
  const group = (key: string): Map<MethodName, Tally> => {
    let g = groups.get(key);
    if (!g) {
      g = new Map(METHODS.map((m) => [m, tally()]));
      groups.set(key, g);
    }
    return g;
  };
  let originCount = 0;
  let used = 0;
  const paired = { auto: [] as number[], r: [] as number[] };
  const byClass = new Map<string, { inside: number; outcomes: number; fits: number }>();
  for (const series of all) {
    const os = origins(series.points.length, series.frequency);
    if (os.length > 0) used++;
    for (const o of os) {
      const history = series.points.slice(0, o + 1);
      const future = series.points.slice(o + 1, o + 1 + HORIZON[series.frequency]!);
      let scale = 0;
      for (let i = 1; i < history.length; i++) scale += Math.abs(history[i]!.value - history[i - 1]!.value);
      scale /= history.length - 1;
      if (!(scale > 0)) continue;
      originCount++;
      const originMase = new Map<MethodName, number>();
      for (const method of METHODS) {
        const forecasts = baselineForecasts(method, series, o, future);
        let absError = 0;
        let k = 0;
        const t = [group(series.frequency).get(method)!, group('all').get(method)!];
        if (BY_SOURCE) t.push(group(`source:${series.id.split('/')[0]}`).get(method)!);
        forecasts.forEach((f, i) => {
          if (!f) return;
          const actual = future[i]!.value;
          absError += Math.abs(actual - f.value);
          k++;
          if (f.lower !== null && f.upper !== null) {
            for (const x of t) {
              x.outcomes++;
              if (actual >= f.lower && actual <= f.upper) x.inside++;
            }
          }
        });
        if (k > 0) {
          for (const x of t) x.mase.push(absError / k / scale);
          originMase.set(method, absError / k / scale);
        }
        if (ENGINE_OPTIONS[method]) {
          const fit = fitBaseline({
            series: history,
            calendar: { frequency: series.frequency },
            baselinePeriod: history.at(-1)!.period,
            target: null,
            bounds: resolveBounds('other', null),
            override: [],
            level: LEVEL,
            forecast: ENGINE_OPTIONS[method],
          });
          if (method === 'auto' && fit.fitted?.model?.method === 'ets') {
            const c = modelClass(fit.fitted.model.model);
            const entry = byClass.get(c) ?? { inside: 0, outcomes: 0, fits: 0 };
            entry.fits++;
            forecasts.forEach((f, i) => {
              if (!f || f.lower === null || f.upper === null) return;
              entry.outcomes++;
              if (future[i]!.value >= f.lower && future[i]!.value <= f.upper) entry.inside++;
            });
            byClass.set(c, entry);
          }
          for (let h = 1; h <= future.length; h++) {
            const curve = curveStatus({
              polarity: 'higher_is_better',
              forecastMethod: fit.forecast.method,
              postBaseline: future.slice(0, h),
              forecastAt: fit.at,
            });
            for (const x of t) {
              x.checks++;
              if (curve.status === 'turned' || curve.status === 'worsened') x.alarms++;
            }
            if (VARIANTS && method === 'auto') variants(curve);
          }
        }
      }
      if (originMase.has('auto') && originMase.has('r_ets')) {
        paired.auto.push(originMase.get('auto')!);
        paired.r.push(originMase.get('r_ets')!);
      }
    }
  }
  const rows: Array<Record<string, string | number>> = [];
  for (const key of [
    'monthly',
    'quarterly',
    'annual',
    'all',
    ...[...groups.keys()].filter((k) => k.startsWith('source:')),
  ]) {
    const g = groups.get(key);
    if (!g) continue;
    for (const method of METHODS) {
      const x = g.get(method)!;
      rows.push({
        group: key,
        method,
        forecasts: x.mase.length,
        meanMase: round(mean(x.mase), 3),
        medianMase: round(median(x.mase), 3),
        coverage90: x.outcomes ? round(x.inside / x.outcomes, 3) : '–',
        falseAlarms: x.checks ? round(x.alarms / x.checks, 3) : '–',
      });
    }
  }
  const classes = [...byClass.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, v]) => ({ class: c, fits: v.fits, outcomes: v.outcomes, coverage90: round(v.inside / v.outcomes, 3) }));
  return { rows, series: used, origins: originCount, paired, classes };
}

const variantCounts = new Map<string, number>();
let variantChecks = 0;
function variants(curve: ReturnType<typeof curveStatus>): void {
  variantChecks++;
  const pts = curve.points;
  const out = (p: (typeof pts)[number] | undefined): number =>
    !p || p.lower === null || p.upper === null ? 0 : p.value > p.upper ? 1 : p.value < p.lower ? -1 : 0;
  const last = out(pts.at(-1));
  const prev = out(pts.at(-2));
  const runFires = curve.run.limit !== null && curve.run.currentRun > curve.run.limit;
  const add = (k: string, v: boolean) => variantCounts.set(k, (variantCounts.get(k) ?? 0) + (v ? 1 : 0));
  add('interval latest', last !== 0);
  add('interval two in a row', last !== 0 && last === prev);
  add('run (Anhøj)', runFires);
  add('interval latest + run', last !== 0 || runFires);
  add('two in a row + run', (last !== 0 && last === prev) || runFires);
  add('two in a row + run with latest outside', (last !== 0 && last === prev) || (runFires && last !== 0));
}
process.on('exit', () => {
  if (!variantChecks) return;
  for (const [k, v] of variantCounts) console.log(`${k}: ${(v / variantChecks).toFixed(3)}`);
});

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const round = (v: number, d: number): number => Number(v.toFixed(d));

function markdown(rows: Array<Record<string, string | number>>): string {
  const cols = ['group', 'method', 'forecasts', 'meanMase', 'medianMase', 'coverage90', 'falseAlarms'];
  const head = ['frequency', 'method', 'origins', 'mean MASE', 'median MASE', '90 % coverage', 'false alarms'];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('backtest.ts')) {
  const started = performance.now();
  const { rows, series, origins: count, paired, classes } = run();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ rows, classes }, null, 2));
  else if (process.argv.includes('--markdown')) console.log(markdown(rows));
  else {
    console.table(rows);
    console.table(classes);
  }
  if (paired.r.length > 0) {
    console.log(
      `auto vs R ets() on the same ${paired.r.length} origins: mean MASE ${mean(paired.auto).toFixed(3)} vs ` +
        `${mean(paired.r).toFixed(3)}, ratio ${(mean(paired.auto) / mean(paired.r)).toFixed(3)} (target ≤ 1.10)`,
    );
  } else
    console.log('no R reference forecasts (test/fixtures/backtest-r/ets-forecasts.json): see scripts/r-reference/');
  const auto = rows.find((r) => r.group === 'all' && r.method === 'auto')!;
  const naive = rows.find((r) => r.group === 'all' && r.method === 'naive')!;
  const ratio = Number(auto.meanMase) / Number(naive.meanMase);
  console.log(
    `${series} series, ${count} origins, ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
      `auto/naive mean MASE ${ratio.toFixed(3)} (target ≤ 0.65); auto 90 % coverage ${auto.coverage90} ` +
      `(target 0.85–0.95); false alarms ${auto.falseAlarms} (target ≤ 0.10)`,
  );
}
