/**
 * docs/methodology.md §4: has the curve turned? Friedman's definition — doing better than the baseline forecast,
 * including slowing the rate at which things get worse — decided by two published signals evaluated at
 * the latest point: the forecast's prediction interval, and Anhøj's longest-run rule.
 */
import type { Polarity, SeriesPoint } from './series.ts';
import type { CurvePoint, CurveResult, CurveSignal, ForecastMethod, ForecastPoint } from './types.ts';
import { finiteOrNull, plusZero } from './level-change.ts';
import { round12 } from './rounding.ts';

/** Relative tolerance under which a residual counts as zero: |r| ≤ 1e-9 · max(1, |F|) (docs/methodology.md §4). */
export const EQUAL_TOLERANCE = 1e-9;

/**
 * Anhøj's longest-run limit (Schilling 2012, as in qicharts2): with m useful (non-zero) observations, a
 * run longer than round(log2(m)) + 3 signals non-random variation. Null when m = 0.
 *
 * @example anhoejLongestRunLimit(10)  // 6   (log2 10 = 3.32 → 3, + 3)
 * @example anhoejLongestRunLimit(24)  // 8   (log2 24 = 4.58 → 5, + 3)
 * @example anhoejLongestRunLimit(91)  // 10  (log2 91 = 6.51 → 7, + 3)
 */
export function anhoejLongestRunLimit(m: number): number | null {
  if (m <= 0) return null;
  // log2(m) is never exactly k + 0.5 for an integer m, so round-half conventions cannot differ here.
  return Math.round(Math.log2(m)) + 3;
}

/**
 * Lengths of the runs of same-sign values, in order, after dropping the zeros (a zero neither extends
 * nor breaks a run: qicharts2's "useful observations"). The number of crossings is `length − 1`.
 *
 * @example runLengths([1, 2, -1, 0, -3, 4]) // [2, 2, 1]
 * @example runLengths([0, 0])               // []
 */
export function runLengths(values: readonly number[]): number[] {
  const runs: number[] = [];
  let sign = 0;
  for (const v of values) {
    const s = Math.sign(v);
    if (s === 0 || Number.isNaN(s)) continue;
    if (s === sign) runs[runs.length - 1]!++;
    else {
      runs.push(1);
      sign = s;
    }
  }
  return runs;
}

/**
 * The length of the run that ends at the last value (zeros before it dropped); 0 when the last value is
 * itself zero — no run ends at a point that sits on the forecast.
 *
 * @example currentRunLength([-1, 2, 0, 3, 1]) // 3
 * @example currentRunLength([2, 3, 0])        // 0
 */
export function currentRunLength(values: readonly number[]): number {
  if (values.length === 0 || Math.sign(values.at(-1)!) === 0) return 0;
  return runLengths(values).at(-1) ?? 0;
}

export interface CurveStatusInput {
  polarity: Polarity;
  /** The forecast's method; null = no forecast. */
  forecastMethod: ForecastMethod | null;
  /** The series' post-baseline points P (period > b), sorted by period. */
  postBaseline: readonly SeriesPoint[];
  /** The forecast at a period (from {@link fitBaseline}'s `at`). */
  forecastAt: (period: string) => ForecastPoint | null;
}

/**
 * docs/methodology.md §4, with the signals revised (forecasts issue, measured in `npm run backtest`). For each
 * post-baseline point with a forecast value F, the residual r = d·(y − F) (positive = better than the
 * forecast). At the latest point:
 * - `latestVsForecast`: better / worse / equal by the sign of r, |r| ≤ 1e-9·max(1, |F|) counting as equal;
 * - signal `interval`: the latest value AND the point before it lie outside their intervals, on the same side;
 * - signal `run`: the latest value lies outside its interval (or there is no interval) and, with m the number
 *   of non-zero residuals, the run of same-sign residuals ending at the latest point is longer than
 *   round(log2 m) + 3;
 *
 * Why the revision: with intervals that hold their stated 90 % coverage, "the latest value is outside" alone
 * fires at 10–13 % of the periods where nothing changed, and Anhøj's run rule — built for independent
 * observations around a median — fires at 23 %, because the errors of a frozen forecast are correlated
 * (a level that drifted stays drifted). Requiring the latest value outside the interval plus one sign that
 * the departure lasts brings false alarms to 9 % on the backtest series (docs/methodology.md §4).
 * - `status`: insufficient_data (no forecast, or no post-baseline point), turned (a signal and r > 0),
 *   worsened (a signal and r < 0), not_turned otherwise.
 *
 * Decisions where engine.md is silent:
 * - the 1e-9 tolerance applies everywhere in this section: a residual within it is zero — `equal`,
 *   dropped from the run count, and neither turned nor worsened even when the interval is degenerate
 *   (a perfectly straight history gives s = 0 and lo = hi = F);
 * - post-baseline points without a forecast value (a manual override with no computed fit behind it) are
 *   left out; when the latest point is one of them the status is `insufficient_data`;
 * - `gapPercent` is null when F = 0;
 * - F, lo and hi are the forecast's values after clamping to the bounds (what the chart shows), so a
 *   percentage forecast clamped at 100 with interval [96, 100] is compared as such.
 * - the residual reported per point is r = d·(y − F) (polarity-adjusted, positive = better); `gap` is the
 *   raw y − F.
 *
 * @example
 * // lower is better; forecast F = 50, 48, 46, 44, 42, 40, 38 with interval ±3; observed
 * // 49, 47, 45, 43, 41, 39, 33 → r = +1 at every point, 7 in a row; m = 7, limit round(2.81) + 3 = 6;
 * // 33 is below 35 (outside), 39 was inside [37, 43]: no `interval` signal, but the run of 7 > 6 ends outside
 * // → { status: 'turned', latestVsForecast: 'better', signals: ['run'], gap: -5, gapPercent: -13.157894737 }
 */
