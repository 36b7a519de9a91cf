/**
 * The baseline model (forecast-model.ts): method choice, small-sample rules, gaps and coarse steps, the
 * JSON-serialisable fitted model and forecasting from it without refitting, and laws that hold for every
 * input (fast-check): nested intervals, frozen forecasts, exact mirror symmetry, affine equivariance of
 * `forecastFromModel`.
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { fitBaseline, resolveBounds } from '../../server/engine/baseline-forecast.ts';
import {
  fitBaselineModel,
  forecastFromModel,
  type FittedEtsModel,
  type FittedModel,
  type HistoryPoint,
} from '../../server/engine/forecast-model.ts';

const NONE = { min: null, max: null };
const annual = (first: number, values: number[]): HistoryPoint[] => values.map((value, i) => ({ x: first + i, value }));

// A trending annual series (12 points, all above 0): auto picks MAdN by AICc (ANN 20.88, AAdN 9.56,
// AAN 5.33, MNN 22.31, MAdN 4.18, MAN 5.09), as R's ets(y) does (AICc 4.18132).
const TREND = annual(2008, [10.2, 10.9, 11.3, 12.1, 12.4, 13.2, 13.5, 13.9, 14.4, 14.6, 14.9, 15.1]);

t.test('auto: the model with the lowest AICc, with its parameters, states and a plain-words reason', (t) => {
  const { model, explanation } = fitBaselineModel(TREND, { forecast: { method: 'auto' }, frequency: 'annual' });
  t.equal(model?.method, 'ets');
  const ets = model as FittedEtsModel;
  t.equal(ets.model, 'MAdN');
  t.equal(ets.selection, 'aicc');
  t.same(
    ets.candidates.map((c) => c.model),
    ['ANN', 'AAdN', 'AAN', 'MNN', 'MAdN', 'MAN'],
    "forecast::ets's search order",
  );
  const best = Math.min(...ets.candidates.map((c) => c.aicc!));
  t.equal(ets.aicc, best);
  t.ok(Math.abs(ets.aicc! - 4.18132) < 1e-4, `AICc ${ets.aicc} as R's`);
  t.match(explanation, /damped trend: the rise is slowing; errors in proportion to the level/);
  const negative = fitBaselineModel(
    TREND.map((p) => ({ x: p.x, value: p.value - 12 })),
    { forecast: { method: 'auto' }, frequency: 'annual' },
  ).model as FittedEtsModel;
  t.same(
    negative.candidates.map((c) => c.model),
    ['ANN', 'AAdN', 'AAN'],
    'values at or below 0: additive models only',
  );
  t.ok(ets.parameters.alpha > 0 && ets.parameters.beta! <= ets.parameters.alpha, 'usual bounds: β ≤ α');
  t.same(ets.fittedOn, { firstIndex: 2008, lastIndex: 2019, n: 12 });
  t.end();
});

t.test('the fitted model is plain JSON: a stored copy forecasts exactly like the original', (t) => {
  const { model } = fitBaselineModel(TREND, { forecast: { method: 'auto' }, frequency: 'annual' });
  const stored = JSON.parse(JSON.stringify(model)) as FittedModel;
  t.same(forecastFromModel(stored, 5, 0.9, NONE), forecastFromModel(model!, 5, 0.9, NONE));
  t.end();
});

t.test('ets with a model asked for; too short for it → the next simpler model', (t) => {
  const damped = fitBaselineModel(TREND, { forecast: { method: 'ets', model: 'AAdN' }, frequency: 'annual' });
  t.equal((damped.model as FittedEtsModel).model, 'AAdN');
  t.equal((damped.model as FittedEtsModel).selection, 'requested');
  t.match(damped.explanation, /damped trend/);
  // A seasonal model on an annual indicator has no season: AAdA → AAdN.
  const seasonal = fitBaselineModel(TREND, { forecast: { method: 'ets', model: 'AAdA' }, frequency: 'annual' });
  t.equal((seasonal.model as FittedEtsModel).model, 'AAdN');
  // 8 points are too few to estimate a damped trend by likelihood (forecast::ets: n ≤ npars + 4 = 9).
  const short = fitBaselineModel(TREND.slice(0, 8), {
    forecast: { method: 'ets', model: 'AAdN' },
    frequency: 'annual',
  });
  t.equal((short.model as FittedEtsModel).selection, 'small_sample');
  t.equal((short.model as FittedEtsModel).model, 'AAN', "Holt's linear trend");
  t.end();
});

t.test('short histories: 1 point flat, 2 points the line, 3–6 points fixed-start smoothing', (t) => {
  const opts = { forecast: { method: 'auto' as const }, frequency: 'annual' as const };
  t.equal(fitBaselineModel([], opts).model, null);
  t.same(fitBaselineModel(annual(2019, [7]), opts).model, {
    method: 'flat',
    value: 7,
    fittedOn: { firstIndex: 2019, lastIndex: 2019, n: 1 },
  });
  t.equal(fitBaselineModel(annual(2018, [7, 9]), opts).model?.method, 'two_point');
  const four = fitBaselineModel(annual(2016, [10, 12, 13, 16]), opts).model as FittedEtsModel;
  t.equal(four.selection, 'small_sample');
  t.same(four.initialStates, { level: 10, trend: 2, seasonal: [] }, 'level = first value, trend = second − first');
  t.end();
});

t.test('linear: OLS over the whole history or the last `window` points', (t) => {
  const all = fitBaselineModel(TREND, { forecast: { method: 'linear' }, frequency: 'annual' }).model!;
  t.equal(all.method, 'ols');
  t.equal(all.fittedOn.n, 12);
  const last = fitBaselineModel(TREND, { forecast: { method: 'linear', window: 4 }, frequency: 'annual' });
  t.equal(last.model!.fittedOn.n, 4);
  t.equal(last.model!.fittedOn.firstIndex, 2016);
  t.match(last.explanation, /last 4 points/);
  t.end();
});

t.test('manual: no computed model; the override is the whole forecast', (t) => {
  const r = fitBaselineModel(TREND, { forecast: { method: 'manual' }, frequency: 'annual' });
  t.equal(r.model, null);
  const fit = fitBaseline({
    series: TREND.map((p) => ({ period: String(p.x), value: p.value })),
    calendar: { frequency: 'annual' },
    baselinePeriod: '2019',
    target: { period: '2022', value: 20 },
    bounds: resolveBounds('rate', null),
    override: [{ period: '2021', value: 16 }],
    level: 0.9,
    forecast: { method: 'manual' },
  });
  t.equal(fit.forecast.method, 'manual');
  t.equal(fit.forecast.computedMethod, null);
  t.same(
    fit.forecast.points.map((p) => [p.period, p.value]),
    [['2021', 16]],
  );
  t.end();
});

t.test('missing periods are bridged; data every 5 years are modelled on their own step', (t) => {
  const gappy = TREND.filter((p) => p.x !== 2012 && p.x !== 2015);
  const m = fitBaselineModel(gappy, { forecast: { method: 'auto' }, frequency: 'annual' }).model as FittedEtsModel;
  t.equal(m.method, 'ets');
  t.equal(m.missingPeriods, 2);
  t.same(m.fittedOn, { firstIndex: 2008, lastIndex: 2019, n: 10 });
  const fiveYearly = annual(0, [43.9, 45.0, 47.3, 50.2, 53.4, 56.2, 58.9, 61.2, 63.5, 65.5, 67.1]).map((p, i) => ({
    x: 1955 + 5 * i,
    value: p.value,
  }));
  const g = fitBaselineModel(fiveYearly, { forecast: { method: 'auto' }, frequency: 'annual' }).model as FittedEtsModel;
  t.equal(g.step, 5);
  t.equal(g.missingPeriods, 0);
  const f = forecastFromModel(g, 10, 0.9, NONE);
  // Year 5 is the first model step; years 1–4 lie on the line from the last level to it.
  const level = g.lastStates.level;
  t.ok(Math.abs(f[1]!.value - (level + (2 / 5) * (f[4]!.value - level))) < 1e-9, 'interpolated between steps');
  const sparse = fitBaselineModel(
    [
      { x: 2000, value: 1 },
      { x: 2010, value: 2 },
      { x: 2013, value: 4 },
    ],
    { forecast: { method: 'auto' }, frequency: 'annual' },
  );
  t.equal(sparse.model?.method, 'ols', 'more gaps than data: the straight line');
  t.match(sparse.explanation, /too sparse/);
  t.end();
});

t.test('a constant history: flat forecast, zero variance (the interval floor then applies)', (t) => {
  const m = fitBaselineModel(annual(2010, [5, 5, 5, 5, 5, 5, 5, 5]), {
    forecast: { method: 'auto' },
    frequency: 'annual',
  }).model as FittedEtsModel;
  t.equal(m.selection, 'constant_history');
  t.same(forecastFromModel(m, 2, 0.9, NONE, { intervalFloor: 0.5 }), [
    { h: 1, value: 5, lower: 4.5, upper: 5.5 },
    { h: 2, value: 5, lower: 4.5, upper: 5.5 },
  ]);
  t.end();
});

t.test('monthly with two full years: seasonal models are candidates', (t) => {
  const y = Array.from({ length: 48 }, (_, i) => ({
    x: 24000 + i,
    value: 100 + 0.3 * i + 8 * Math.sin((2 * Math.PI * i) / 12) + ((i * 7919) % 13) / 13,
  }));
  const m = fitBaselineModel(y, { forecast: { method: 'auto' }, frequency: 'monthly' }).model as FittedEtsModel;
  t.same(
    m.candidates.map((c) => c.model),
    [
      ...['ANN', 'ANA', 'AAdN', 'AAN', 'AAdA', 'AAA'],
      ...['MNN', 'MNA', 'MNM', 'MAdN', 'MAN', 'MAdA', 'MAA', 'MAdM', 'MAM'],
    ],
  );
  t.equal(m.seasonLength, 12);
  t.ok(m.model.at(-1) !== 'N', `a strong 12-month swing is seasonal (${m.model})`);
  t.match(fitBaselineModel(y, { forecast: { method: 'auto' }, frequency: 'monthly' }).explanation, /seasonal pattern/);
  const short = fitBaselineModel(y.slice(0, 20), { forecast: { method: 'auto' }, frequency: 'monthly' });
  t.equal((short.model as FittedEtsModel).seasonLength, 1, 'under two full seasons: not seasonal');
  t.end();
});

const values = fc.array(
  fc.integer({ min: -5000, max: 5000 }).map((v) => v / 10),
  { minLength: 7, maxLength: 16 },
);

t.test('laws: intervals nested 80 ⊂ 90 ⊂ 95 around the point forecast; mirror exact; frozen', (t) => {
  fc.assert(
    fc.property(values, (vs) => {
      const history = annual(2000, vs);
      const { model } = fitBaselineModel(history, { forecast: { method: 'auto' }, frequency: 'annual' });
      if (!model) return true;
      const [a, b, c] = [0.8, 0.9, 0.95].map((level) => forecastFromModel(model, 6, level, NONE));
      const nested = a!.every((p, i) => {
        const q = b![i]!;
        const r = c![i]!;
        if (p.lower === null) return q.lower === null && r.lower === null;
        return (
          r.lower! <= q.lower! &&
          q.lower! <= p.lower &&
          p.lower <= p.value &&
          p.value <= p.upper! &&
          p.upper! <= q.upper! &&
          q.upper! <= r.upper!
        );
      });
      const mirrored = fitBaselineModel(
        history.map((p) => ({ x: p.x, value: -p.value })),
        { forecast: { method: 'auto' }, frequency: 'annual' },
      ).model!;
      // Multiplicative-error models are candidates only when every value is above 0 (forecast-model.ts), so
      // an all-negative history's mirror may be fitted by a model the history itself could not use, and the
      // other way round: the mirror is exact between fits among the same models. Where one side chose a
      // multiplicative-error model, that side's history must be all above 0.
      const multiplicative = (fitted: FittedModel) => fitted.method === 'ets' && fitted.model.startsWith('M');
      if (multiplicative(model) || multiplicative(mirrored))
        return nested && (multiplicative(model) ? vs : vs.map((v) => -v)).every((v) => v > 0);
      const m = forecastFromModel(mirrored, 6, 0.9, NONE);
      const mirror = b!.every(
        (p, i) => p.value === -m[i]!.value + 0 && (p.lower === null || p.lower === -m[i]!.upper!),
      );
      return nested && mirror;
    }),
    // The first: an all-negative history whose mirror is fitted best by MNN (a random run found it).
    {
      numRuns: 150,
      examples: [[[-293.9, -0.2, -147.6, -103.4, -54.4, -297.8, -91.7]], [[12.5, 3, 40.1, 7, 22, 9.9, 31]]],
    },
  );
  t.end();
});

t.test(
  'law: forecastFromModel is affine-equivariant (a·y + c, a > 0) given the transformed model (additive error)',
  (t) => {
    fc.assert(
      fc.property(
        values,
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        (vs, a, c) => {
          const { model } = fitBaselineModel(annual(2000, vs), { forecast: { method: 'auto' }, frequency: 'annual' });
          if (model?.method !== 'ets' || model.model.startsWith('M')) return true;
          const s = (v: number) => a * v;
          const moved: FittedEtsModel = {
            ...model,
            lastStates: {
              level: a * model.lastStates.level + c,
              trend: model.lastStates.trend === null ? null : s(model.lastStates.trend),
              seasonal: model.lastStates.seasonal.map(s),
            },
            sigma2: a * a * model.sigma2,
          };
          const f = forecastFromModel(model, 6, 0.9, NONE);
          const g = forecastFromModel(moved, 6, 0.9, NONE);
          const tol = (v: number) => 1e-9 * Math.max(1, Math.abs(v));
          return f.every(
            (p, i) =>
              Math.abs(a * p.value + c - g[i]!.value) <= tol(g[i]!.value) &&
              Math.abs(a * p.upper! + c - g[i]!.upper!) <= tol(g[i]!.upper!),
          );
        },
      ),
      { numRuns: 150 },
    );
    t.end();
  },
);

t.test('law: a multiplicative-error model scales (a·y, a > 0) given the scaled model', (t) => {
  fc.assert(
    fc.property(
      fc.array(
        fc.integer({ min: 1, max: 5000 }).map((v) => v / 10),
        { minLength: 7, maxLength: 16 },
      ),
      fc.double({ min: 0.01, max: 100, noNaN: true }),
      (vs, a) => {
        const { model } = fitBaselineModel(annual(2000, vs), {
          forecast: { method: 'ets', model: 'MAdN' },
          frequency: 'annual',
        });
        if (model?.method !== 'ets' || !model.model.startsWith('M')) return true;
        const moved: FittedEtsModel = {
          ...model,
          lastStates: {
            level: a * model.lastStates.level,
            trend: model.lastStates.trend === null ? null : a * model.lastStates.trend,
            seasonal: model.lastStates.seasonal,
          },
        };
        const f = forecastFromModel(model, 6, 0.9, NONE);
        const g = forecastFromModel(moved, 6, 0.9, NONE);
        const tol = (v: number) => 1e-9 * Math.max(1, Math.abs(v));
        return f.every(
          (p, i) =>
            Math.abs(a * p.value - g[i]!.value) <= tol(g[i]!.value) &&
            Math.abs(a * p.upper! - g[i]!.upper!) <= tol(g[i]!.upper!),
        );
      },
    ),
    { numRuns: 100 },
  );
  t.end();
});
