/**
 * Progress toward the target (docs/methodology.md §5).
 *
 * 1. Every vector of the Statistics Canada sample (`statcan-progress-sample.json` in the shared reference set:
 *    outputs of Statistics Canada's production pipeline, open-sdg/sdg-build 2.4.0 progress code, repository
 *    sdg-data-canada-odd-donnees/cif-data-donnees-cic, file indicator_calculation_components.yml, commit
 *    bb7a432bfd08c4238ec30dc8d79e9110e3037493), loaded as published from test/fixtures/reference.
 * 2. Hand-worked cases; their expected numbers were computed independently (Python, float64).
 * 3. Property tests of laws that really hold (mirror symmetry, scale invariance, ranges).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import {
  cagr,
  limitFactor,
  noTargetScore,
  NO_TARGET_THRESHOLDS,
  type Progress,
  type ProgressInput,
  progressToTarget,
  statusOf,
  targetScore,
} from '../../server/engine/progress.ts';

const annual = { frequency: 'annual' } as const;
const EPS = 1e-9;

interface Vector {
  tag: string;
  base: [number, number];
  current: [number, number];
  direction: 1 | -1;
  target: number | null;
  targetYear: number;
  limit: number | null;
  sign: number;
  value: number | null;
  status: string;
  score: number | null;
}

/** The Statistics Canada sample as published (test/fixtures/reference, checked unchanged by reference-fixtures.test.ts). */
const STATCAN: Vector[] = (
  JSON.parse(readFileSync(new URL('../fixtures/reference/statcan-progress-sample.json', import.meta.url), 'utf8')) as {
    series_vectors: {
      series_tag: string;
      inputs: {
        base_year: number;
        base_value: number;
        current_year: number;
        current_value: number;
        direction: 1 | -1;
        target: number | null;
        target_year: number;
        limit: number | null;
      };
      expected: { sign: number; progress_value: number | null; status: string; score: number | null };
    }[];
  }
).series_vectors.map(({ series_tag, inputs, expected }) => ({
  tag: series_tag,
  base: [inputs.base_year, inputs.base_value],
  current: [inputs.current_year, inputs.current_value],
  direction: inputs.direction,
  target: inputs.target,
  targetYear: inputs.target_year,
  limit: inputs.limit,
  sign: expected.sign,
  value: expected.progress_value,
  status: expected.status,
  score: expected.score,
}));

function input(over: Partial<ProgressInput>): ProgressInput {
  return {
    polarity: 'higher_is_better',
    calendar: annual,
    base: null,
    latest: null,
    target: null,
    naturalLimit: null,
    projectionPoints: [],
    interimTargets: [],
    ...over,
  };
}

const pt = (period: string | number, value: number) => ({ period: String(period), value });

function near(t: Test, actual: number | null, expected: number, eps: number, msg: string): void {
  t.ok(actual !== null && Math.abs(actual - expected) <= eps, `${msg}: ${actual} ≈ ${expected}`);
}

/** No NaN, no ±Infinity, no undefined anywhere in the output. */
function assertClean(t: Test, p: Progress): void {
  const json = JSON.stringify(p);
  t.same(JSON.parse(json), p, 'survives a JSON round trip unchanged');
  const walk = (v: unknown): boolean =>
    typeof v === 'number'
      ? Number.isFinite(v)
      : v && typeof v === 'object'
        ? Object.values(v).every(walk)
        : v !== undefined;
  t.ok(walk(p), 'every number is finite');
}

t.test('Statistics Canada production vectors (statcan-progress-sample.json)', async (t) => {
  t.equal(STATCAN.length, 16, 'all 16 vectors');
  for (const v of STATCAN) {
    const p = progressToTarget(
      input({
        polarity: v.direction === 1 ? 'higher_is_better' : 'lower_is_better',
        base: pt(v.base[0], v.base[1]),
        latest: pt(v.current[0], v.current[1]),
        target: v.target === null ? null : pt(v.targetYear, v.target),
        naturalLimit: v.limit,
      }),
    );
    t.test(v.tag, async (t) => {
      t.equal(p.status, v.status, 'status');
      t.equal(p.method, v.target === null ? 'no_target' : 'target', 'method');
      if (v.value === null) t.equal(p.value, null, 'value is null');
      else near(t, p.value, v.value, EPS, 'progress value');
      if (v.score === null) t.equal(p.score, null, 'score is null');
      else near(t, p.score, v.score, EPS, 'score');
      if (v.status !== 'not_available') t.equal(p.sign, v.sign, 'sign');
      else t.type(p.reason, 'string', 'a reason is given');
      assertClean(t, p);
    });
  }
});