export function curveStatus(input: CurveStatusInput): CurveResult {
  const d = input.polarity === 'higher_is_better' ? 1 : -1;
  const result: CurveResult = {
    method: 'forecast_interval_and_anhoej_run',
    status: 'insufficient_data',
    latestVsForecast: null,
    signals: [],
    gap: null,
    gapPercent: null,
    run: { usefulResiduals: 0, currentRun: 0, limit: null },
    points: [],
    reason: null,
  };
  if (input.forecastMethod === null) return { ...result, reason: 'there is no baseline forecast' };
  if (input.postBaseline.length === 0) return { ...result, reason: 'no data after the baseline period yet' };

  const signs: number[] = [];
  for (const p of input.postBaseline) {
    const f = input.forecastAt(p.period);
    if (f === null) continue;
    const raw = d * (p.value - f.value);
    const zero = Math.abs(raw) <= EQUAL_TOLERANCE * Math.max(1, Math.abs(f.value));
    result.points.push({
      period: p.period,
      value: p.value,
      forecast: f.value,
      lower: f.lower,
      upper: f.upper,
      residual: plusZero(round12(raw)),
    } satisfies CurvePoint);
    signs.push(zero ? 0 : Math.sign(raw));
  }
  const latest = input.postBaseline.at(-1)!;
  const last = result.points.at(-1);
  if (!last || last.period !== latest.period) {
    return { ...result, reason: `the forecast has no value at the latest period ${latest.period}` };
  }

  const sign = signs.at(-1)!;
  result.latestVsForecast = sign > 0 ? 'better' : sign < 0 ? 'worse' : 'equal';
  const gap = last.value - last.forecast;
  result.gap = plusZero(round12(gap));
  const gapPercent = last.forecast === 0 ? null : finiteOrNull((100 * gap) / Math.abs(last.forecast));
  result.gapPercent = gapPercent === null ? null : plusZero(round12(gapPercent));

  const m = signs.filter((s) => s !== 0).length;
  const limit = anhoejLongestRunLimit(m);
  const run = currentRunLength(signs);
  result.run = { usefulResiduals: m, currentRun: run, limit };

  const signals: CurveSignal[] = [];
  // A value within the tolerance of F is F, and F always lies inside [lo, hi].
  const side = (p: CurvePoint | undefined): number =>
    !p || p.lower === null || p.upper === null ? 0 : p.value > p.upper ? 1 : p.value < p.lower ? -1 : 0;
  const latestSide = sign === 0 ? 0 : side(last);
  const previous = result.points.at(-2);
  // Both signals need the latest value outside the interval, and a second piece of evidence that the
  // departure lasts: the previous point outside on the same side, or a run longer than Anhøj's limit.
  if (latestSide !== 0 && side(previous) === latestSide) signals.push('interval');
  // Without an interval (a hand-drawn, 1- or 2-point forecast) the run is the only evidence there is.
  const noInterval = last.lower === null || last.upper === null;
  if ((latestSide !== 0 || noInterval) && limit !== null && run > limit) signals.push('run');
  result.signals = signals;

  if (signals.length > 0 && sign > 0) result.status = 'turned';
  else if (signals.length > 0 && sign < 0) result.status = 'worsened';
  else result.status = 'not_turned';
  return result;
}
