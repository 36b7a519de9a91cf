/**
 * Property tests of the engine (fast-check): laws that must hold for every input, not just the worked
 * cases. A failing run prints the counterexample and its seed.
 *
 * 1. The frozen forecast never changes when later data arrive.
 * 2. Flipping the polarity swaps better/worse and turned/worsened; mirroring the values (v → −v) does the
 *    same and also swaps up/down; doing both changes nothing.
 * 3. Results do not depend on the order the points (or the dimensions of a disaggregation) are given in.
 * 4. No output number is NaN, ±Infinity or −0, and nothing is undefined: the analysis survives a JSON
 *    round trip unchanged.
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { analyzeIndicator } from '../../server/engine/analyze-indicator.ts';
import { periodLabel, type Frequency } from '../../server/engine/periods.ts';
import type { EngineIndicator, IntervalLevel, ObservedPoint, PeriodValue } from '../../server/engine/series.ts';
import type { CurveResult, IndicatorAnalysis, Slice, TrendResult } from '../../server/engine/types.ts';

const RUNS = { numRuns: 300 };

/** Offsets from a start index, distinct, sorted. */
const offsets = (max: number) => fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: max });
/** Realistic values: hundredths between −1000 and 1000, with some larger doubles. */
const value = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -100000, max: 100000 }).map((v) => v / 100) },
  { weight: 1, arbitrary: fc.double({ min: -1e9, max: 1e9, noNaN: true }) },
);
const frequency = fc.constantFrom<Frequency>('annual', 'quarterly', 'monthly', 'weekly', 'daily');
const START: Record<Frequency, number> = {
  annual: 2000,
  quarterly: 4 * 2000,
  monthly: 12 * 2000,
  weekly: 1565, // 2000-W01
  daily: 10957, // 2000-01-01
};
const DIMENSIONS: Record<string, string>[] = [{ race: 'Black' }, { race: 'White' }, { sex: 'F', age: 'old' }];

interface Scenario {
  indicator: EngineIndicator;
  points: ObservedPoint[];
  level: IntervalLevel;
}

/** An indicator with a total slice and up to three disaggregation slices. */
function scenario(opts: { bounded: boolean }) {
  return fc
    .record({
      frequency,
      polarity: fc.constantFrom('higher_is_better' as const, 'lower_is_better' as const),
      unit: opts.bounded
        ? fc.constantFrom('percent' as const, 'count' as const, 'rate' as const)
        : fc.constant('rate' as const),
      bounds: opts.bounded
        ? fc.option(
            fc.record({
              min: fc.option(fc.integer({ min: -50, max: 0 })),
              max: fc.option(fc.integer({ min: 1, max: 500 })),
            }),
          )
        : fc.constant(null),
      baselineOffset: fc.option(fc.integer({ min: 0, max: 40 })),
      target: fc.option(fc.record({ offset: fc.integer({ min: 0, max: 60 }), value })),
      override: fc.uniqueArray(fc.record({ offset: fc.integer({ min: 0, max: 50 }), value }), {
        selector: (o) => o.offset,
        maxLength: 3,
      }),
      interim: fc.uniqueArray(fc.record({ offset: fc.integer({ min: 0, max: 40 }), value }), {
        selector: (o) => o.offset,
        maxLength: 2,
      }),
      naturalLimit: fc.option(value),
      referenceGroup: fc.option(fc.constantFrom(...DIMENSIONS)),
      total: offsets(12).chain((o) =>
        fc.tuple(fc.constant(o), fc.array(value, { minLength: o.length, maxLength: o.length })),
      ),
      slices: fc.array(
        fc.record({
          d: fc.integer({ min: 0, max: DIMENSIONS.length - 1 }),
          series: offsets(8).chain((o) =>
            fc.tuple(fc.constant(o), fc.array(value, { minLength: o.length, maxLength: o.length })),
          ),
        }),
        { maxLength: 3 },
      ),
      level: fc.constantFrom<IntervalLevel>(0.8, 0.9, 0.95),
    })
    .map((r): Scenario => {
      const cal = { frequency: r.frequency };
      const label = (offset: number) => periodLabel(START[r.frequency] + offset, cal);
      const pv = (o: { offset: number; value: number }): PeriodValue => ({ period: label(o.offset), value: o.value });
      const points: ObservedPoint[] = r.total[0].map((o, i) => ({
        period: label(o),
        value: r.total[1][i]!,
        disaggregation: {},
      }));
      const used = new Set<number>();
      for (const s of r.slices) {
        if (used.has(s.d)) continue;
        used.add(s.d);
        s.series[0].forEach((o, i) =>
          points.push({ period: label(o), value: s.series[1][i]!, disaggregation: { ...DIMENSIONS[s.d]! } }),
        );
      }
      return {
        indicator: {
          polarity: r.polarity,
          unit: r.unit,
          frequency: r.frequency,
          yearStartMonth: null,
          baselinePeriod: r.baselineOffset === null ? null : label(r.baselineOffset),
          target: r.target ? pv(r.target) : null,
          interimTargets: r.interim.map(pv),
          naturalLimit: r.naturalLimit,
          bounds: r.bounds,
          forecastOverride: r.override.map(pv),
          referenceGroup: r.referenceGroup ? { ...r.referenceGroup } : null,
        },
        points,
        level: r.level,
      };
    });
}