t.test('labels follow Statistics Canada wording', async (t) => {
  const v = STATCAN[0]!;
  const p = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2015, 14.5), latest: pt(2023, 10.4), target: pt(2030, 7.25) }),
  );
  t.equal(p.label, 'Progress made but acceleration needed');
  near(t, p.observedRate, -0.040691777086580005, 1e-12, 'observed CAGR');
  near(t, p.requiredRate, -0.0451583960895835, 1e-12, 'required CAGR');
  t.equal(p.years, 8);
  t.equal(p.yearsToTarget, 15);
  t.same(p.thresholds, { high: 0.95, med: 0.6, low: 0 });
  t.equal(p.limitFactor, null);
  t.equal(v.tag, '1-1-1');
});

t.test('target_achieved is decided before dividing: base equal to the target', async (t) => {
  // higher is better, base 50 in 2015, target 50 in 2025: the required rate is 0.
  const met = progressToTarget(input({ base: pt(2015, 50), latest: pt(2020, 52), target: pt(2025, 50) }));
  t.equal(met.status, 'target_achieved');
  t.equal(met.label, 'Target achieved');
  t.equal(met.score, 5);
  t.equal(met.value, null, 'value is undefined (division by 0) but the status stands');
  t.equal(met.requiredRate, 0);

  const equal = progressToTarget(input({ base: pt(2015, 50), latest: pt(2020, 50), target: pt(2025, 50) }));
  t.equal(equal.status, 'target_achieved', 'latest exactly at the target counts as achieved');
  t.equal(equal.score, 5);

  const missed = progressToTarget(input({ base: pt(2015, 50), latest: pt(2020, 45), target: pt(2025, 50) }));
  t.equal(missed.status, 'not_available');
  t.equal(missed.score, null);
  t.equal(missed.value, null);
  near(t, missed.observedRate, -0.0208516376390232, 1e-12, 'observed rate still reported');
  t.match(missed.reason, /target equals the base/);
  assertClean(t, missed);
});

t.test('zero base and zero target are replaced by 0.001', async (t) => {
  const up = progressToTarget(input({ base: pt(2018, 0), latest: pt(2022, 2) }));
  near(t, up.observedRate, 5.68740304976422, 1e-9, '(2 / 0.001)^(1/4) − 1');
  t.equal(up.status, 'substantial_progress');
  t.equal(up.score, 5);
  t.match(up.notes.join(' '), /base value is 0/);

  const stayedAtZeroGood = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2018, 0), latest: pt(2022, 0) }),
  );
  t.equal(stayedAtZeroGood.value, 1, 'lower is better, 0 → 0: CAGR −1, value +1 (a quirk of the method)');
  t.equal(stayedAtZeroGood.status, 'substantial_progress');

  const stayedAtZeroBad = progressToTarget(input({ base: pt(2018, 0), latest: pt(2022, 0) }));
  t.equal(stayedAtZeroBad.value, -1);
  t.equal(stayedAtZeroBad.status, 'deterioration');
  t.equal(stayedAtZeroBad.score, -5, 'max(125 · −1 − 2.5, −5)');

  // lower is better, 8 → 4 over 5 years, target 0 in 2030 (→ 0.001)
  const zeroTarget = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2015, 8), latest: pt(2020, 4), target: pt(2030, 0) }),
  );
  near(t, zeroTarget.observedRate, -0.12944943670387588, 1e-12, 'observed');
  near(t, zeroTarget.requiredRate, -0.4507197283469411, 1e-12, 'required toward 0.001');
  near(t, zeroTarget.value, 0.28720605858244636, 1e-12, 'value');
  t.equal(zeroTarget.status, 'limited_progress');
  near(t, zeroTarget.score, -1.303298515704521, 1e-12, '4.1667 v − 2.5');
  t.match(zeroTarget.notes.join(' '), /target value is 0/);

  const reachedZero = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2015, 8), latest: pt(2020, 0), target: pt(2030, 0) }),
  );
  t.equal(reachedZero.status, 'target_achieved', '0 <= 0.001');
});

