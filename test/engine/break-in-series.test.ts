/**
 * A break in series (SDMX OBS_STATUS B) starts a new baseline history (docs/methodology.md §3): the forecast
 * is fitted on the points from the latest break at or before the baseline period b on. Expected numbers worked
 * by hand (least squares on small integers).
 */
import t from '../helpers/tap.ts';
import { analyzeIndicator } from '../../server/engine/analyze-indicator.ts';
import { fitBaseline, latestBreakAtOrBefore } from '../../server/engine/baseline-forecast.ts';
import type { EngineIndicator, ObservedPoint } from '../../server/engine/series.ts';

const indicator: EngineIndicator = {
  polarity: 'lower_is_better',
  unit: 'count',
  frequency: 'annual',
  yearStartMonth: null,
  baselinePeriod: '2019',
  target: null,
  interimTargets: [],
  naturalLimit: null,
  bounds: null,
  forecastOverride: [],
  referenceGroup: null,
  forecast: { method: 'linear' },
};

// A count that a new definition in 2017 cut from about 50 to about 20: 2012–2016 at 50, 2017–2019 at 20
// (b = 2019), then 20 and 20 in 2020–2021. Nothing changed in the world, only the measure.
const VALUES: Array<[string, number]> = [
  ['2012', 50],
  ['2013', 50],
  ['2014', 50],
  ['2015', 50],
  ['2016', 50],
  ['2017', 20],
  ['2018', 20],
  ['2019', 20],
  ['2020', 20],
  ['2021', 20],
];
const points = (breakAt: string | null, disaggregation: Record<string, string> = {}): ObservedPoint[] =>
  VALUES.map(([period, value]) => ({
    period,
    value,
    disaggregation,
    obsStatus: period === breakAt ? 'B' : null,
  }));

t.test('latestBreakAtOrBefore: the latest break at or before b, else null', async (t) => {
  t.equal(latestBreakAtOrBefore([2012, 2017, 2021], 2019), 2017);
  t.equal(latestBreakAtOrBefore([2019], 2019), 2019);
  t.equal(latestBreakAtOrBefore([2021], 2019), null, 'a break after b does not touch the frozen forecast');
  t.equal(latestBreakAtOrBefore([], 2019), null);
});

t.test('with B at the level shift the forecast follows the new level; without it, it does not', async (t) => {
  const withBreak = analyzeIndicator(indicator, points('2017')).total;
  t.same(withBreak.forecast.fittedOn, { from: '2017', to: '2019', n: 3, breakAt: '2017' });
  t.equal(withBreak.forecast.slopePerYear, 0, 'H = 20, 20, 20: a flat line');
  t.same(
    withBreak.forecast.points.map((p) => [p.period, p.value]),
    [
      ['2020', 20],
      ['2021', 20],
    ],
  );
  t.equal(withBreak.curve.latestVsForecast, 'equal');
  t.equal(withBreak.curve.status, 'not_turned', 'no change in the world: the curve has not turned');

  // Without B, least squares over 2012–2019: x̄ 2015.5, ȳ 38.75, Sxx 42, Sxy −225 → slope −5.357/year,
  // F(2020) = 38.75 − 5.357 × 4.5 = 14.64, F(2021) = 9.29: the line keeps falling below the new level, and
  // the unchanged 20 reads as worse than the baseline.
  const without = analyzeIndicator(indicator, points(null)).total;
  t.same(without.forecast.fittedOn, { from: '2012', to: '2019', n: 8, breakAt: null });
  t.ok(Math.abs(without.forecast.slopePerYear! - -225 / 42) < 1e-9, `slope ${without.forecast.slopePerYear}`);
  const f2020 = without.forecast.points[0]!.value;
  t.ok(Math.abs(f2020 - (38.75 - (225 / 42) * 4.5)) < 1e-9, `F(2020) ${f2020}`);
  t.ok(f2020 < 15, 'the forecast does not follow the new level');
  t.equal(without.curve.latestVsForecast, 'worse');
});

t.test('a break after b, or before an earlier break, changes nothing but what it must', async (t) => {
  const after = analyzeIndicator(indicator, points('2020')).total.forecast;
  t.same(after.fittedOn, { from: '2012', to: '2019', n: 8, breakAt: null }, 'a break after b: the whole history');
  const two = points('2017');
  two[1]!.obsStatus = 'B'; // 2013 too: the latest one at or before b counts
  t.same(analyzeIndicator(indicator, two).total.forecast.fittedOn, {
    from: '2017',
    to: '2019',
    n: 3,
    breakAt: '2017',
  });
  const atBase = analyzeIndicator(indicator, points('2019')).total.forecast;
  t.same(atBase.fittedOn, { from: '2019', to: '2019', n: 1, breakAt: '2019' });
  t.equal(atBase.computedMethod, 'flat', 'a break at b leaves one point: flat at 20');
});

t.test('a break acts on its own slice: a group marked B, the total not', async (t) => {
  const indicatorWithGroups = { ...indicator };
  const analysis = analyzeIndicator(indicatorWithGroups, [...points(null), ...points('2017', { sex: 'female' })]);
  t.equal(analysis.total.forecast.fittedOn.breakAt, null);
  t.equal(analysis.total.forecast.fittedOn.n, 8);
  t.same(analysis.slices[0]!.forecast.fittedOn, { from: '2017', to: '2019', n: 3, breakAt: '2017' });
  t.equal(analysis.slices[0]!.forecast.points[0]!.value, 20);
});

t.test('fitBaseline takes the breaks as periods; other statuses change nothing', async (t) => {
  const series = VALUES.map(([period, value]) => ({ period, value }));
  const base = {
    series,
    calendar: { frequency: 'annual' as const },
    baselinePeriod: '2019',
    target: null,
    bounds: { min: 0, max: null, source: 'unit' as const },
    override: [],
    level: 0.9 as const,
    forecast: { method: 'linear' as const },
  };
  t.equal(fitBaseline({ ...base, breaks: ['2017'] }).forecast.fittedOn.n, 3);
  t.equal(fitBaseline({ ...base, breaks: [] }).forecast.fittedOn.n, 8);
  const marked = points(null).map((p, i) => ({ ...p, obsStatus: (['P', 'E', 'A'] as const)[i % 3] }));
  t.same(
    analyzeIndicator(indicator, marked).total.forecast,
    analyzeIndicator(indicator, points(null)).total.forecast,
    'P, E and A do not cut the history',
  );
});