const analyse = (s: Scenario): IndicatorAnalysis => analyzeIndicator(s.indicator, s.points, { level: s.level });
const allSlices = (a: IndicatorAnalysis): Slice[] => [a.total, ...a.slices];

t.test('1. frozen: data after the last period never change the forecast', (t) => {
  fc.assert(
    fc.property(
      scenario({ bounded: true }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), value, fc.integer({ min: -1, max: 2 })), {
        minLength: 1,
        maxLength: 6,
      }),
      (s, extra) => {
        // New points come after every existing point (so a defaulted baseline cannot move), in any slice.
        const cal = { frequency: s.indicator.frequency };
        const last = START[cal.frequency] + 40; // every generated point has an offset ≤ 40
        const later: ObservedPoint[] = [];
        const seen = new Set<string>();
        for (const [offset, v, d] of extra) {
          const period = periodLabel(last + offset, cal);
          const disaggregation = d < 0 ? {} : { ...DIMENSIONS[d]! };
          const key = period + JSON.stringify(disaggregation);
          if (seen.has(key)) continue;
          seen.add(key);
          later.push({ period, value: v, disaggregation });
        }
        // A total slice must exist before, or the defaulted baseline would appear only with the new data.
        if (s.indicator.baselinePeriod === null && !s.points.some((p) => Object.keys(p.disaggregation).length === 0))
          return;
        const before = analyse(s);
        const after = analyse({ ...s, points: [...s.points, ...later] });
        const pairs: [Slice, Slice][] = [[before.total, after.total]];
        for (const b of before.slices) {
          const a = after.slices.find((x) => JSON.stringify(x.disaggregation) === JSON.stringify(b.disaggregation));
          pairs.push([b, a!]);
        }
        for (const [b, a] of pairs) {
          const { points: bp, truncated: _bt, ...bRest } = b.forecast;
          const { points: ap, truncated: _at, ...aRest } = a.forecast;
          if (
            JSON.stringify(aRest) !== JSON.stringify(bRest) ||
            JSON.stringify(ap.slice(0, bp.length)) !== JSON.stringify(bp)
          ) {
            return false;
          }
        }
        return true;
      },
    ),
    RUNS,
  );
  t.end();
});

const SWAP_VS = { better: 'worse', worse: 'better', equal: 'equal' } as const;
const SWAP_STATUS = {
  turned: 'worsened',
  worsened: 'turned',
  not_turned: 'not_turned',
  insufficient_data: 'insufficient_data',
} as const;
const SWAP_DIR = { up: 'down', down: 'up', flat: 'flat' } as const;

