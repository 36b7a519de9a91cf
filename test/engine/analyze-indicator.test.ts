/**
 * The entry point (docs/methodology.md §1–§6, §9) end to end, on cases worked by hand; regression numbers checked
 * with Python/scipy (float64).
 */
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import { round12 } from '../../server/engine/rounding.ts';
import { analyzeIndicator, analyzeSlice, sliceKey } from '../../server/engine/analyze-indicator.ts';
import { resolveBounds } from '../../server/engine/baseline-forecast.ts';
import { findBasePoint, indexSeries, levelAndChange, resolveBaselinePeriod } from '../../server/engine/level-change.ts';
import { ENGINE_VERSION } from '../../server/engine/version.ts';
import type { EngineIndicator, ObservedPoint } from '../../server/engine/series.ts';

/** Derived outputs are rounded to 12 significant digits (engine 2.0): compare with the exact value or its rounding. */
function close(t: Test, actual: number | null | undefined, expected: number, what: string, tol = 1e-12): void {
  const err = (e: number) => (actual == null ? Infinity : Math.abs(actual - e) / Math.max(1, Math.abs(e)));
  t.ok(Math.min(err(expected), err(round12(expected))) <= tol, `${what}: ${actual} ≈ ${expected}`);
}
function indicator(over: Partial<EngineIndicator> = {}): EngineIndicator {
  return {
    polarity: 'higher_is_better',
    unit: 'rate',
    frequency: 'annual',
    yearStartMonth: null,
    baselinePeriod: null,
    target: null,
    interimTargets: [],
    naturalLimit: null,
    bounds: null,
    forecastOverride: [],
    referenceGroup: null,
    // These cases test the OLS baseline itself (docs/methodology.md §3 `linear`); `auto` is tested in forecast-model.test.ts.
    forecast: { method: 'linear' },
    ...over,
  };
}
function yearly(first: number, values: number[], disaggregation: Record<string, string> = {}): ObservedPoint[] {
  return values.map((value, i) => ({ period: String(first + i), value, disaggregation }));
}

t.test('doc example: one total series, baseline 2019, target 2022', (t) => {
  const a = analyzeIndicator(
    indicator({ unit: 'percent', baselinePeriod: '2019', target: { period: '2022', value: 20 } }),
    yearly(2016, [10, 12, 13, 16, 15, 14]),
  );
  t.equal(a.engineVersion, ENGINE_VERSION);
  t.equal(a.engineVersion, '3.1.0');
  t.same(a.slices, []);
  const s = a.total;
  t.same(s.latest, { period: '2021', value: 14 });
  t.same(s.previous, { period: '2020', value: 15 });
  t.same(s.base, { period: '2019', value: 16, firstAfterBaseline: false });
  t.equal(s.pointCount, 6);
  t.equal(s.changeFromPrevious, -1);
  t.same(s.changeFromBaseline, { absolute: -2, percent: -12.5, basePeriod: '2019' });
  t.equal(s.varianceFromTarget, -0.3, '(14 − 20)/20');
  t.equal(s.percentOfTarget, 70);
  t.same(s.reasons, {});
  t.equal(s.trend.direction, 'down');
  t.equal(s.trend.periods, 2);
  t.equal(s.trend.good, false);
  t.equal(s.forecast.method, 'ols');
  t.same(s.forecast.fittedOn, { from: '2016', to: '2019', n: 4, breakAt: null });
  t.same(
    s.forecast.points.map((p) => p.period),
    ['2020', '2021', '2022'],
  );
  close(t, s.forecast.points[1]!.value, 19.4, 'forecast 2021');
  close(t, s.forecast.points[1]!.lower, 16.077112859670315, 'lower 2021');
  // 14 is below [16.08, 22.72] but 2020 (15) was inside [14.77, 20.23]: one point outside is not a signal
  // (engine 2.0, curve-status.ts); the run of 2 is under its limit of 4.
  t.equal(s.curve.status, 'not_turned');
  t.same(s.curve.signals, []);
  t.equal(s.curve.latestVsForecast, 'worse');
  close(t, s.curve.gap, -5.4, 'gap 14 − 19.4');
  close(t, s.curve.gapPercent, (-5.4 / 19.4) * 100, 'gap %');
  // Progress (§5): observed (14/16)^(1/2) − 1 = −0.0645857, required (20/16)^(1/3) − 1 = 0.0772173
  t.equal(s.progress.method, 'target');
  t.equal(s.progress.status, 'deterioration');
  close(t, s.progress.value, -0.8364138043490181, 'progress value', 1e-9);
  t.equal(s.progress.score, -5);
  // Inputs actually used (§9).
  t.same(a.inputs, {
    polarity: 'higher_is_better',
    direction: 1,
    unit: 'percent',
    frequency: 'annual',
    yearStartMonth: null,
    periodsPerYear: 1,
    baselinePeriod: '2019',
    baselinePeriodDefaulted: false,
    basePoint: { period: '2019', value: 16, firstAfterBaseline: false },
    target: { period: '2022', value: 20 },
    interimTargets: [],
    naturalLimit: null,
    level: 0.9,
    bounds: { min: 0, max: 100, source: 'unit' },
    forecastOverride: [],
    referenceGroup: null,
    pointCount: 6,
  });
  t.end();
});

