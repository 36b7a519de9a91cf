/**
 * The baseline forecast (docs/methodology.md §3). Expected numbers were worked by hand and checked with
 * Python/scipy (float64; t quantiles from scipy.stats.t.ppf).
 */
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import { round12 } from '../../server/engine/rounding.ts';
import {
  clampToBounds,
  fitBaseline,
  MAX_FORECAST_PERIODS,
  resolveBounds,
  type BaselineForecastInput,
} from '../../server/engine/baseline-forecast.ts';
import type { SeriesPoint } from '../../server/engine/series.ts';
import type { ResolvedBounds } from '../../server/engine/types.ts';

const annual = { frequency: 'annual' } as const;
const NONE: ResolvedBounds = { min: null, max: null, source: 'none' };

/** Derived outputs are rounded to 12 significant digits (engine 2.0): compare with the exact value or its rounding. */
function close(t: Test, actual: number | null | undefined, expected: number, what: string, tol = 1e-12): void {
  const err = (e: number) => (actual == null ? Infinity : Math.abs(actual - e) / Math.max(1, Math.abs(e)));
  t.ok(Math.min(err(expected), err(round12(expected))) <= tol, `${what}: ${actual} ≈ ${expected}`);
}
function yearly(first: number, ...values: number[]): SeriesPoint[] {
  return values.map((value, i) => ({ period: String(first + i), value }));
}
function input(over: Partial<BaselineForecastInput>): BaselineForecastInput {
  return {
    series: [],
    calendar: annual,
    baselinePeriod: null,
    target: null,
    bounds: NONE,
    override: [],
    level: 0.9,
    // These cases test the OLS baseline itself (method `linear`); `auto` is tested in forecast-model.test.ts.
    forecast: { method: 'linear' },
    ...over,
  };
}

// History 2016–2019: 10, 12, 13, 16 (b = 2019); afterwards 15, 14. x̄ 2017.5, ȳ 12.75, Sxx 5, Sxy 9.5,
// b1 1.9, residuals 0.1, 0.2, −0.7, 0.4, SSE 0.70, s = sqrt(0.35) = 0.5916079783099616, t(0.95, 2) = 2.9199855803537
const example = yearly(2016, 10, 12, 13, 16, 15, 14);

t.test('ols on H with a 90 % prediction interval, up to the target period', (t) => {
  const { forecast } = fitBaseline(
    input({ series: example, baselinePeriod: '2019', target: { period: '2022', value: 20 } }),
  );
  t.equal(forecast.method, 'ols');
  t.equal(forecast.computedMethod, 'ols');
  t.equal(forecast.level, 0.9);
  t.same(forecast.fittedOn, { from: '2016', to: '2019', n: 4, breakAt: null });
  close(t, forecast.slopePerYear, 1.9, 'slope per year');
  close(t, forecast.residualSd, Math.sqrt(0.35), 's');
  close(t, forecast.tQuantile, 2.9199855803537242, 't(0.95, 2)');
  t.equal(forecast.truncated, false);
  t.same(
    forecast.points.map((p) => p.period),
    ['2020', '2021', '2022'],
  );
  // 2020: dx = 2.5, sqrt(1 + 1/4 + 6.25/5) = sqrt(2.5); 2021: sqrt(3.7); 2022: sqrt(5.3)
  const expected = [
    [17.5, 14.768603595999025, 20.231396404000975],
    [19.4, 16.077112859670315, 22.722887140329682],
    [21.3, 17.32302680553745, 25.276973194462546],
  ];
  forecast.points.forEach((p, i) => {
    close(t, p.value, expected[i]![0]!, `${p.period} value`);
    close(t, p.lower, expected[i]![1]!, `${p.period} lower`);
    close(t, p.upper, expected[i]![2]!, `${p.period} upper`);
    t.equal(p.source, 'computed');
  });
  t.equal(forecast.reason, null);
  t.end();
});

t.test('the level sets the t quantile: 0.80 and 0.95', (t) => {
  const at80 = fitBaseline(input({ series: example, baselinePeriod: '2019', level: 0.8 })).forecast;
  close(t, at80.tQuantile, 1.8856180831641272, 't(0.90, 2)');
  close(t, at80.points[0]!.lower, 15.736165792623607, '2020 lower at 80 %');
  close(t, at80.points[0]!.upper, 19.263834207376394, '2020 upper at 80 %');
  const at95 = fitBaseline(input({ series: example, baselinePeriod: '2019', level: 0.95 })).forecast;
  close(t, at95.tQuantile, 4.302652729749462, 't(0.975, 2)');
  close(t, at95.points[0]!.lower, 13.475236907752468, '2020 lower at 95 %');
  close(t, at95.points[0]!.upper, 21.524763092247532, '2020 upper at 95 %');
  t.equal(at95.level, 0.95);
  t.end();
});