function swappedCurve(a: CurveResult, b: CurveResult): boolean {
  return (
    (a.latestVsForecast === null ? b.latestVsForecast === null : SWAP_VS[a.latestVsForecast] === b.latestVsForecast) &&
    SWAP_STATUS[a.status] === b.status &&
    JSON.stringify(a.signals) === JSON.stringify(b.signals) &&
    a.points.every((p, i) => p.residual === -b.points[i]!.residual)
  );
}
function negatedGood(a: TrendResult, b: TrendResult): boolean {
  return a.good === null ? b.good === null : a.good === !b.good;
}
function mirror(s: Scenario): Scenario {
  const neg = (p: PeriodValue): PeriodValue => ({ period: p.period, value: -p.value });
  return {
    ...s,
    indicator: {
      ...s.indicator,
      target: s.indicator.target ? neg(s.indicator.target) : null,
      interimTargets: s.indicator.interimTargets.map(neg),
      forecastOverride: s.indicator.forecastOverride.map(neg),
      naturalLimit: s.indicator.naturalLimit === null ? null : -s.indicator.naturalLimit,
    },
    points: s.points.map((p) => ({ ...p, value: -p.value })),
  };
}
function flip(s: Scenario): Scenario {
  return {
    ...s,
    indicator: {
      ...s.indicator,
      polarity: s.indicator.polarity === 'higher_is_better' ? 'lower_is_better' : 'higher_is_better',
    },
  };
}

t.test('2a. flipping the polarity swaps better/worse and turned/worsened, keeps directions', (t) => {
  fc.assert(
    fc.property(scenario({ bounded: false }), (s) => {
      const a = allSlices(analyse(s));
      const b = allSlices(analyse(flip(s)));
      return a.every(
        (x, i) =>
          swappedCurve(x.curve, b[i]!.curve) &&
          x.trend.direction === b[i]!.trend.direction &&
          negatedGood(x.trend, b[i]!.trend),
      );
    }),
    RUNS,
  );
  t.end();
});

t.test('2b. mirroring the values (v → −v) swaps better/worse, turned/worsened and up/down', (t) => {
  fc.assert(
    fc.property(scenario({ bounded: false }), (s) => {
      const a = allSlices(analyse(s));
      const b = allSlices(analyse(mirror(s)));
      return a.every((x, i) => {
        const y = b[i]!;
        const forecastMirrored = x.forecast.points.every((p, k) => {
          const q = y.forecast.points[k]!;
          return p.value === -q.value && (p.lower === null ? q.upper === null : p.lower === -q.upper!);
        });
        return (
          swappedCurve(x.curve, y.curve) &&
          (x.trend.direction === null
            ? y.trend.direction === null
            : SWAP_DIR[x.trend.direction] === y.trend.direction) &&
          negatedGood(x.trend, y.trend) &&
          forecastMirrored
        );
      });
    }),
    RUNS,
  );
  t.end();
});

t.test('2c. flipping the polarity and mirroring the values together changes no judgement', (t) => {
  fc.assert(
    fc.property(scenario({ bounded: false }), (s) => {
      const a = allSlices(analyse(s));
      const b = allSlices(analyse(flip(mirror(s))));
      return a.every(
        (x, i) =>
          x.curve.status === b[i]!.curve.status &&
          x.curve.latestVsForecast === b[i]!.curve.latestVsForecast &&
          x.trend.good === b[i]!.trend.good &&
          JSON.stringify(x.curve.points.map((p) => p.residual)) ===
            JSON.stringify(b[i]!.curve.points.map((p) => p.residual)),
      );
    }),
    RUNS,
  );
  t.end();
});

