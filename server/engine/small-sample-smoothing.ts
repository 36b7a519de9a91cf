/**
 * Exponential smoothing for very short histories (3 to 6 points, or too few for the requested model):
 * what `forecast::ets` does there (its `HoltWintersZZ`) instead of maximum likelihood. The initial state is
 * fixed — level = the first value, trend = the second minus the first — and the smoothing parameters minimise
 * the sum of squared one-step errors within [0, 1]. `auto` compares simple smoothing with Holt's linear trend
 * and keeps the one with the smaller mean squared error, as forecast::ets does.
 *
 * Holt's trend smoothing β* (on the change of level) is reported as the state-space β = α·β* (the same
 * recursion), so the forecast variance uses the model's own c_j = α + β·j; σ² is the mean squared error.
 */
import { runRecursion } from './ets-recursion.ts';
import { etsSpec, type EtsParameters, type EtsSpec, type EtsState } from './ets-types.ts';
import { nelderMead } from './nelder-mead.ts';

export interface SmallSampleFit {
  spec: EtsSpec;
  parameters: EtsParameters;
  initial: EtsState;
  last: EtsState;
  /** Mean squared one-step error. */
  sigma2: number;
  n: number;
}

/**
 * Fits simple smoothing (`trend: false`) or Holt's linear trend (`trend: true`) to a short series with no gaps.
 *
 * @example
 * fitSmallSample([10, 12, 13], true)
 * // level₀ 10, trend₀ 2; α and β* chosen in [0, 1] to minimise Σe²
 */
export function fitSmallSample(y: readonly number[], trend: boolean): SmallSampleFit | null {
  if (y.length < (trend ? 2 : 1)) return null;
  const spec = etsSpec(trend ? 'AAN' : 'ANN', 1);
  const initial: EtsState = { level: y[0]!, trend: trend ? y[1]! - y[0]! : null, seasonal: [] };
  const toParameters = (alpha: number, betaStar: number): EtsParameters => ({
    alpha,
    beta: trend ? alpha * betaStar : null,
    gamma: null,
    phi: null,
  });
  // α is kept off 0 (the recursion divides by it); β* may be 0.
  const sse = (x: ArrayLike<number>): number => {
    const alpha = x[0]!;
    const betaStar = trend ? x[1]! : 0;
    if (alpha < 1e-4 || alpha > 1 || betaStar < 0 || betaStar > 1) return Infinity;
    return runRecursion(spec, toParameters(alpha, betaStar), initial, y).sse;
  };
  // forecast's starting values for these (initparam with bounds [0, 1]): α 0.2, β* 0.02.
  const start = trend ? [0.2, 0.02] : [0.2];
  const best = nelderMead(sse, start, { maxEvaluations: 2000 });
  const parameters = toParameters(best.x[0]!, trend ? best.x[1]! : 0);
  const r = runRecursion(spec, parameters, initial, y);
  return { spec, parameters, initial, last: r.last, sigma2: r.sse / r.observed, n: r.observed };
}