t.test('baseline defaults to the first total period: a flat forecast from one point', (t) => {
  const a = analyzeIndicator(indicator({ polarity: 'lower_is_better' }), yearly(2018, [30, 28, 27, 25]));
  t.equal(a.inputs.baselinePeriod, '2018');
  t.equal(a.inputs.baselinePeriodDefaulted, true);
  t.same(a.total.base, { period: '2018', value: 30, firstAfterBaseline: false });
  t.equal(a.total.forecast.method, 'flat');
  t.same(
    a.total.forecast.points.map((p) => p.value),
    [30, 30, 30],
  );
  // residuals r = −(y − 30) = 2, 3, 5: all better, no interval, m 3, limit 5 → not turned yet
  t.equal(a.total.curve.status, 'not_turned');
  t.equal(a.total.curve.latestVsForecast, 'better');
  t.same(
    a.total.curve.points.map((p) => p.residual),
    [2, 3, 5],
  );
  // Derived outputs are rounded to 12 significant digits (engine 2.0).
  t.same(a.total.changeFromBaseline, { absolute: -5, percent: round12((100 * -5) / 30), basePeriod: '2018' });
  t.equal(a.total.varianceFromTarget, null);
  t.equal(a.total.reasons.varianceFromTarget, 'the indicator has no target');
  t.equal(a.total.progress.method, 'no_target');
  t.end();
});

t.test('base point: the first point after b when b has no data, and the response says so', (t) => {
  const a = analyzeIndicator(indicator({ baselinePeriod: '2015' }), yearly(2017, [5, 6, 8]));
  t.same(a.inputs.basePoint, { period: '2017', value: 5, firstAfterBaseline: true });
  t.same(a.total.changeFromBaseline, { absolute: 3, percent: 60, basePeriod: '2017' });
  // H (≤ 2015) is empty: no forecast, so the curve cannot be judged.
  t.equal(a.total.forecast.method, null);
  t.equal(a.total.curve.status, 'insufficient_data');
  t.match(a.total.curve.reason, /no baseline forecast/);
  t.end();
});

t.test('zero base and zero target: percentages are null with a reason', (t) => {
  const a = analyzeIndicator(
    indicator({
      polarity: 'lower_is_better',
      unit: 'count',
      baselinePeriod: '2020',
      target: { period: '2025', value: 0 },
    }),
    yearly(2020, [0, 3]),
  );
  t.same(a.total.changeFromBaseline, { absolute: 3, percent: null, basePeriod: '2020' });
  t.equal(a.total.varianceFromTarget, null);
  t.equal(a.total.percentOfTarget, null);
  t.match(a.total.reasons.percentOfTarget, /target is 0/);
  t.end();
});

t.test('no data at all', (t) => {
  const a = analyzeIndicator(indicator({ target: { period: '2030', value: 1 } }), []);
  t.equal(a.inputs.baselinePeriod, null);
  t.equal(a.inputs.basePoint, null);
  t.equal(a.total.latest, null);
  t.equal(a.total.base, null);
  t.equal(a.total.pointCount, 0);
  t.equal(a.total.trend.direction, null);
  t.equal(a.total.forecast.method, null);
  t.equal(a.total.curve.status, 'insufficient_data');
  t.equal(a.total.progress.status, 'not_available');
  t.ok(a.total.reasons.latest);
  t.same(JSON.parse(JSON.stringify(a)), a, 'JSON round trip');
  t.end();
});

// Unemployment rate (lower is better), baseline 2018, reference group White.
const unemployment = indicator({
  polarity: 'lower_is_better',
  baselinePeriod: '2018',
  referenceGroup: { race: 'White' },
});
const unemploymentPoints: ObservedPoint[] = [
  ...yearly(2016, [6.0, 5.8, 5.5, 5.0, 7.9, 6.5]),
  ...yearly(2016, [11.0, 10.5, 10.1, 9.0, 12.9, 10.0], { race: 'Black' }),
  ...yearly(2017, [4.5, 4.3, 3.9, 6.8, 5.4], { race: 'White' }),
  { period: '2018', value: 5.2, disaggregation: { sex: 'F' } },
  { period: '2020', value: 7.1, disaggregation: { sex: 'F' } },
  { period: '2021', value: 6.0, disaggregation: { sex: 'F' } },
];

