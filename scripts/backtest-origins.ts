/**
 * Where the backtest (`npm run backtest`) forecasts from: the horizons, the minimum history and the rolling
 * origins of each series. Shared by scripts/backtest.ts and the R reference exporter
 * (scripts/r-reference/export-backtest.ts), so R forecasts from exactly the same origins.
 */
import type { Frequency } from '../server/engine/periods.ts';

/** Points forecast ahead of each origin. */
export const HORIZON: Partial<Record<Frequency, number>> = { monthly: 12, quarterly: 8, annual: 5 };
/** Points of history before the first origin. */
export const MIN_HISTORY: Partial<Record<Frequency, number>> = { monthly: 36, quarterly: 16, annual: 8 };
export const MAX_ORIGINS = 8;

/**
 * Origins (indices into the points) of one series: from the n₀-th point on, at most MAX_ORIGINS, evenly
 * spaced, the last one HORIZON points before the end when the series allows.
 *
 * @example origins(60, 'monthly') // [35, 37, 38, 40, 42, 44, 45, 47]
 */
export function origins(length: number, frequency: Frequency): number[] {
  const first = MIN_HISTORY[frequency]! - 1;
  const last = Math.max(first, length - 1 - HORIZON[frequency]!);
  const usableLast = Math.min(last, length - 2);
  if (usableLast < first) return [];
  const count = Math.min(MAX_ORIGINS, usableLast - first + 1);
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    out.push(count === 1 ? usableLast : Math.round(first + ((usableLast - first) * k) / (count - 1)));
  }
  return [...new Set(out)];
}