t.test('the range runs to the later of the latest point and the target period', (t) => {
  const noTarget = fitBaseline(input({ series: example, baselinePeriod: '2019' })).forecast;
  t.same(
    noTarget.points.map((p) => p.period),
    ['2020', '2021'],
    'to c = 2021',
  );
  const earlyTarget = fitBaseline(
    input({ series: example, baselinePeriod: '2019', target: { period: '2020', value: 1 } }),
  ).forecast;
  t.same(
    earlyTarget.points.map((p) => p.period),
    ['2020', '2021'],
    'c = 2021 is later than the target 2020',
  );
  const nothingAfter = fitBaseline(input({ series: example, baselinePeriod: '2021' })).forecast;
  t.equal(nothingAfter.method, 'ols');
  t.same(nothingAfter.points, [], 'c = b and no target: no period to show');
  t.end();
});

t.test('quarterly: slope per year is b1 · 4', (t) => {
  // 2015-Q1 … 2016-Q1 (x 8060 … 8064): 5.0, 5.4, 5.5, 6.1, 6.2 → b1 0.31 per quarter
  const series = ['2015-Q1', '2015-Q2', '2015-Q3', '2015-Q4', '2016-Q1'].map((period, i) => ({
    period,
    value: [5.0, 5.4, 5.5, 6.1, 6.2][i]!,
  }));
  const { forecast } = fitBaseline(
    input({
      series,
      calendar: { frequency: 'quarterly' },
      baselinePeriod: '2016-Q1',
      target: { period: '2016-Q2', value: 7 },
    }),
  );
  close(t, forecast.slopePerYear, 1.24, 'slope per year = 0.31 · 4');
  close(t, forecast.residualSd, 0.13038404810405296, 's');
  t.equal(forecast.points.length, 1);
  t.equal(forecast.points[0]!.period, '2016-Q2');
  close(t, forecast.points[0]!.value, 6.57, '2016-Q2');
  close(t, forecast.points[0]!.lower, 6.125345072456672, 'lower (t(0.95, 3) = 2.3533634348)');
  close(t, forecast.points[0]!.upper, 7.014654927543327, 'upper');
  t.end();
});

t.test('weekly: slope per year is b1 · 365.2425/7', (t) => {
  const series = ['2024-W01', '2024-W02', '2024-W03'].map((period, i) => ({ period, value: 10 + 2 * i }));
  const { forecast } = fitBaseline(input({ series, calendar: { frequency: 'weekly' }, baselinePeriod: '2024-W03' }));
  t.equal(forecast.method, 'ols');
  close(t, forecast.slopePerYear, (2 * 365.2425) / 7, 'slope per year');
  t.end();
});

t.test('n = 2: two_point line, no interval; n = 1: flat; n = 0: none', (t) => {
  const two = fitBaseline(
    input({ series: yearly(2018, 10, 14, 15), baselinePeriod: '2019', target: { period: '2021', value: 30 } }),
  ).forecast;
  t.equal(two.method, 'two_point');
  t.equal(two.level, null);
  t.equal(two.tQuantile, null);
  t.equal(two.residualSd, null);
  t.equal(two.slopePerYear, 4);
  t.same(two.points, [
    { period: '2020', value: 18, lower: null, upper: null, source: 'computed' },
    { period: '2021', value: 22, lower: null, upper: null, source: 'computed' },
  ]);
  t.match(two.reason, /2 points/);

  const one = fitBaseline(input({ series: yearly(2019, 7, 9), baselinePeriod: '2019' })).forecast;
  t.equal(one.method, 'flat');
  t.equal(one.slopePerYear, 0);
  t.same(one.fittedOn, { from: '2019', to: '2019', n: 1, breakAt: null });
  t.same(one.points, [{ period: '2020', value: 7, lower: null, upper: null, source: 'computed' }]);

  const none = fitBaseline(input({ series: yearly(2020, 7, 9), baselinePeriod: '2019' })).forecast;
  t.equal(none.method, null);
  t.equal(none.computedMethod, null);
  t.same(none.fittedOn, { from: null, to: null, n: 0, breakAt: null });
  t.equal(none.slopePerYear, null);
  t.same(none.points, []);
  t.match(none.reason, /no data at or before the baseline/);

  const noBaseline = fitBaseline(input({ series: yearly(2020, 7, 9), baselinePeriod: null }));
  t.equal(noBaseline.forecast.method, null);
  t.match(noBaseline.forecast.reason, /no baseline period/);
  t.equal(noBaseline.at('2021'), null);
  t.end();
});