t.test('sign change and negative values', async (t) => {
  const crossed = progressToTarget(input({ base: pt(2015, 5), latest: pt(2020, -2) }));
  t.equal(crossed.status, 'not_available');
  t.equal(crossed.label, 'Unable to assess');
  t.match(crossed.reason, /different signs/);
  assertClean(t, crossed);

  const crossedUp = progressToTarget(input({ base: pt(2015, -4), latest: pt(2020, 3) }));
  t.equal(crossedUp.status, 'not_available');

  // Crossing zero is not_available even when the target is met (engine.md's order: step 3 before step 5).
  const crossedAndMet = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2015, 5), latest: pt(2020, -2), target: pt(2025, 1) }),
  );
  t.equal(crossedAndMet.status, 'not_available');

  // −10 → −5, higher is better: a rise, so progress; sign = −1 flips the negative CAGR.
  const negative = progressToTarget(input({ base: pt(2015, -10), latest: pt(2020, -5) }));
  t.equal(negative.sign, -1);
  near(t, negative.observedRate, -0.12944943670387588, 1e-12, 'observed CAGR of 0.5 over 5 years');
  near(t, negative.value, 0.12944943670387588, 1e-12, 'value');
  t.equal(negative.status, 'substantial_progress');

  const negativeTarget = progressToTarget(input({ base: pt(2015, -10), latest: pt(2020, -8), target: pt(2025, -2) }));
  near(t, negativeTarget.value, 0.2936060639149437, 1e-12, 'value');
  t.equal(negativeTarget.status, 'limited_progress');
  near(t, negativeTarget.score, -1.2766316134856042, 1e-12, 'score');

  const targetAcrossZero = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2015, 5), latest: pt(2020, 3), target: pt(2025, -1) }),
  );
  t.equal(targetAcrossZero.status, 'not_available');
  t.equal(targetAcrossZero.requiredRate, null);
  t.match(targetAcrossZero.reason, /target .* different signs/);
});

t.test('natural limit: the scaling factor C in each of its cases', async (t) => {
  // B = L = 100: C = 0, thresholds all 0.
  t.equal(limitFactor(100, 100), 0);
  const atLimit = progressToTarget(input({ base: pt(2015, 100), latest: pt(2020, 100), naturalLimit: 100 }));
  t.equal(atLimit.limitFactor, 0);
  t.equal(atLimit.status, 'substantial_progress', 'held the limit');
  t.equal(atLimit.score, 5, 'C = 0 → 5');
  const fellFromLimit = progressToTarget(input({ base: pt(2015, 100), latest: pt(2020, 99), naturalLimit: 100 }));
  t.equal(fellFromLimit.status, 'deterioration');
  near(t, fellFromLimit.score, -2.751006042321769, 1e-12, '125 v − 2.5');

  // B <= L: C = 1 − (90/100)^4.44
  const near90 = progressToTarget(input({ base: pt(2015, 90), latest: pt(2020, 91), naturalLimit: 100 }));
  near(t, near90.limitFactor, 0.37362164501282824, 1e-12, 'C');
  near(t, near90.thresholds?.high ?? null, 0.005604324675192424, 1e-15, 'high = 0.015 C');
  near(t, near90.thresholds?.med ?? null, 0.0018681082250641412, 1e-15, 'med = 0.005 C');
  near(t, near90.value, 0.002212411014803184, 1e-15, 'value');
  t.equal(near90.status, 'moderate_progress', 'would be limited_progress without the limit');
  near(t, near90.score, 0.23038198825928635, 1e-12, '250 v / C − 1.25');
  const noLimit = progressToTarget(input({ base: pt(2015, 90), latest: pt(2020, 91) }));
  t.equal(noLimit.status, 'limited_progress');

  // L < B < 2L (a minimum limit): C = 1 − ((2·100 − 150)/100)^4.44
  const above = progressToTarget(
    input({ polarity: 'lower_is_better', base: pt(2015, 150), latest: pt(2020, 148), naturalLimit: 100 }),
  );
  near(t, above.limitFactor, 0.9539290869596531, 1e-12, 'C');
  near(t, above.value, 0.0026810037394695563, 1e-15, 'value');
  t.equal(above.status, 'limited_progress');
  near(t, above.score, -1.0947573168072655, 1e-12, '500 v / C − 2.5');

  // B >= 2L: C = 1
  t.equal(limitFactor(250, 100), 1);
  t.equal(limitFactor(-200, 100), 1, 'absolute values');
  t.equal(limitFactor(0, 0), 1, 'B = L = 0: the first case, no division by zero');
  const far = progressToTarget(input({ base: pt(2015, 250), latest: pt(2020, 260), naturalLimit: 100 }));
  t.equal(far.limitFactor, 1);

  // A limit is ignored when a target is set.
  const withTarget = progressToTarget(
    input({ base: pt(2015, 90), latest: pt(2020, 91), naturalLimit: 100, target: pt(2025, 95) }),
  );
  t.equal(withTarget.limitFactor, null);
  t.same(withTarget.thresholds, { high: 0.95, med: 0.6, low: 0 });
  t.match(withTarget.notes.join(' '), /natural limit is not used/);
});