t.test('disaggregations: each slice with its own base, forecast and gap', (t) => {
  const a = analyzeIndicator(unemployment, unemploymentPoints);
  t.same(
    a.slices.map((s) => s.disaggregation),
    [{ race: 'Black' }, { race: 'White' }, { sex: 'F' }],
    'sorted by key',
  );

  // Total: OLS on 2016–2018 (6.0, 5.8, 5.5): b1 −0.25, s 0.0408248, t(0.95, 1) 6.3137515.
  const total = a.total;
  close(t, total.forecast.slopePerYear, -0.25, 'total slope');
  close(t, total.forecast.residualSd, 0.04082482904638616, 'total s', 1e-9);
  close(t, total.forecast.points[2]!.value, 4.766666666666667, 'total forecast 2021');
  close(t, total.forecast.points[2]!.upper, 5.554129833104631, 'total upper 2021', 1e-9);
  t.equal(total.curve.status, 'worsened', '6.5 is above the 90 % upper end 5.554');
  t.same(total.trend, {
    method: 'consecutive_changes',
    direction: 'down',
    periods: 1,
    since: '2020',
    lastChange: round12(6.5 - 7.9), // -1.4, not -1.4000000000000004 (engine 2.0 rounds to 12 digits)
    good: true,
    sustained: false,
    reason: null,
  });
  // No target: value = −((6.5/5.5)^(1/3) − 1) = −0.0572643 → deterioration, score −5.
  t.equal(total.progress.status, 'deterioration');
  close(t, total.progress.value, -0.05726427034643122, 'total progress value', 1e-9);

  const [black, white, female] = a.slices;
  // Black: own base 2018 = 10.1; own OLS on 2016–2018 (11.0, 10.5, 10.1): b1 −0.45.
  t.same(black!.base, { period: '2018', value: 10.1, firstAfterBaseline: false });
  close(t, black!.forecast.slopePerYear, -0.45, 'Black slope', 1e-12);
  t.same(black!.forecast.fittedOn, { from: '2016', to: '2018', n: 3, breakAt: null });
  close(t, black!.forecast.points[0]!.lower, 9.16273408067148, 'Black lower 2019', 1e-9);
  t.same(
    black!.curve.points.map((p) => Math.sign(p.residual)),
    [1, -1, -1],
    '2019 below the forecast (better), 2020 and 2021 above',
  );
  t.equal(black!.curve.status, 'worsened', '10.0 is above the upper end 9.5208');
  t.equal(black!.progress.status, 'limited_progress', 'value 0.0033113 in [0, 0.005)');
  close(t, black!.progress.score, -0.8443587386695017, 'Black score', 1e-9);
  // Gap against the White reference group: common 2017–2021 gaps 6.0, 5.8, 5.1, 6.1, 4.6.
  const gap = black!.gap!;
  t.same(gap.reference, { race: 'White' });
  close(t, gap.baselineGap, 5.8, 'baseline gap (2018)');
  close(t, gap.latestGap, 4.6, 'latest gap (2021)');
  t.equal(gap.narrowing, true);
  // Theil–Sen of |gap| over 2019–2021 (5.1, 6.1, 4.6): slopes 1.0, −0.25, −1.5 → median −0.25.
  close(t, gap.slopePerYear, -0.25, 'gap slope');

  // White: the reference group itself has no gap; two points of history → two_point line.
  t.equal(white!.gap, null);
  t.equal(white!.forecast.method, 'two_point');
  close(t, white!.forecast.slopePerYear, -0.2, 'White slope');
  t.same(white!.base, { period: '2018', value: 4.3, firstAfterBaseline: false });

  // Female: another dimension → gap against the total (−0.3, −0.8, −0.5 at 2018, 2020, 2021).
  const fg = female!.gap!;
  t.equal(fg.reference, null, 'the total slice');
  close(t, fg.baselineGap, -0.3, 'F baseline gap');
  close(t, fg.latestGap, -0.5, 'F latest gap');
  t.equal(fg.narrowing, false);
  t.equal(fg.slopePerYear, null, 'only 2 common periods after b');
  t.equal(female!.forecast.method, 'flat');
  t.same(
    female!.forecast.points.map((p) => [p.period, p.value]),
    [
      ['2019', 5.2],
      ['2020', 5.2],
      ['2021', 5.2],
    ],
  );
  t.same(
    female!.curve.points.map((p) => p.period),
    ['2020', '2021'],
    'only the observed post-baseline periods',
  );
  t.equal(female!.curve.status, 'not_turned');
  t.equal(female!.previous!.period, '2020', 'previous is the point before, whatever the gap in periods');
  t.end();
});

