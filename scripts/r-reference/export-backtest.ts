/**
 * Writes the R backtest reference's input: every backtest origin (scripts/backtest-origins.ts) of every
 * real series (scripts/real-series.ts) as the history R fits — the values on the grid of the history's
 * common spacing, null where a period is missing — the season length, and the future points' distances
 * from the origin in grid steps. scripts/r-reference/backtest-reference.R reads it and writes R's ets()
 * forecasts to test/fixtures/backtest-r/ets-forecasts.json, which `npm run backtest` compares with ours.
 *
 * Run from the repository root:
 *   npx tsx scripts/r-reference/export-backtest.ts && Rscript scripts/r-reference/backtest-reference.R
 * The input file (test/fixtures/backtest-r/origins.json) is regenerated, not committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_ETS_PERIODS, seasonLength } from '../../server/engine/forecast-model.ts';
import { periodIndex } from '../../server/engine/periods.ts';
import { HORIZON, origins } from '../backtest-origins.ts';
import { loadRealSeries } from '../real-series.ts';

export interface BacktestOrigin {
  id: string;
  /** Index of the origin among the series' points. */
  origin: number;
  /** Season length (1 when the grid is coarser than the frequency's period). */
  m: number;
  /** History on its grid, oldest first; null = missing period. */
  y: Array<number | null>;
  /** Each future point's distance from the origin, in grid steps (fractional when off the grid). */
  steps: number[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BACKTEST_R_DIR = path.join(root, 'test/fixtures/backtest-r');

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/** The backtest's origins as R's input (the same grid and history window as the engine's auto fit). */
export function backtestOrigins(): BacktestOrigin[] {
  const out: BacktestOrigin[] = [];
  for (const series of loadRealSeries()) {
    const calendar = { frequency: series.frequency };
    const x = series.points.map((p) => periodIndex(p.period, calendar));
    for (const o of origins(series.points.length, series.frequency)) {
      const last = x[o]!;
      const kept: number[] = [];
      for (let i = 0; i <= o; i++) if (x[i]! > last - MAX_ETS_PERIODS) kept.push(i);
      let step = 0;
      for (let k = 1; k < kept.length; k++) step = gcd(step, x[kept[k]!]! - x[kept[k - 1]!]!);
      step = Math.max(1, step);
      const first = x[kept[0]!]!;
      const y = new Array<number | null>((last - first) / step + 1).fill(null);
      for (const i of kept) y[(x[i]! - first) / step] = series.points[i]!.value;
      const future = x.slice(o + 1, o + 1 + HORIZON[series.frequency]!);
      out.push({
        id: series.id,
        origin: o,
        m: step === 1 ? seasonLength(series.frequency) : 1,
        y,
        steps: future.map((f) => (f - last) / step),
      });
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const all = backtestOrigins();
  fs.mkdirSync(BACKTEST_R_DIR, { recursive: true });
  fs.writeFileSync(path.join(BACKTEST_R_DIR, 'origins.json'), JSON.stringify(all) + '\n');
  console.log(`wrote ${all.length} origins to ${path.relative(root, path.join(BACKTEST_R_DIR, 'origins.json'))}`);
}