t.test('not_available cases carry a reason and no numbers', async (t) => {
  const none = progressToTarget(input({}));
  t.equal(none.status, 'not_available');
  t.match(none.reason, /no data point/);
  t.equal(none.years, null);
  assertClean(t, none);

  // One point that already meets the target: engine.md step 1 comes first.
  const single = progressToTarget(input({ base: pt(2020, 80), latest: pt(2020, 80), target: pt(2025, 70) }));
  t.equal(single.status, 'not_available');
  t.equal(single.years, 0);
  t.match(single.reason, /at least two periods/);

  // Target period before the base period.
  const early = progressToTarget(input({ base: pt(2015, 50), latest: pt(2020, 55), target: pt(2014, 60) }));
  t.equal(early.status, 'not_available');
  t.equal(early.requiredRate, null);
  t.match(early.reason, /not after the base period/);
  const earlyMet = progressToTarget(input({ base: pt(2015, 50), latest: pt(2020, 65), target: pt(2014, 60) }));
  t.equal(earlyMet.status, 'target_achieved', 'a met target is still achieved');

  // A growth rate too large for float64 (0 → 0.001, then 5 in one day).
  const daily = { frequency: 'daily' } as const;
  const huge = progressToTarget(input({ calendar: daily, base: pt('2024-01-01', 0), latest: pt('2024-01-02', 5) }));
  t.equal(huge.status, 'not_available');
  t.equal(huge.observedRate, null);
  assertClean(t, huge);
});

t.test('fractional years: quarterly data', async (t) => {
  const p = progressToTarget(
    input({ calendar: { frequency: 'quarterly' }, base: pt('2020-Q1', 100), latest: pt('2021-Q3', 110) }),
  );
  t.equal(p.years, 1.5);
  near(t, p.observedRate, 0.0656022367666107, 1e-12, '1.1^(1/1.5) − 1');
  t.equal(p.status, 'substantial_progress');
});