t.test('input order does not matter', (t) => {
  const a = analyzeIndicator(unemployment, unemploymentPoints);
  const shuffled = [...unemploymentPoints].reverse();
  shuffled.push(shuffled.splice(3, 1)[0]!);
  const withOtherKeyOrder = shuffled.map((p) => ({ ...p, disaggregation: { ...p.disaggregation } }));
  t.same(analyzeIndicator(unemployment, withOtherKeyOrder), a);
  t.end();
});

t.test('a reference group without data: gaps are null with their reasons', (t) => {
  const a = analyzeIndicator({ ...unemployment, referenceGroup: { race: 'Asian' } }, unemploymentPoints);
  const black = a.slices[0]!;
  t.same(black.gap!.reference, { race: 'Asian' });
  t.equal(black.gap!.latestGap, null);
  t.ok(black.gap!.reasons.latestGap);
  t.end();
});

t.test('slice keys are stable whatever the key order', (t) => {
  t.equal(sliceKey({ sex: 'F', age: '15-24' }), '[["age","15-24"],["sex","F"]]');
  t.equal(sliceKey({ age: '15-24', sex: 'F' }), '[["age","15-24"],["sex","F"]]');
  t.equal(sliceKey({}), '[]');
  const a = analyzeIndicator(indicator(), [
    { period: '2020', value: 1, disaggregation: { sex: 'F', age: 'old' } },
    { period: '2021', value: 2, disaggregation: { age: 'old', sex: 'F' } },
  ]);
  t.equal(a.slices.length, 1, 'one slice, whatever the key order');
  t.same(Object.keys(a.slices[0]!.disaggregation), ['age', 'sex']);
  t.equal(a.slices[0]!.pointCount, 2);
  t.end();
});

t.test('options and bad input', (t) => {
  const points = yearly(2016, [10, 12, 13, 16]);
  const at95 = analyzeIndicator(indicator({ baselinePeriod: '2018' }), points, { level: 0.95 });
  t.equal(at95.inputs.level, 0.95);
  t.equal(at95.total.forecast.level, 0.95);
  t.throws(() => analyzeIndicator(indicator(), points, { level: 0.5 as never }), RangeError);
  t.throws(() => analyzeIndicator(indicator(), [...points, { period: '2017', value: 1, disaggregation: {} }]), /twice/);
  t.throws(() => analyzeIndicator(indicator(), [{ period: '2017-Q1', value: 1, disaggregation: {} }]), RangeError);
  t.throws(() => analyzeIndicator(indicator({ target: { period: '2030-01', value: 1 } }), points), RangeError);
  t.throws(
    () => analyzeIndicator(indicator(), [{ period: '2017', value: Number.POSITIVE_INFINITY, disaggregation: {} }]),
    RangeError,
  );
  t.end();
});

t.test('manual override and interim targets flow through', (t) => {
  const a = analyzeIndicator(
    indicator({
      baselinePeriod: '2018',
      forecastOverride: [{ period: '2020', value: 20 }],
      interimTargets: [{ period: '2020', value: 14 }],
      target: { period: '2022', value: 16 },
    }),
    yearly(2016, [10, 12, 13, 15, 14.5]),
  );
  t.equal(a.total.forecast.method, 'manual');
  t.equal(a.total.forecast.computedMethod, 'ols');
  t.same(
    a.total.forecast.points.find((p) => p.period === '2020'),
    {
      period: '2020',
      value: 20,
      lower: null,
      upper: null,
      source: 'manual',
    },
  );
  t.equal(a.total.curve.points.at(-1)!.forecast, 20);
  t.equal(a.total.curve.latestVsForecast, 'worse');
  t.same(a.inputs.forecastOverride, [{ period: '2020', value: 20 }]);
  t.same(a.total.progress.interimTarget, { period: '2020', value: 14, latest: 14.5, gap: 0.5, met: true });
  t.end();
});

