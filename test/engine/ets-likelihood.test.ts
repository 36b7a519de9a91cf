/**
 * The fast paths of the ETS fit give exactly (bit for bit) what the plain paths give: two models' recursions
 * run in one loop (pairValues) against each alone, Nelder–Mead driven step by step (NelderMeadRun) against
 * nelderMead, and fitAutoEts (models optimised two at a time) against fitting each model alone.
 */
import t from '../helpers/tap.ts';
import { candidateModels, fitAutoEts, fitEtsModel } from '../../server/engine/ets-fit.ts';
import {
  likelihoodCriterion,
  LikelihoodEvaluator,
  pairable,
  pairValues,
  runRecursion,
} from '../../server/engine/ets-recursion.ts';
import { etsSpec, type EtsModelCode } from '../../server/engine/ets-types.ts';
import { nelderMead, NelderMeadRun } from '../../server/engine/nelder-mead.ts';

/** A seeded monthly series: level, trend, a 12-month swing, noise (mulberry32). */
function series(seed: number, n: number, gaps: number[] = []): number[] {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const y = Array.from({ length: n }, (_, i) => 50 + 0.2 * i + 6 * Math.sin((2 * Math.PI * i) / 12) + 3 * random());
  for (const g of gaps) y[g] = NaN;
  return y;
}

/** A point of the model's optimiser vector near the data: [α, β?, γ?, φ?, ℓ, b?, s₀ … s₁₀]. */
function point(code: EtsModelCode, k: number): number[] {
  const spec = etsSpec(code, 12);
  const x = [0.05 + 0.03 * k];
  if (spec.trend !== 'N') x.push(0.01 + 0.002 * k);
  if (spec.seasonal) x.push(0.02 + 0.01 * k);
  if (spec.trend === 'Ad') x.push(0.85 + 0.01 * k);
  x.push(48 + k);
  if (spec.trend !== 'N') x.push(0.1 * k);
  for (let j = 0; j < 11; j++) x.push(spec.season === 'M' ? 1 + 0.05 * Math.sin(j + k) : 3 * Math.sin(j + k));
  return x;
}

const SEASONAL: EtsModelCode[] = ['ANA', 'AAdA', 'AAA', 'MNA', 'MAdA', 'MAA', 'MNM', 'MAdM', 'MAM'];
const NON_SEASONAL: EtsModelCode[] = ['ANN', 'AAdN', 'AAN', 'MNN', 'MAdN', 'MAN'];

t.test('pairValues: each lane is bit for bit its model alone (with gaps, both error types, non-seasonal too)', (t) => {
  for (const y of [series(1, 120), series(2, 96, [3, 40, 41])]) {
    const data = Float64Array.from(y);
    for (const a of [...SEASONAL, ...NON_SEASONAL]) {
      for (const b of [...SEASONAL, ...NON_SEASONAL]) {
        const ea = new LikelihoodEvaluator(etsSpec(a, 12), data);
        const eb = new LikelihoodEvaluator(etsSpec(b, 12), data);
        if (!pairable(ea, eb)) continue;
        for (let k = 0; k < 4; k++) {
          t.ok(ea.load(point(a, k)) && eb.load(point(b, k + 1)), `${a}/${b} ${k}: points in the parameter space`);
          const values = new Float64Array(2);
          pairValues(ea, eb, values);
          t.equal(values[0], ea.value(), `${a} with ${b}, point ${k}`);
          t.equal(values[1], eb.value(), `${b} with ${a}, point ${k + 1}`);
        }
      }
    }
  }
  t.end();
});

t.test('LikelihoodEvaluator agrees with runRecursion', (t) => {
  const y = series(3, 60, [10]);
  for (const code of [...SEASONAL, 'ANN', 'AAdN', 'MAN'] as EtsModelCode[]) {
    const spec = etsSpec(code, 12);
    const x = point(code, 2);
    const e = new LikelihoodEvaluator(spec, y);
    t.ok(e.load(x));
    let i = 0;
    const alpha = x[i++]!;
    const beta = spec.trend !== 'N' ? x[i++]! : null;
    const gamma = spec.seasonal ? x[i++]! : null;
    const phi = spec.trend === 'Ad' ? x[i++]! : null;
    const level = x[i++]!;
    const trend = spec.trend !== 'N' ? x[i++]! : null;
    const free = spec.seasonal ? x.slice(i, i + 11) : [];
    const seasonal = spec.seasonal ? [...free, (spec.season === 'M' ? 12 : 0) - free.reduce((s, v) => s + v, 0)] : [];
    const r = runRecursion(spec, { alpha, beta, gamma, phi }, { level, trend, seasonal }, y);
    t.equal(e.value(), likelihoodCriterion(r.sse, r.observed, r.logForecasts), code);
  }
  t.end();
});

t.test('NelderMeadRun driven by hand takes nelderMead’s steps (Rosenbrock, as R’s optim)', (t) => {
  const rosenbrock = (x: ArrayLike<number>): number => 100 * (x[1]! - x[0]! * x[0]!) ** 2 + (1 - x[0]!) ** 2;
  const run = new NelderMeadRun([-1.2, 1]);
  while (run.result === null) run.tell(rosenbrock(run.point));
  t.same(run.result, nelderMead(rosenbrock, [-1.2, 1]));
  t.equal(run.result.evaluations, 195);
  t.ok(Math.abs(run.result.value - 8.825241e-8) < 1e-13);
  t.throws(() => run.tell(0), /already stopped/, 'a stopped run takes no more values');
  t.end();
});

t.test('fitAutoEts (models two at a time) = every model fitted alone', (t) => {
  for (const y of [series(4, 120), series(5, 84, [7, 50])]) {
    const auto = fitAutoEts(y, 12, true);
    const alone = candidateModels(true, true).map((code) => fitEtsModel(etsSpec(code, 12), y));
    t.same(
      auto.tried.map((c) => c.aicc),
      alone.map((f) => (f && Number.isFinite(f.aicc) ? f.aicc : null)),
    );
    const best = alone.filter((f) => f !== null).reduce((a, b) => (b.aicc < a.aicc ? b : a));
    t.same(auto.best, best);
  }
  t.end();
});