t.test('2d. a worked case of the three laws', (t) => {
  const s: Scenario = {
    indicator: {
      polarity: 'higher_is_better',
      unit: 'rate',
      frequency: 'annual',
      yearStartMonth: null,
      baselinePeriod: '2012',
      target: null,
      interimTargets: [],
      naturalLimit: null,
      bounds: null,
      forecastOverride: [],
      referenceGroup: null,
      forecast: { method: 'linear' },
    },
    // History 1, 2, 3 (a perfect line: s = 0, interval floor ±0.5); then 9 > 4 and 10 > 5: better, and two
    // points in a row outside the interval (engine 2.0 asks for a lasting departure).
    points: [1, 2, 3, 9, 10].map((value, i) => ({ period: String(2010 + i), value, disaggregation: {} })),
    level: 0.9,
  };
  t.equal(analyse(s).total.curve.status, 'turned');
  t.equal(analyse(flip(s)).total.curve.status, 'worsened');
  t.equal(analyse(mirror(s)).total.curve.status, 'worsened');
  t.equal(analyse(mirror(s)).total.trend.direction, 'down');
  t.equal(analyse(flip(mirror(s))).total.curve.status, 'turned');
  t.end();
});

t.test('3. the order of the points and of dimension keys does not matter', (t) => {
  fc.assert(
    fc.property(
      scenario({ bounded: true }).chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.shuffledSubarray(s.points, { minLength: s.points.length, maxLength: s.points.length }),
        ),
      ),
      ([s, shuffled]) => {
        const reKeyed = shuffled.map((p) => ({
          ...p,
          disaggregation: Object.fromEntries(Object.entries(p.disaggregation).reverse()),
        }));
        const a = analyse(s);
        const b = analyse({ ...s, points: reKeyed });
        return JSON.stringify(a) === JSON.stringify(b);
      },
    ),
    RUNS,
  );
  t.end();
});

/** Every leaf is null, a boolean, a string or a finite number other than −0; no undefined anywhere. */
function badLeaves(value: unknown, path = '$'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Object.is(value, -0) ? [] : [`${path} = ${Object.is(value, -0) ? '-0' : value}`];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => badLeaves(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    return Object.entries(value as object).flatMap(([k, v]) =>
      v === undefined ? [`${path}.${k} is undefined`] : badLeaves(v, `${path}.${k}`),
    );
  }
  return [`${path} has type ${typeof value}`];
}

t.test('4. no NaN, no Infinity, no −0, no undefined: JSON round trip is exact', (t) => {
  fc.assert(
    fc.property(scenario({ bounded: true }), (s) => {
      const a = analyse(s);
      const bad = badLeaves(a);
      if (bad.length > 0) throw new Error(`not JSON-safe: ${bad.slice(0, 5).join('; ')}`);
      return JSON.stringify(JSON.parse(JSON.stringify(a))) === JSON.stringify(a);
    }),
    { numRuns: 500 },
  );
  // And with extreme but accepted values (near ±1e100, and tiny ones).
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(fc.double({ min: -1e100, max: 1e100, noNaN: true }), fc.constantFrom(1e-300, -1e-300, 5e-324, 0)),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      fc.option(fc.double({ min: -1e100, max: 1e100, noNaN: true })),
      (values, target) => {
        const a = analyzeIndicator(
          {
            polarity: 'higher_is_better',
            unit: 'rate',
            frequency: 'annual',
            yearStartMonth: null,
            baselinePeriod: '2002',
            target: target === null ? null : { period: '2012', value: target },
            interimTargets: [],
            naturalLimit: null,
            bounds: null,
            forecastOverride: [],
            referenceGroup: null,
          },
          values.map((value, i) => ({ period: String(2000 + i), value, disaggregation: {} })),
        );
        const bad = badLeaves(a);
        if (bad.length > 0) throw new Error(`not JSON-safe: ${bad.slice(0, 5).join('; ')}`);
        return true;
      },
    ),
    { numRuns: 500 },
  );
  t.end();
});
