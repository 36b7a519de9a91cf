/**
 * Equity gaps (docs/methodology.md §6): gap = slice − reference on common periods, baseline and latest gaps, narrowing,
 * and the Theil–Sen slope of |gap| per year over the post-baseline periods. Expected numbers worked by hand.
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { equityGap } from '../../server/engine/equity-gap.ts';

const annual = { frequency: 'annual' } as const;
const series = (start: number, values: (number | null)[]) =>
  values.flatMap((v, i) => (v === null ? [] : [{ period: String(start + i), value: v }]));

t.test('the documented example: a narrowing gap', async (t) => {
  const g = equityGap({
    slice: series(2018, [9, 10, 12, 9, 8, 7.5]),
    reference: series(2018, [4, 5, 8, 5.5, 5, 5]),
    baselinePeriod: '2019',
    calendar: annual,
  });
  t.same(
    g.points.map((p) => p.gap),
    [5, 5, 4, 3.5, 3, 2.5],
  );
  t.equal(g.baselineGap, 5);
  t.equal(g.baselineGapPeriod, '2019');
  t.equal(g.baselineGapShifted, false);
  t.equal(g.latestGap, 2.5);
  t.equal(g.latestGapPeriod, '2023');
  t.equal(g.narrowing, true);
  t.equal(g.slopePerYear, -0.5, 'Theil–Sen of 4, 3.5, 3, 2.5 over 2020–2023');
  t.equal(g.slopeMethod, 'theil_sen');
  t.equal(g.slopeN, 4);
  t.same(g.reasons, {});
  t.equal(g.reference, null, 'the total slice by default');
  t.same(JSON.parse(JSON.stringify(g)), g, 'JSON round trip');
});

t.test('baseline period without a common point: the first common period after it', async (t) => {
  // The slice has no 2019 value; the reference has no 2020 value: the first common period after 2019 is 2021.
  const g = equityGap({
    slice: series(2018, [9, null, 12, 10, 9, 9, 8]),
    reference: series(2018, [4, 5, null, 6, 6, 6.5, 6]),
    baselinePeriod: '2019',
    calendar: annual,
  });
  t.same(g.points, [
    { period: '2018', gap: 5 },
    { period: '2021', gap: 4 },
    { period: '2022', gap: 3 },
    { period: '2023', gap: 2.5 },
    { period: '2024', gap: 2 },
  ]);
  t.equal(g.baselineGap, 4);
  t.equal(g.baselineGapPeriod, '2021');
  t.equal(g.baselineGapShifted, true);
  t.equal(g.narrowing, true, '|2| < |4|');
  // post-baseline (> 2019): 2021–2024, |gap| 4, 3, 2.5, 2 at x = 2021..2024;
  // pairwise slopes −1, −0.75, −0.6667, −0.5, −0.5, −0.5 → median (−0.6667 − 0.5)/2 = −0.58333
  t.ok(Math.abs(g.slopePerYear! - -0.5833333333333333) < 1e-12, `slope ${g.slopePerYear}`);
});

t.test('baseline period unset: the first common period', async (t) => {
  const g = equityGap({
    slice: series(2015, [null, 20, 22, 23]),
    reference: series(2015, [10, 12, 13, 14]),
    baselinePeriod: null,
    calendar: annual,
  });
  t.equal(g.baselinePeriod, '2016');
  t.equal(g.baselineGap, 8);
  t.equal(g.latestGap, 9);
  t.equal(g.narrowing, false, 'widening');
  t.equal(g.slopePerYear, null, 'only 2 periods after the baseline');
  t.match(g.reasons.slopePerYear, /at least 3 .* there are 2/);
});

t.test('no common period at or after the baseline', async (t) => {
  const g = equityGap({
    slice: series(2015, [3, 4, 5]),
    reference: series(2015, [1, 1, null, 2, 2]),
    baselinePeriod: '2018',
    calendar: annual,
  });
  t.equal(g.baselineGap, null);
  t.match(g.reasons.baselineGap, /no period in common at or after/);
  t.equal(g.latestGap, 3, 'the latest common period is 2016, before the baseline');
  t.equal(g.latestGapPeriod, '2016');
  t.equal(g.narrowing, null);
  t.equal(g.slopePerYear, null);
});

t.test('nothing in common', async (t) => {
  const g = equityGap({
    slice: series(2015, [3, 4]),
    reference: series(2017, [1, 1]),
    baselinePeriod: '2015',
    calendar: annual,
  });
  t.same(g.points, []);
  t.equal(g.baselineGap, null);
  t.equal(g.latestGap, null);
  t.equal(g.narrowing, null);
  t.equal(g.slopePerYear, null);
  t.equal(Object.keys(g.reasons).length, 4);
});

t.test('one common point: narrowing is unknown, not false', async (t) => {
  const g = equityGap({
    slice: series(2020, [7]),
    reference: series(2020, [5]),
    baselinePeriod: '2020',
    calendar: annual,
  });
  t.equal(g.baselineGap, 2);
  t.equal(g.latestGap, 2);
  t.equal(g.narrowing, null);
  t.match(g.reasons.narrowing, /no later common period/);
});

t.test('a gap that changes sign but shrinks is narrowing; |gap| drives the slope', async (t) => {
  const g = equityGap({
    slice: series(2019, [2, 4, 6, 8, 10]),
    reference: series(2019, [5, 6, 7, 8, 9]),
    baselinePeriod: '2019',
    calendar: annual,
  });
  t.same(
    g.points.map((p) => p.gap),
    [-3, -2, -1, 0, 1],
  );
  t.equal(g.narrowing, true, '|1| < |−3|');
  // post-baseline |gap|: 2, 1, 0, 1 at 2020–2023; slopes −1, −1, −1/3, −1, 0, 1 → median (−1 + −1/3)/2 = −2/3
  t.ok(Math.abs(g.slopePerYear! - -2 / 3) < 1e-12, `slope ${g.slopePerYear}`);
});

t.test('quarterly data: the slope is per year', async (t) => {
  const periods = ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1'];
  const g = equityGap({
    slice: periods.map((period, i) => ({ period, value: 20 - 0.5 * i })),
    reference: periods.map((period) => ({ period, value: 10 })),
    baselinePeriod: '2023-Q1',
    calendar: { frequency: 'quarterly' },
  });
  t.equal(g.slopePerYear, -2, '−0.5 per quarter × 4');
  t.equal(g.slopeN, 4);
});

t.test('a reference group is echoed, and order of input does not matter', async (t) => {
  const g = equityGap({
    slice: series(2019, [2, 4, 6, 8]).reverse(),
    reference: series(2019, [1, 1, 1, 1]).reverse(),
    baselinePeriod: '2019',
    calendar: annual,
    referenceGroup: { race: 'White' },
  });
  t.same(g.reference, { race: 'White' });
  t.same(
    g.points.map((p) => p.period),
    ['2019', '2020', '2021', '2022'],
  );
  t.equal(g.slopePerYear, 2);
  t.equal(g.narrowing, false);
});

const intSeries = fc.array(fc.option(fc.integer({ min: -500, max: 500 }), { nil: null }), {
  minLength: 0,
  maxLength: 12,
});

t.test('property: swapping slice and reference negates gaps, keeps narrowing and slope', async (t) => {
  fc.assert(
    fc.property(intSeries, intSeries, fc.integer({ min: 2000, max: 2011 }), (a, b, base) => {
      const input = { baselinePeriod: String(base), calendar: annual };
      const g = equityGap({ ...input, slice: series(2000, a), reference: series(2000, b) });
      const h = equityGap({ ...input, slice: series(2000, b), reference: series(2000, a) });
      return (
        g.points.every((p, i) => h.points[i]!.gap === (p.gap === 0 ? 0 : -p.gap)) &&
        g.narrowing === h.narrowing &&
        g.slopePerYear === h.slopePerYear &&
        g.baselineGapPeriod === h.baselineGapPeriod
      );
    }),
  );
  t.pass();
});

t.test('property: adding the same amount to both series changes nothing', async (t) => {
  fc.assert(
    fc.property(intSeries, intSeries, fc.integer({ min: -1000, max: 1000 }), (a, b, k) => {
      const input = { baselinePeriod: '2003', calendar: annual };
      const g = equityGap({ ...input, slice: series(2000, a), reference: series(2000, b) });
      const shift = (s: (number | null)[]) => s.map((v) => (v === null ? null : v + k));
      const h = equityGap({ ...input, slice: series(2000, shift(a)), reference: series(2000, shift(b)) });
      return JSON.stringify(g) === JSON.stringify(h);
    }),
  );
  t.pass();
});

t.test('20 groups × 1,200 months: the analysis stays fast (was 14 s with all-pairs Theil–Sen)', async (t) => {
  const { analyzeIndicator } = await import('../../server/engine/analyze-indicator.ts');
  const { periodLabel } = await import('../../server/engine/periods.ts');
  const points = [];
  for (let g = -1; g < 20; g++) {
    for (let i = 0; i < 1200; i++) {
      points.push({
        period: periodLabel(24000 + i, { frequency: 'monthly' }),
        value: 50 + 5 * Math.sin(i / 7 + g) + 0.01 * i,
        disaggregation: g < 0 ? {} : { group: `g${g}` },
      });
    }
  }
  const start = process.cpuUsage();
  const a = analyzeIndicator(
    {
      polarity: 'higher_is_better',
      unit: 'rate',
      frequency: 'monthly',
      yearStartMonth: null,
      baselinePeriod: periodLabel(24000 + 100, { frequency: 'monthly' }),
      target: null,
      interimTargets: [],
      naturalLimit: null,
      bounds: null,
      forecastOverride: [],
      referenceGroup: null,
    },
    points,
  );
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  t.equal(a.slices.length, 20);
  t.equal(a.slices[0]!.gap!.slopeN, 1099, 'the slope is taken over all 1,099 post-baseline months');
  t.ok(ms < 8000, `${ms.toFixed(0)} ms CPU (a generous bound for a shared machine; about 0.5 s when quiet)`);
  t.end();
});
