/**
 * OLS fit and prediction interval (docs/methodology.md §3): NIST certified values, R's predict.lm, and a small case
 * worked by hand.
 */
import { readFileSync } from 'node:fs';
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import { fitOls, predictOls, predictionInterval, studentTQuantile } from '../../server/engine/ols.ts';

/**
 * NIST StRD "Norris" (https://www.itl.nist.gov/div898/strd/lls/data/Norris.shtml), loaded as published in the
 * shared reference set (test/fixtures/reference/ols-nist-norris.json, a copy checked unchanged by
 * test/reference-fixtures.test.ts). `certified` are NIST's certified values; `rPredict` was self-run by a
 * researcher in R 4.2.2 with predict.lm (level 0.95) — weaker evidence, checked to the 15 digits R printed.
 */
const published = JSON.parse(
  readFileSync(new URL('../fixtures/reference/ols-nist-norris.json', import.meta.url), 'utf8'),
) as {
  inputs: { x: number[]; y: number[] };
  expected_certified: Record<
    'b0' | 'b1' | 'sd_b0' | 'sd_b1' | 'residual_sd' | 'r_squared' | 'ssr_residual' | 'df_residual',
    number
  >;
  SELF_COMPUTED_prediction_intervals_R_predict_lm: Record<
    'x0' | 'fit' | 'pi95_lwr' | 'pi95_upr' | 'ci95_lwr' | 'ci95_upr',
    number[]
  >;
};
const certified = published.expected_certified;
const predicted = published.SELF_COMPUTED_prediction_intervals_R_predict_lm;
const norris = {
  x: published.inputs.x,
  y: published.inputs.y,
  certified: {
    b0: certified.b0,
    b1: certified.b1,
    sdB0: certified.sd_b0,
    sdB1: certified.sd_b1,
    residualSd: certified.residual_sd,
    rSquared: certified.r_squared,
    sse: certified.ssr_residual,
    df: certified.df_residual,
  },
  rPredict: {
    x0: predicted.x0,
    fit: predicted.fit,
    piLower: predicted.pi95_lwr,
    piUpper: predicted.pi95_upr,
    ciLower: predicted.ci95_lwr,
    ciUpper: predicted.ci95_upr,
  },
};