t.test('quarterly indicator with count bounds', (t) => {
  const q = ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1'];
  const a = analyzeIndicator(
    indicator({
      frequency: 'quarterly',
      unit: 'count',
      polarity: 'lower_is_better',
      baselinePeriod: '2023-Q3',
      target: { period: '2025-Q1', value: 0 },
    }),
    q.map((period, i) => ({ period, value: [30, 20, 10, 12, 11][i]!, disaggregation: {} })),
  );
  // OLS on 30, 20, 10: b1 −10 per quarter → −40 per year, s 0; clamped at 0 from 2023-Q4 on.
  t.equal(a.total.forecast.slopePerYear, -40);
  t.same(
    a.total.forecast.points.map((p) => p.value),
    [0, 0, 0, 0, 0, 0],
  );
  t.equal(a.total.forecast.points.at(-1)!.period, '2025-Q1');
  t.equal(a.inputs.periodsPerYear, 4);
  t.equal(a.total.curve.latestVsForecast, 'worse');
  t.equal(a.total.curve.status, 'worsened', 'the interval has collapsed to [0, 0]: 11 is outside it');
  t.end();
});

t.test('analyzeSlice doc example: one point of history → flat forecast', (t) => {
  const s = analyzeSlice(
    indicator(),
    indexSeries(yearly(2019, [16, 15, 14]), { frequency: 'annual' }),
    '2019',
    resolveBounds('rate', null),
    0.9,
  );
  t.same(s.changeFromBaseline, { absolute: -2, percent: -12.5, basePeriod: '2019' });
  t.equal(s.trend.direction, 'down');
  t.equal(s.trend.periods, 2);
  t.equal(s.trend.good, false);
  t.equal(s.forecast.method, 'flat');
  t.same(
    s.forecast.points.map((p) => [p.period, p.value]),
    [
      ['2020', 16],
      ['2021', 16],
    ],
  );
  t.same(s.curve.run, { usefulResiduals: 2, currentRun: 2, limit: 4 });
  t.equal(s.curve.status, 'not_turned');
  t.equal(s.curve.latestVsForecast, 'worse');
  t.equal(s.curve.gap, -2);
  t.equal(s.progress.status, 'deterioration');
  close(t, s.progress.observedRate, Math.sqrt(14 / 16) - 1, 'observed CAGR', 1e-12);
  t.equal(s.progress.score, -5);
  t.end();
});

t.test('level and change helpers (§0, §1)', (t) => {
  const annual = { frequency: 'annual' } as const;
  const sorted = indexSeries(
    [
      { period: '2021', value: 45 },
      { period: '2019', value: 40 },
      { period: '2020', value: 44 },
    ],
    annual,
  );
  t.same(
    sorted.map((p) => [p.period, p.x]),
    [
      ['2019', 2019],
      ['2020', 2020],
      ['2021', 2021],
    ],
  );
  t.same(
    levelAndChange(sorted, { period: '2019', value: 40, firstAfterBaseline: false }, { period: '2030', value: 60 }),
    {
      latest: { period: '2021', value: 45 },
      previous: { period: '2020', value: 44 },
      base: { period: '2019', value: 40, firstAfterBaseline: false },
      changeFromPrevious: 1,
      changeFromBaseline: { absolute: 5, percent: 12.5, basePeriod: '2019' },
      varianceFromTarget: -0.25,
      percentOfTarget: 75,
      reasons: {},
    },
  );
  // A negative base: the percentage is relative to |base|. −20 → −15 is +25 %.
  const neg = indexSeries(yearly(2019, [-20, -15]), annual);
  t.equal(levelAndChange(neg, findBasePoint(neg, 2019), null).changeFromBaseline!.percent, 25);
  // A negative target: variance (c − T)/|T| and percent 100·c/T as written.
  const v = levelAndChange(neg, null, { period: '2025', value: -10 });
  t.equal(v.varianceFromTarget, -0.5, '(−15 − −10)/10');
  t.equal(v.percentOfTarget, 150);
  t.match(v.reasons.changeFromBaseline, /base point/);

  t.same(findBasePoint(sorted, 2018), { period: '2019', value: 40, firstAfterBaseline: true });
  t.same(findBasePoint(sorted, 2020), { period: '2020', value: 44, firstAfterBaseline: false });
  t.equal(findBasePoint(sorted, 2022), null, 'nothing at or after b');
  t.equal(findBasePoint(sorted, null), null);
  t.same(resolveBaselinePeriod('2015', sorted), { period: '2015', defaulted: false });
  t.same(resolveBaselinePeriod(null, sorted), { period: '2019', defaulted: true });
  t.same(resolveBaselinePeriod(null, []), { period: null, defaulted: true });

  t.throws(() => indexSeries([{ period: '2019', value: 1e101 }], annual), /working range/);
  t.ok(Object.is(indexSeries([{ period: '2019', value: -0 }], annual)[0]!.value, 0), '−0 read as 0');
  t.end();
});
