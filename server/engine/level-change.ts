/**
 * docs/methodology.md §0 and §1: ordering a series, the baseline period b, the base point, and level and change
 * (latest, previous, change from previous, change from baseline, variance from and percent of target).
 */
import { periodIndex, type PeriodCalendar } from './periods.ts';
import type { PeriodValue, SeriesPoint } from './series.ts';
import type { BasePoint, IndexedPoint, LevelChange } from './types.ts';
import { round12 } from './rounding.ts';

/**
 * The largest magnitude of a data value the engine accepts. Squares and products of such values stay far
 * from overflow (1e200 ≪ 1.8e308), so sums of squares in the regression remain finite. Real indicators
 * (even national accounts in small currency units, ~1e20) are far inside it.
 */
export const MAX_ABS_VALUE = 1e100;

/**
 * Attaches the period index x(p) to each point and sorts by it (input order never matters).
 *
 * @example
 * indexSeries([{ period: '2021', value: 5 }, { period: '2019', value: 3 }], { frequency: 'annual' })
 * // [{ period: '2019', value: 3, x: 2019 }, { period: '2021', value: 5, x: 2021 }]
 * A value of −0 becomes 0.
 * @throws RangeError on a label the calendar does not accept, a non-finite value or one beyond
 *   ±{@link MAX_ABS_VALUE}, or a period given twice.
 */
export function indexSeries(points: readonly SeriesPoint[], calendar: PeriodCalendar): IndexedPoint[] {
  const indexed = points.map((p) => {
    if (!Number.isFinite(p.value)) throw new RangeError(`value of ${p.period} is not a finite number`);
    if (Math.abs(p.value) > MAX_ABS_VALUE) {
      throw new RangeError(`value of ${p.period} is beyond ±${MAX_ABS_VALUE}, the engine's working range`);
    }
    return { period: p.period, value: plusZero(p.value), x: periodIndex(p.period, calendar) };
  });
  indexed.sort((a, b) => a.x - b.x);
  for (let i = 1; i < indexed.length; i++) {
    if (indexed[i]!.x === indexed[i - 1]!.x) {
      throw new RangeError(`period ${indexed[i]!.period} appears twice in one series`);
    }
  }
  return indexed;
}

/**
 * The baseline period b (docs/methodology.md §0): the indicator's `baselinePeriod`, or when unset the first period
 * with data in the total slice.
 *
 * @example resolveBaselinePeriod('2015', totalSeries)  // { period: '2015', defaulted: false }
 * @example resolveBaselinePeriod(null, [{ period: '2012', value: 4, x: 2012 }, …]) // { period: '2012', defaulted: true }
 * @example resolveBaselinePeriod(null, [])             // { period: null, defaulted: true }
 */
export function resolveBaselinePeriod(
  baselinePeriod: string | null,
  sortedTotal: readonly IndexedPoint[],
): { period: string | null; defaulted: boolean } {
  if (baselinePeriod !== null) return { period: baselinePeriod, defaulted: false };
  return { period: sortedTotal[0]?.period ?? null, defaulted: true };
}

/**
 * The base point of a sorted series: its point at b, else its first point after b
 * (`firstAfterBaseline: true`), else null. For a disaggregation slice this is the slice's own point
 * (docs/methodology.md §6), measured from the indicator's b.
 *
 * @example
 * findBasePoint([{ period: '2014', value: 9, x: 2014 }, { period: '2016', value: 7, x: 2016 }], 2015)
 * // { period: '2016', value: 7, firstAfterBaseline: true }
 */
export function findBasePoint(sorted: readonly IndexedPoint[], baselineIndex: number | null): BasePoint | null {
  if (baselineIndex === null) return null;
  const point = sorted.find((p) => p.x >= baselineIndex);
  if (point === undefined) return null;
  return { period: point.period, value: point.value, firstAfterBaseline: point.x !== baselineIndex };
}

