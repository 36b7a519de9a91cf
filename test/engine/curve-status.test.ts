/**
 * Has the curve turned? (docs/methodology.md §4), on cases worked by hand. The qicharts2 reference vectors for the
 * run rule are in anhoej-runs.test.ts.
 */
import { round12 } from '../../server/engine/rounding.ts';
import t from '../helpers/tap.ts';
import { curveStatus, EQUAL_TOLERANCE, type CurveStatusInput } from '../../server/engine/curve-status.ts';
import type { Polarity, SeriesPoint } from '../../server/engine/series.ts';
import type { ForecastPoint } from '../../server/engine/types.ts';

/** Post-baseline points 2020, 2021, … with forecast F_i and interval F_i ± half (null = no interval). */
function scenario(
  polarity: Polarity,
  values: number[],
  forecasts: (number | null)[],
  half: number | null,
): CurveStatusInput {
  const periods = values.map((_, i) => String(2020 + i));
  const byPeriod = new Map<string, ForecastPoint>();
  forecasts.forEach((f, i) => {
    if (f === null) return;
    byPeriod.set(periods[i]!, {
      period: periods[i]!,
      value: f,
      lower: half === null ? null : f - half,
      upper: half === null ? null : f + half,
      source: 'computed',
    });
  });
  const postBaseline: SeriesPoint[] = values.map((value, i) => ({ period: periods[i]!, value }));
  return {
    polarity,
    forecastMethod: half === null ? 'two_point' : 'ols',
    postBaseline,
    forecastAt: (p) => byPeriod.get(p) ?? null,
  };
}

t.test('doc example: 7 points better than forecast, the last outside the interval → turned', (t) => {
  const r = curveStatus(scenario('lower_is_better', [49, 47, 45, 43, 41, 39, 33], [50, 48, 46, 44, 42, 40, 38], 3));
  t.equal(r.method, 'forecast_interval_and_anhoej_run');
  t.equal(r.status, 'turned');
  t.equal(r.latestVsForecast, 'better');
  // 33 is outside [35, 41] but 39 was inside [37, 43]: the run of 7 > 6 ending outside is the signal.
  t.same(r.signals, ['run']);
  t.equal(r.gap, -5);
  t.equal(r.gapPercent, round12(-13.157894736842104), '100 · (33 − 38)/38, to 12 significant digits');
  t.same(r.run, { usefulResiduals: 7, currentRun: 7, limit: 6 });
  t.same(r.points[6], { period: '2026', value: 33, forecast: 38, lower: 35, upper: 41, residual: 5 });
  t.equal(r.points[0]!.residual, 1, 'r = d·(y − F) = −1 · (49 − 50)');
  t.equal(r.reason, null);
  t.end();
});

t.test('interval signal: the last two points below their intervals → worsened', (t) => {
  // higher is better; F 10, 11, 12; y 10.5, 8.5, 8 → r +0.5, −2.5, −4; interval ±2 → 8.5 < 9 and 8 < 10
  const r = curveStatus(scenario('higher_is_better', [10.5, 8.5, 8], [10, 11, 12], 2));
  t.equal(r.status, 'worsened');
  t.equal(r.latestVsForecast, 'worse');
  t.same(r.signals, ['interval']);
  t.same(r.run, { usefulResiduals: 3, currentRun: 2, limit: 5 }, 'round(log2 3) + 3 = 5');
  t.equal(r.gap, -4);
  t.equal(r.gapPercent, round12((100 * -4) / 12));
  t.end();
});

t.test('one point outside its interval is not enough: it must last', (t) => {
  // y 10.5, 11.2, 8 → only 8 is outside (below 10): no signal (a calibrated 90 % interval misses 1 in 10)
  const r = curveStatus(scenario('higher_is_better', [10.5, 11.2, 8], [10, 11, 12], 2));
  t.equal(r.latestVsForecast, 'worse');
  t.same(r.signals, []);
  t.equal(r.status, 'not_turned');
  t.end();
});

t.test('a long run inside the interval is not a signal; the same run ending outside is', (t) => {
  // 8 points each 1 above a flat forecast of 20 with interval ±5: m 8, limit round(3) + 3 = 6, run 8
  const inside = curveStatus(scenario('higher_is_better', Array(8).fill(21), Array(8).fill(20), 5));
  t.same(inside.run, { usefulResiduals: 8, currentRun: 8, limit: 6 });
  t.same(inside.signals, [], 'forecast errors of a frozen forecast are correlated: a run alone is expected');
  t.equal(inside.status, 'not_turned');
  const outside = curveStatus(scenario('higher_is_better', [...Array(7).fill(21), 26], Array(8).fill(20), 5));
  t.same(outside.signals, ['run'], 'run 8 > 6 and 26 above 25');
  t.equal(outside.status, 'turned');
  t.end();
});

t.test('no signal → not_turned, even when the latest point is worse', (t) => {
  const r = curveStatus(scenario('higher_is_better', [21, 19, 19.5], [20, 20, 20], 5));
  t.equal(r.latestVsForecast, 'worse');
  t.same(r.signals, []);
  t.equal(r.status, 'not_turned');
  t.same(r.run, { usefulResiduals: 3, currentRun: 2, limit: 5 });
  t.end();
});

t.test('slowing a decline counts as turning (Friedman)', (t) => {
  // higher is better, forecast falls 2 a year; the value falls only 1 a year: 7 years of r > 0.
  const f = [98, 96, 94, 92, 90, 88, 86];
  const y = [99, 98, 97, 96, 95, 94, 93];
  const r = curveStatus(scenario('higher_is_better', y, f, 5));
  t.same(r.signals, ['interval', 'run'], '94 > 93 and 93 > 91 (±5), and 7 in a row above, m 7, limit 6');
  t.equal(r.status, 'turned');
  t.end();
});