/** |actual − expected| ≤ tol · max(1, |expected|). */
function close(t: Test, actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  t.ok(err <= tol, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)} ≤ ${tol})`);
}

t.test('NIST StRD Norris: certified values to 1e-9', (t) => {
  const { x, y } = norris;
  const c = norris.certified;
  const fit = fitOls(x, y);
  t.equal(fit.n, 36);
  t.equal(fit.df, c.df);
  close(t, fit.intercept, c.b0, 1e-9, 'b0');
  close(t, fit.slope, c.b1, 1e-9, 'b1');
  close(t, fit.residualSd!, c.residualSd, 1e-9, 'residual SD');
  close(t, fit.sse, c.sse, 1e-9, 'residual sum of squares');
  // The standard errors follow from s, Sxx and x̄: sd(b1) = s/sqrt(Sxx), sd(b0) = s·sqrt(1/n + x̄²/Sxx).
  close(t, fit.residualSd! / Math.sqrt(fit.sxx), c.sdB1, 1e-9, 'sd(b1)');
  close(t, fit.residualSd! * Math.sqrt(1 / fit.n + (fit.meanX * fit.meanX) / fit.sxx), c.sdB0, 1e-9, 'sd(b0)');
  // R² = 1 − SSE/Syy.
  const syy = y.reduce((s, v) => s + (v - fit.meanY) ** 2, 0);
  close(t, 1 - fit.sse / syy, c.rSquared, 1e-9, 'R²');
  t.end();
});

t.test('Norris prediction and confidence intervals (self-run R predict.lm, 15 significant digits)', (t) => {
  const fit = fitOls(norris.x, norris.y);
  const r = norris.rPredict;
  r.x0.forEach((x0, i) => {
    const pi = predictionInterval(fit, x0, 0.95);
    close(t, predictOls(fit, x0), r.fit[i]!, 1e-12, `fit at ${x0}`);
    close(t, pi.lower, r.piLower[i]!, 1e-12, `95% PI lower at ${x0}`);
    close(t, pi.upper, r.piUpper[i]!, 1e-12, `95% PI upper at ${x0}`);
    // The confidence interval drops the "1 +" under the root.
    const dx = x0 - fit.meanX;
    const ci = pi.t * fit.residualSd! * Math.sqrt(1 / fit.n + (dx * dx) / fit.sxx);
    close(t, pi.value - ci, r.ciLower[i]!, 1e-12, `95% CI lower at ${x0}`);
    close(t, pi.value + ci, r.ciUpper[i]!, 1e-12, `95% CI upper at ${x0}`);
  });
  t.end();
});

t.test('small worked example (doc comment): x 1..4, y 2, 4, 5, 8', (t) => {
  const fit = fitOls([1, 2, 3, 4], [2, 4, 5, 8]);
  t.equal(fit.meanX, 2.5);
  t.equal(fit.meanY, 4.75);
  t.equal(fit.sxx, 5);
  t.equal(fit.sxy, 9.5);
  close(t, fit.slope, 1.9, 1e-15, 'slope');
  close(t, fit.intercept, 0, 1e-14, 'intercept');
  close(t, fit.sse, 0.7, 1e-14, 'SSE = 0.1² + 0.2² + 0.7² + 0.4²');
  close(t, fit.residualSd!, Math.sqrt(0.35), 1e-14, 's');
  close(t, predictOls(fit, 5), 9.5, 1e-15, 'ŷ(5)');
  const pi = predictionInterval(fit, 5, 0.9);
  // t(0.95, 2) = 2.919985580353725 (R: qt(0.95, 2)); half = t · sqrt(0.35) · sqrt(2.5)
  close(t, pi.t, 2.919985580353725, 1e-12, 't(0.95, 2)');
  close(t, pi.halfWidth, 2.919985580353725 * Math.sqrt(0.35 * 2.5), 1e-12, 'half width');
  close(t, pi.lower, 6.768603595999022, 1e-12, 'lower = 9.5 − 2.7313964040');
  close(t, pi.upper, 12.231396404000978, 1e-12, 'upper = 9.5 + 2.7313964040');
  t.end();
});

t.test('two points: the line through both, no residual SD', (t) => {
  const fit = fitOls([2019, 2021], [10, 14]);
  t.equal(fit.slope, 2);
  t.equal(predictOls(fit, 2024), 20);
  t.equal(fit.residualSd, null);
  t.throws(() => predictionInterval(fit, 2022, 0.9), RangeError);
  t.end();
});

t.test('large period indices keep precision (monthly x ≈ 24 000)', (t) => {
  // y = 3 + 0.5·(x − 24288) exactly, so the fit must be exact to rounding.
  const x = [24288, 24289, 24290, 24291, 24292];
  const y = x.map((v) => 3 + 0.5 * (v - 24288));
  const fit = fitOls(x, y);
  close(t, fit.slope, 0.5, 1e-13, 'slope');
  close(t, predictOls(fit, 24300), 9, 1e-12, 'ŷ(24300)');
  t.ok(fit.sse < 1e-20, 'perfect fit has SSE ≈ 0');
  t.end();
});

t.test('Student-t quantiles (stdlib) against R qt()', (t) => {
  close(t, studentTQuantile(0.975, 34), 2.032244509317718, 1e-12, 'qt(0.975, 34)');
  close(t, studentTQuantile(0.95, 1), 6.313751514675043, 1e-12, 'qt(0.95, 1)');
  close(t, studentTQuantile(0.9, 3), 1.63774435369621, 1e-12, 'qt(0.90, 3)');
  close(t, studentTQuantile(0.975, 10), 2.228138851986274, 1e-12, 'qt(0.975, 10)');
  t.throws(() => studentTQuantile(1, 5), RangeError);
  t.throws(() => studentTQuantile(0.9, 0), RangeError);
  t.end();
});

t.test('rejects what it cannot fit', (t) => {
  t.throws(() => fitOls([1], [1]), RangeError, 'one point');
  t.throws(() => fitOls([1, 2], [1]), RangeError, 'length mismatch');
  t.throws(() => fitOls([3, 3, 3], [1, 2, 3]), RangeError, 'all x equal');
  t.throws(() => fitOls([1, 2, 3], [1, Number.NaN, 3]), RangeError, 'NaN');
  t.end();
});