t.test('a history that is not contiguous: gaps are not filled', (t) => {
  // 2010: 1, 2012: 5, 2013: 6 → x̄ 2011⅔, ȳ 4; dx −5/3, 1/3, 4/3; dy −3, 1, 2
  // Sxx = 25/9 + 1/9 + 16/9 = 14/3, Sxy = 5 + 1/3 + 8/3 = 8 → b1 = 12/7
  const { forecast } = fitBaseline(
    input({
      series: [
        { period: '2010', value: 1 },
        { period: '2012', value: 5 },
        { period: '2013', value: 6 },
      ],
      baselinePeriod: '2013',
      target: { period: '2014', value: 9 },
    }),
  );
  t.same(forecast.fittedOn, { from: '2010', to: '2013', n: 3, breakAt: null });
  close(t, forecast.slopePerYear, 12 / 7, 'b1');
  // ŷ(2014) = 4 + 12/7 · 7/3 = 8
  close(t, forecast.points[0]!.value, 8, 'ŷ(2014)', 1e-11);
  t.end();
});

t.test('bounds: percent forecasts are clamped to [0, 100], interval ends too', (t) => {
  // 2010–2012: 90, 95, 98 → b1 4, s = 0.8165, t(0.95, 1) = 6.3137515
  const { forecast } = fitBaseline(
    input({
      series: yearly(2010, 90, 95, 98),
      baselinePeriod: '2012',
      target: { period: '2016', value: 100 },
      bounds: resolveBounds('percent', null),
    }),
  );
  t.same(
    forecast.points.map((p) => p.value),
    [100, 100, 100, 100],
    '102.33, 106.33, 110.33, 114.33 clamped',
  );
  t.same(
    forecast.points.map((p) => p.upper),
    [100, 100, 100, 100],
  );
  close(t, forecast.points[0]!.lower, 92.92134828009624, '2013 lower (not clamped)');
  close(t, forecast.points[3]!.lower, 95.15966206344379, '2016 lower (not clamped)');
  close(t, forecast.slopePerYear, 4, 'the slope is reported unclamped');
  t.end();
});

t.test('bounds: counts cannot go below 0; the indicator bounds replace the unit default', (t) => {
  const counts = fitBaseline(
    input({
      series: yearly(2018, 6, 4),
      baselinePeriod: '2019',
      target: { period: '2022', value: 0 },
      bounds: resolveBounds('count', null),
    }),
  ).forecast;
  t.same(
    counts.points.map((p) => p.value),
    [2, 0, 0],
    '6, 4 → 2, 0, −2 clamped to 0',
  );
  const own = resolveBounds('percent', { min: 20, max: null });
  t.same(own, { min: 20, max: null, source: 'indicator' });
  const fc = fitBaseline(
    input({ series: yearly(2018, 40, 30), baselinePeriod: '2019', target: { period: '2021', value: 0 }, bounds: own }),
  ).forecast;
  t.same(
    fc.points.map((p) => p.value),
    [20, 20],
    '20, 10 → clamped at the indicator minimum 20, no maximum',
  );
  t.end();
});

t.test('resolveBounds and clampToBounds', (t) => {
  t.same(resolveBounds('percent', null), { min: 0, max: 100, source: 'unit' });
  t.same(resolveBounds('count', null), { min: 0, max: null, source: 'unit' });
  for (const unit of ['rate', 'currency', 'index', 'ratio', 'other'] as const) {
    t.same(resolveBounds(unit, null), { min: null, max: null, source: 'none' }, unit);
  }
  t.same(resolveBounds('rate', { min: null, max: null }), { min: null, max: null, source: 'indicator' });
  t.throws(() => resolveBounds('rate', { min: 5, max: 1 }), RangeError);
  t.equal(clampToBounds(104.2, { min: 0, max: 100, source: 'unit' }), 100);
  t.equal(clampToBounds(-3, { min: 0, max: null, source: 'unit' }), 0);
  t.equal(clampToBounds(-3, NONE), -3);
  t.ok(Object.is(clampToBounds(-0, NONE), 0), '−0 becomes 0');
  t.end();
});