t.test('residuals within 1e-9·max(1, |F|) are equal: dropped from runs, never a signal', (t) => {
  t.equal(EQUAL_TOLERANCE, 1e-9);
  // F = 1000: tolerance 1e-6. Last point 1000 + 5e-7 counts as equal even with a degenerate interval.
  const r = curveStatus(scenario('higher_is_better', [1001, 1001, 1000.0000005], [1000, 1000, 1000], 0));
  t.equal(r.latestVsForecast, 'equal');
  t.same(r.signals, []);
  t.equal(r.status, 'not_turned');
  t.same(r.run, { usefulResiduals: 2, currentRun: 0, limit: 4 });
  // Just outside the tolerance it is a real difference: 1000 + 2e-6 with lo = hi = 1000 → interval signal.
  const s = curveStatus(scenario('higher_is_better', [1001, 1001, 1000.000002], [1000, 1000, 1000], 0));
  t.equal(s.latestVsForecast, 'better');
  t.same(s.signals, ['interval']);
  t.equal(s.status, 'turned');
  // For |F| < 1 the tolerance is absolute 1e-9.
  const small = curveStatus(scenario('lower_is_better', [0.0100000005], [0.01], null));
  t.equal(small.latestVsForecast, 'equal');
  t.end();
});

t.test('zero residuals neither extend nor break a run', (t) => {
  // r: +, +, 0, +, +, +, +, +  → m 7, current run 7 > limit round(2.81) + 3 = 6
  const y = [11, 11, 10, 11, 11, 11, 11, 11];
  const r = curveStatus(scenario('higher_is_better', y, Array(8).fill(10), null));
  t.same(r.run, { usefulResiduals: 7, currentRun: 7, limit: 6 });
  t.same(r.signals, ['run']);
  t.equal(r.status, 'turned');
  t.end();
});

t.test('gapPercent is null when the forecast is 0', (t) => {
  const r = curveStatus(scenario('lower_is_better', [0.5], [0], null));
  t.equal(r.gap, 0.5);
  t.equal(r.gapPercent, null);
  t.equal(r.latestVsForecast, 'worse');
  t.end();
});

t.test('insufficient data', (t) => {
  const noForecast = curveStatus({ ...scenario('higher_is_better', [1, 2], [1, 2], null), forecastMethod: null });
  t.equal(noForecast.status, 'insufficient_data');
  t.match(noForecast.reason, /no baseline forecast/);
  t.same(noForecast.signals, []);
  t.equal(noForecast.gap, null);

  const noPoints = curveStatus(scenario('higher_is_better', [], [], 1));
  t.equal(noPoints.status, 'insufficient_data');
  t.match(noPoints.reason, /no data after the baseline/);

  // A manual override covers 2020 only; the latest point 2021 has no forecast.
  const partial = curveStatus({ ...scenario('higher_is_better', [5, 6], [4, null], null), forecastMethod: 'manual' });
  t.equal(partial.status, 'insufficient_data');
  t.match(partial.reason, /no value at the latest period 2021/);
  t.equal(partial.points.length, 1, 'the covered point is still listed');
  t.equal(partial.latestVsForecast, null);
  t.end();
});

t.test('points without a forecast are skipped, the rest are judged', (t) => {
  // 2020 uncovered; 2021, 2022 covered; lower is better, y below F → better.
  const r = curveStatus({ ...scenario('lower_is_better', [5, 5, 5], [null, 6, 6], null), forecastMethod: 'manual' });
  t.same(
    r.points.map((p) => p.period),
    ['2021', '2022'],
  );
  t.same(r.run, { usefulResiduals: 2, currentRun: 2, limit: 4 });
  t.equal(r.latestVsForecast, 'better');
  t.equal(r.status, 'not_turned');
  t.end();
});

t.test('a degenerate interval does not fire on noise: the interval floor (analysis end to end)', async (t) => {
  const { analyzeIndicator } = await import('../../server/engine/analyze-indicator.ts');
  const indicator = {
    polarity: 'higher_is_better' as const,
    unit: 'rate' as const,
    frequency: 'annual' as const,
    yearStartMonth: null,
    baselinePeriod: '2013',
    target: null,
    interimTargets: [],
    naturalLimit: null,
    bounds: null,
    forecastOverride: [],
    referenceGroup: null,
  };
  const points = (values: number[]) =>
    values.map((value, i) => ({ period: String(2010 + i), value, disaggregation: {} }));
  // Constant history 5, 5, 5, 5: σ² = 0, so the model's own interval is [5, 5]. Whole numbers → floor ±0.5.
  const a = analyzeIndicator(indicator, points([5, 5, 5, 5, 5.01, 5.01]));
  t.equal(a.total.forecast.intervalFloor, 0.5, 'half a unit of the resolution the history is recorded in');
  t.same(a.total.forecast.points[0], { period: '2014', value: 5, lower: 4.5, upper: 5.5, source: 'computed' });
  t.equal(a.total.curve.latestVsForecast, 'better');
  t.equal(a.total.curve.status, 'not_turned', '5.01 is noise at this resolution');
  // With decimals = 2 the floor is ±0.005: 5.01 twice in a row is outside, a real (if small) departure.
  const b = analyzeIndicator({ ...indicator, decimals: 2 }, points([5, 5, 5, 5, 5.01, 5.01]));
  t.equal(b.total.forecast.intervalFloor, 0.005);
  t.equal(b.total.curve.status, 'turned');
  t.same(b.total.curve.signals, ['interval']);
  t.end();
});