t.test('linear projection to the target period (§5.9)', async (t) => {
  const ols = progressToTarget(
    input({
      base: pt(2015, 10),
      latest: pt(2017, 13),
      target: pt(2020, 20),
      projectionPoints: [pt(2015, 10), pt(2016, 12), pt(2017, 13)],
    }),
  );
  t.equal(ols.projectionMethod, 'ols');
  near(t, ols.projectedAtTarget, 17.666666666666668, 1e-9, 'slope 1.5 from (2016, 11.667): 11.667 + 4·1.5');
  t.equal(ols.onPace, false);

  // Engine 2.0: no projection through fewer than 3 points.
  const twoPoint = progressToTarget(
    input({
      base: pt(2015, 10),
      latest: pt(2017, 14),
      target: pt(2020, 20),
      projectionPoints: [pt(2015, 10), pt(2017, 14)],
    }),
  );
  t.equal(twoPoint.projectionMethod, null);
  t.equal(twoPoint.projectedAtTarget, null);
  t.equal(twoPoint.onPace, null);

  const threePoints = progressToTarget(
    input({
      base: pt(2015, 10),
      latest: pt(2017, 14),
      target: pt(2020, 20),
      projectionPoints: [pt(2015, 10), pt(2016, 12), pt(2017, 14)],
    }),
  );
  t.equal(threePoints.projectionMethod, 'ols');
  near(t, threePoints.projectedAtTarget, 20, 1e-9, 'slope 2 a year');
  t.equal(threePoints.onPace, true, 'exactly reaching the target is on pace');

  const clamped = progressToTarget(
    input({
      base: pt(2015, 90),
      latest: pt(2017, 98),
      target: pt(2020, 99),
      projectionPoints: [pt(2015, 90), pt(2016, 94), pt(2017, 98)],
      bounds: { min: 0, max: 100 },
    }),
  );
  t.equal(clamped.projectedAtTarget, 100, 'a percentage projection stops at 100 (110 unclamped)');

  const lower = progressToTarget(
    input({
      polarity: 'lower_is_better',
      base: pt(2015, 10),
      latest: pt(2017, 14),
      target: pt(2020, 20),
      projectionPoints: [pt(2015, 10), pt(2016, 12), pt(2017, 14)],
    }),
  );
  t.equal(lower.onPace, true, '20 <= 20');
  const lowerTight = progressToTarget(
    input({
      polarity: 'lower_is_better',
      base: pt(2015, 10),
      latest: pt(2017, 14),
      target: pt(2020, 19),
      projectionPoints: [pt(2015, 10), pt(2016, 12), pt(2017, 14)],
    }),
  );
  t.equal(lowerTight.onPace, false, '20 > 19');

  const monthly = progressToTarget(
    input({
      calendar: { frequency: 'monthly' },
      base: pt('2024-01', 5),
      latest: pt('2024-03', 5.4),
      target: pt('2024-12', 8),
      projectionPoints: [pt('2024-01', 5), pt('2024-02', 5.1), pt('2024-03', 5.4)],
    }),
  );
  // x̄ = Feb, ȳ = 5.1667, slope 0.2 a month → Dec (10 months after Feb): 5.1667 + 2 = 7.1667
  near(t, monthly.projectedAtTarget, 7.166666666666667, 1e-9, 'monthly projection');
  t.equal(monthly.onPace, false);

  const noTarget = progressToTarget(
    input({ base: pt(2015, 10), latest: pt(2017, 14), projectionPoints: [pt(2015, 10), pt(2017, 14)] }),
  );
  t.equal(noTarget.projectedAtTarget, null);
  t.equal(noTarget.onPace, null);

  const onePoint = progressToTarget(
    input({ base: pt(2015, 10), latest: pt(2015, 10), target: pt(2020, 20), projectionPoints: [pt(2015, 10)] }),
  );
  t.equal(onePoint.projectionMethod, null);
  t.equal(onePoint.projectedAtTarget, null);
});

t.test('interim target of the latest period', async (t) => {
  const base = { base: pt(2015, 10), latest: pt(2020, 13) };
  const met = progressToTarget(input({ ...base, interimTargets: [pt(2018, 11), pt(2020, 12), pt(2022, 15)] }));
  t.same(met.interimTarget, { period: '2020', value: 12, latest: 13, gap: 1, met: true });
  const lower = progressToTarget(input({ ...base, polarity: 'lower_is_better', interimTargets: [pt(2020, 12)] }));
  t.same(lower.interimTarget, { period: '2020', value: 12, latest: 13, gap: 1, met: false });
  const none = progressToTarget(input({ ...base, interimTargets: [pt(2019, 12), pt(2021, 12)] }));
  t.equal(none.interimTarget, null, 'only the latest period counts');
});

t.test('score functions at their breakpoints', async (t) => {
  near(t, targetScore(0.6), 7.1429 * 0.6 - 4.2857, 1e-15, 'v = 0.6 uses the upper line');
  near(t, targetScore(0.5999999), 4.1667 * 0.5999999 - 2.5, 1e-15, 'just below uses the lower line');
  t.equal(targetScore(2), 5, 'capped at 5');
  t.equal(targetScore(-2), -5, 'floored at −5');
  t.equal(noTargetScore(0.015, NO_TARGET_THRESHOLDS, 1), 2.5);
  t.equal(noTargetScore(0.005, NO_TARGET_THRESHOLDS, 1), 0);
  t.equal(noTargetScore(0, NO_TARGET_THRESHOLDS, 1), -2.5);
  t.equal(noTargetScore(-0.02, NO_TARGET_THRESHOLDS, 1), -5);
  t.equal(statusOf(0.015, NO_TARGET_THRESHOLDS), 'substantial_progress');
  t.equal(statusOf(0, NO_TARGET_THRESHOLDS), 'limited_progress');
  t.equal(statusOf(-1e-12, NO_TARGET_THRESHOLDS), 'deterioration');
  t.equal(cagr(-5, 10, 3), null);
  t.equal(cagr(5, 10, 0), null);
  near(t, cagr(10.4, 14.5, 8), -0.040691777086580005, 1e-15, 'cagr');
});