t.test('manual override replaces the computed forecast where it covers', (t) => {
  const fit = fitBaseline(
    input({
      series: example,
      baselinePeriod: '2019',
      target: { period: '2022', value: 20 },
      bounds: resolveBounds('percent', null),
      override: [
        { period: '2018', value: 1 }, // at or before b: ignored
        { period: '2021', value: 18 },
        { period: '2022', value: 120 }, // clamped to 100
        { period: '2030', value: 25 }, // beyond the range: not listed, but read by at()
      ],
    }),
  );
  const { forecast } = fit;
  t.equal(forecast.method, 'manual');
  t.equal(forecast.computedMethod, 'ols');
  t.equal(forecast.level, 0.9, 'the computed periods still have an interval');
  close(t, forecast.slopePerYear, 1.9, 'slope of the computed fit');
  t.same(
    forecast.points.map((p) => [p.period, p.source]),
    [
      ['2020', 'computed'],
      ['2021', 'manual'],
      ['2022', 'manual'],
    ],
  );
  close(t, forecast.points[0]!.value, 17.5, '2020 computed');
  t.same(forecast.points[1], { period: '2021', value: 18, lower: null, upper: null, source: 'manual' });
  t.same(forecast.points[2], { period: '2022', value: 100, lower: null, upper: null, source: 'manual' });
  t.same(fit.at('2030'), { period: '2030', value: 25, lower: null, upper: null, source: 'manual' });
  t.equal(fit.at('2018'), null, 'nothing at or before b');
  t.end();
});

t.test('manual override without any history', (t) => {
  const { forecast } = fitBaseline(
    input({ series: yearly(2020, 5, 6, 7), baselinePeriod: '2019', override: [{ period: '2021', value: 5.5 }] }),
  );
  t.equal(forecast.method, 'manual');
  t.equal(forecast.computedMethod, null);
  t.equal(forecast.level, null);
  t.same(forecast.points, [{ period: '2021', value: 5.5, lower: null, upper: null, source: 'manual' }]);
  t.match(forecast.reason, /only the override periods/);
  t.end();
});

t.test('bad override: duplicate period or non-finite value', (t) => {
  t.throws(
    () =>
      fitBaseline(
        input({
          series: example,
          baselinePeriod: '2019',
          override: [
            { period: '2020', value: 1 },
            { period: '2020', value: 2 },
          ],
        }),
      ),
    RangeError,
  );
  t.throws(
    () =>
      fitBaseline(
        input({ series: example, baselinePeriod: '2019', override: [{ period: '2020', value: Number.NaN }] }),
      ),
    RangeError,
  );
  t.end();
});

t.test('at most 600 periods; at() still reads beyond the cap', (t) => {
  t.equal(MAX_FORECAST_PERIODS, 600);
  const monthly = { frequency: 'monthly' } as const;
  const series = ['2000-01', '2000-02', '2000-03'].map((period, i) => ({ period, value: i }));
  const fit = fitBaseline(
    input({ series, calendar: monthly, baselinePeriod: '2000-03', target: { period: '2100-01', value: 1 } }),
  );
  t.equal(fit.forecast.points.length, 600);
  t.equal(fit.forecast.truncated, true);
  t.equal(fit.forecast.points[0]!.period, '2000-04');
  t.equal(fit.forecast.points[599]!.period, '2050-03', '600 months after 2000-03');
  // y = x − x(2000-01) exactly: at 2060-01 (720 months on) the line gives 720.
  close(t, fit.at('2060-01')!.value, 720, 'beyond the cap', 1e-9);
  const exactly = fitBaseline(
    input({ series, calendar: monthly, baselinePeriod: '2000-03', target: { period: '2050-03', value: 1 } }),
  );
  t.equal(exactly.forecast.points.length, 600);
  t.equal(exactly.forecast.truncated, false, '600 periods fit exactly');
  t.end();
});

t.test('frozen: data after b never change the forecast', (t) => {
  const before = fitBaseline(
    input({ series: example.slice(0, 4), baselinePeriod: '2019', target: { period: '2025', value: 30 } }),
  ).forecast;
  const after = fitBaseline(
    input({
      series: [...example, ...yearly(2022, 99, -50, 3)],
      baselinePeriod: '2019',
      target: { period: '2025', value: 30 },
    }),
  ).forecast;
  t.same(after, before);
  t.end();
});

t.test('input order does not matter', (t) => {
  const a = fitBaseline(input({ series: example, baselinePeriod: '2019' })).forecast;
  const b = fitBaseline(input({ series: [...example].reverse(), baselinePeriod: '2019' })).forecast;
  t.same(b, a);
  t.end();
});