/**
 * docs/methodology.md §1 for one sorted series.
 *
 * - `changeFromPrevious = c − previous`
 * - `changeFromBaseline = { absolute: c − base, percent: 100·(c − base)/|base| }` (percent null when base = 0)
 * - `varianceFromTarget = (c − T)/|T|` (null when T = 0), `percentOfTarget = 100·c/T` (null when T = 0:
 *   the formula divides by T, so a zero target has no percentage).
 *
 * @example
 * levelAndChange(
 *   [{ period: '2019', value: 40, x: 2019 }, { period: '2020', value: 44, x: 2020 }, { period: '2021', value: 45, x: 2021 }],
 *   { period: '2019', value: 40, firstAfterBaseline: false },
 *   { period: '2030', value: 60 },
 * )
 * // latest 2021 = 45, previous 2020 = 44, changeFromPrevious 1,
 * // changeFromBaseline { absolute: 5, percent: 12.5, basePeriod: '2019' },
 * // varianceFromTarget (45 − 60)/60 = −0.25, percentOfTarget 75
 */
export function levelAndChange(
  sorted: readonly IndexedPoint[],
  base: BasePoint | null,
  target: PeriodValue | null,
): LevelChange {
  const reasons: LevelChange['reasons'] = {};
  const last = sorted.at(-1);
  const before = sorted.length >= 2 ? sorted.at(-2) : undefined;
  const latest = last ? { period: last.period, value: last.value } : null;
  const previous = before ? { period: before.period, value: before.value } : null;
  if (!latest) reasons.latest = 'the series has no data';
  if (!previous) reasons.previous = 'the series has fewer than 2 points';

  let changeFromPrevious: number | null = null;
  if (latest && previous) changeFromPrevious = round12(latest.value - previous.value);
  else reasons.changeFromPrevious = 'needs a latest and a previous point';

  if (!base) {
    reasons.base = 'the series has no point at or after the baseline period';
  }
  let changeFromBaseline: LevelChange['changeFromBaseline'] = null;
  if (latest && base) {
    const exact = latest.value - base.value;
    const absolute = plusZero(round12(exact));
    const percent = base.value === 0 ? null : finiteOrNull((100 * exact) / Math.abs(base.value));
    changeFromBaseline = {
      absolute,
      percent: percent === null ? null : plusZero(round12(percent)),
      basePeriod: base.period,
    };
  } else {
    reasons.changeFromBaseline = 'needs a base point and a latest point';
  }

  let varianceFromTarget: number | null = null;
  let percentOfTarget: number | null = null;
  if (!target) {
    reasons.varianceFromTarget = 'the indicator has no target';
    reasons.percentOfTarget = 'the indicator has no target';
  } else if (!latest) {
    reasons.varianceFromTarget = 'the series has no data';
    reasons.percentOfTarget = 'the series has no data';
  } else if (target.value === 0) {
    reasons.varianceFromTarget = 'the target is 0, so a variance relative to it is undefined';
    reasons.percentOfTarget = 'the target is 0, so a percentage of it is undefined';
  } else {
    varianceFromTarget = finiteOrNull(round12((latest.value - target.value) / Math.abs(target.value)));
    percentOfTarget = finiteOrNull(round12((100 * latest.value) / target.value));
    if (varianceFromTarget === null) reasons.varianceFromTarget = 'too large to represent (the target is nearly 0)';
    if (percentOfTarget === null) reasons.percentOfTarget = 'too large to represent (the target is nearly 0)';
  }

  return {
    latest,
    previous,
    base,
    changeFromPrevious: changeFromPrevious === null ? null : plusZero(changeFromPrevious),
    changeFromBaseline,
    varianceFromTarget: varianceFromTarget === null ? null : plusZero(varianceFromTarget),
    percentOfTarget: percentOfTarget === null ? null : plusZero(percentOfTarget),
    reasons,
  };
}

/**
 * A finite number as is (−0 as 0); NaN and ±Infinity as null.
 *
 * @example finiteOrNull(12.5)     // 12.5
 * @example finiteOrNull(1 / 0)    // null
 * @example finiteOrNull(-0)       // 0
 */
export function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? plusZero(n) : null;
}

/**
 * Turns −0 into 0 so JSON round-trips exactly and tests compare cleanly.
 *
 * @example plusZero(-1 * 0) // 0
 * @example plusZero(-3)     // -3
 */
export function plusZero(n: number): number {
  return n === 0 ? 0 : n;
}
