/**
 * docs/methodology.md §2: the current trend — Clear Impact's "Current Trend" arrow, defined precisely.
 */
import { round12 } from './rounding.ts';
import type { Polarity, SeriesPoint } from './series.ts';
import type { TrendDirection, TrendResult } from './types.ts';

/** The IHI trend rule: 5 or more points all rising or all falling = 4 or more same-sign changes. */
export const SUSTAINED_TREND_CHANGES = 4;

/**
 * The current trend of a series sorted by period. Changes k_i = v_i − v_(i−1) are taken between
 * consecutive points (gaps in periods do not matter); `direction` is the sign of the last change
 * (exact comparison: two equal values are a flat change, sign 0); `periods` counts the most recent
 * changes, backwards from the last, with that same sign; `good` is whether the direction is the better
 * one for the polarity (null when flat or unknown); `sustained` is `periods ≥ 4` and not flat.
 *
 * @example
 * currentTrend(series(3, 4, 6, 9), 'higher_is_better')
 * // { direction: 'up', periods: 3, since: <period of 3>, lastChange: 3, good: true, sustained: false }
 * @example
 * currentTrend(series(5, 4, 4), 'lower_is_better')
 * // { direction: 'flat', periods: 1, lastChange: 0, good: null, sustained: false }
 * @example
 * currentTrend(series(20, 18, 15, 11, 10), 'lower_is_better')
 * // { direction: 'down', periods: 4, good: true, sustained: true }
 */
export function currentTrend(sorted: readonly SeriesPoint[], polarity: Polarity): TrendResult {
  if (sorted.length < 2) {
    return {
      method: 'consecutive_changes',
      direction: null,
      periods: null,
      since: null,
      lastChange: null,
      good: null,
      sustained: false,
      reason: 'a trend needs at least 2 points',
    };
  }
  const n = sorted.length;
  const change = (i: number): number => sorted[i]!.value - sorted[i - 1]!.value;
  const lastChange = change(n - 1);
  const sign = Math.sign(lastChange);
  let periods = 0;
  for (let i = n - 1; i >= 1 && Math.sign(change(i)) === sign; i--) periods++;
  const direction: TrendDirection = sign > 0 ? 'up' : sign < 0 ? 'down' : 'flat';
  const better: TrendDirection = polarity === 'higher_is_better' ? 'up' : 'down';
  return {
    method: 'consecutive_changes',
    direction,
    periods,
    since: sorted[n - 1 - periods]!.period,
    lastChange: lastChange === 0 ? 0 : round12(lastChange),
    good: direction === 'flat' ? null : direction === better,
    sustained: direction !== 'flat' && periods >= SUSTAINED_TREND_CHANGES,
    reason: null,
  };
}
