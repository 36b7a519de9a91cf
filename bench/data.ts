/**
 * Deterministic benchmark data: monthly series of 120 points (2011-01 … 2020-12) with the baseline in the
 * middle (2015-12), a target in 2022-12, a mix of polarities and units, and values from a seeded PRNG —
 * the same inputs on every run and every machine.
 */
import type { EngineIndicator, ObservedPoint } from '../server/engine/series.ts';

export const FIRST_YEAR = 2011;
export const POINTS_PER_SERIES = 120;
export const BASELINE_PERIOD = '2015-12';
export const TARGET_PERIOD = '2022-12';

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The monthly labels 2011-01 … 2020-12. */
export const MONTHS: readonly string[] = Array.from({ length: POINTS_PER_SERIES }, (_, i) => {
  const year = FIRST_YEAR + Math.floor(i / 12);
  const month = (i % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}`;
});

const UNITS = ['percent', 'count', 'rate', 'index'] as const;

export interface BenchSeries {
  indicator: EngineIndicator;
  points: ObservedPoint[];
}

/**
 * Series number `i`: its indicator definition and its 120 total-slice points, in period order (as the
 * database returns them). Values: a level, a slope that may change sign after the baseline (so some curves
 * turn and some do not) and Gaussian-ish noise; percents stay in [0, 100] and counts are non-negative
 * integers.
 */
export function benchSeries(i: number): BenchSeries {
  const rand = prng(0x5eed + i * 7919);
  const polarity = rand() < 0.5 ? 'higher_is_better' : 'lower_is_better';
  const unit = UNITS[Math.floor(rand() * UNITS.length)]!;
  const level = unit === 'percent' ? 20 + rand() * 60 : unit === 'count' ? 200 + rand() * 5000 : 5 + rand() * 95;
  const slope = (rand() - 0.5) * level * 0.01;
  const slopeAfter = slope + (rand() - 0.5) * level * 0.02;
  const noise = level * (0.01 + rand() * 0.04);
  const points: ObservedPoint[] = new Array(POINTS_PER_SERIES);
  let value = level;
  for (let t = 0; t < POINTS_PER_SERIES; t++) {
    value += t < 60 ? slope : slopeAfter;
    const gaussian = (rand() + rand() + rand() - 1.5) * 2;
    let v = value + gaussian * noise;
    if (unit === 'percent') v = Math.min(100, Math.max(0, v));
    if (unit === 'count') v = Math.max(0, Math.round(v));
    else v = Math.round(v * 1000) / 1000;
    points[t] = { period: MONTHS[t]!, value: v, disaggregation: {} };
  }
  const direction = polarity === 'higher_is_better' ? 1 : -1;
  let targetValue = level * (1 + direction * (0.05 + rand() * 0.2));
  if (unit === 'percent') targetValue = Math.min(100, targetValue);
  targetValue = Math.round(targetValue * 100) / 100;
  const indicator: EngineIndicator = {
    polarity,
    unit,
    frequency: 'monthly',
    yearStartMonth: null,
    baselinePeriod: BASELINE_PERIOD,
    target: { period: TARGET_PERIOD, value: targetValue },
    interimTargets: [],
    naturalLimit: unit === 'percent' && polarity === 'higher_is_better' ? 100 : null,
    bounds: null,
    forecastOverride: [],
    referenceGroup: null,
  };
  return { indicator, points };
}

export function benchSeriesSet(count: number): BenchSeries[] {
  return Array.from({ length: count }, (_, i) => benchSeries(i));
}