// ---------------------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------------------

const magnitude = fc.double({ min: 0.01, max: 1e4, noNaN: true });
const years = fc.integer({ min: 2000, max: 2020 });
const scenario = fc.record({
  baseYear: years,
  span: fc.integer({ min: 1, max: 15 }),
  toTarget: fc.integer({ min: -2, max: 20 }),
  base: magnitude,
  latest: magnitude,
  target: fc.option(magnitude, { nil: null }),
  limit: fc.option(magnitude, { nil: null }),
  negative: fc.boolean(),
  higher: fc.boolean(),
  extra: fc.array(magnitude, { maxLength: 4 }),
});

function fromScenario(s: ScenarioValue, flip = false, k = 1): ProgressInput {
  const m = (s.negative ? -1 : 1) * (flip ? -1 : 1) * k;
  const end = s.baseYear + s.span;
  const higher = flip ? !s.higher : s.higher;
  const points = [
    pt(s.baseYear, m * s.base),
    ...s.extra.map((v, i) => pt(s.baseYear + 1 + (i % s.span), m * v)),
    pt(end, m * s.latest),
  ];
  const unique = new Map(points.map((p) => [p.period, p]));
  return input({
    polarity: higher ? 'higher_is_better' : 'lower_is_better',
    base: pt(s.baseYear, m * s.base),
    latest: pt(end, m * s.latest),
    target: s.target === null ? null : pt(s.baseYear + s.toTarget, m * s.target),
    naturalLimit: s.limit === null ? null : m * s.limit,
    projectionPoints: [...unique.values()].sort((a, b) => Number(a.period) - Number(b.period)),
    interimTargets: s.target === null ? [] : [pt(end, m * s.target)],
  });
}
type ScenarioValue = typeof scenario extends fc.Arbitrary<infer V> ? V : never;

t.test('property: mirroring (negate every value, flip the polarity) changes nothing', async (t) => {
  fc.assert(
    fc.property(scenario, (s) => {
      const a = progressToTarget(fromScenario(s));
      const b = progressToTarget(fromScenario(s, true));
      const neg = (x: number | null) => (x === null ? null : x === 0 ? 0 : -x);
      return (
        a.status === b.status &&
        a.value === b.value &&
        a.score === b.score &&
        a.observedRate === b.observedRate &&
        a.requiredRate === b.requiredRate &&
        a.sign === (b.sign === null ? null : -b.sign) &&
        a.onPace === b.onPace &&
        a.interimTarget?.met === b.interimTarget?.met &&
        Object.is(neg(a.projectedAtTarget), b.projectedAtTarget === 0 ? 0 : b.projectedAtTarget)
      );
    }),
    { numRuns: 500 },
  );
  t.pass('500 random scenarios');
});

t.test('property: scaling every value by a power of two changes nothing', async (t) => {
  fc.assert(
    fc.property(scenario, fc.integer({ min: -6, max: 6 }), (s, e) => {
      const a = progressToTarget(fromScenario(s));
      const b = progressToTarget(fromScenario(s, false, 2 ** e));
      return a.status === b.status && a.value === b.value && a.score === b.score && a.limitFactor === b.limitFactor;
    }),
    { numRuns: 500 },
  );
  t.pass('500 random scenarios');
});

t.test('property: outputs are finite, scores in [−5, 5], null exactly when not available', async (t) => {
  fc.assert(
    fc.property(scenario, (s) => {
      const p = progressToTarget(fromScenario(s));
      const json = JSON.stringify(p);
      if (/NaN|Infinity/.test(json) || JSON.stringify(JSON.parse(json)) !== json) return false;
      if (p.status === 'not_available') return p.score === null && typeof p.reason === 'string';
      return p.score !== null && p.score >= -5 && p.score <= 5 && p.reason === undefined;
    }),
    { numRuns: 1000 },
  );
  t.pass('1000 random scenarios');
});
