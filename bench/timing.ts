/** Small timing helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of `fn` in milliseconds. */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function timeSync(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
export const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : 'n/a');

/** One line of the final table. */
export interface BenchFigure {
  name: string;
  /** The measured figure, e.g. "612 ms". */
  value: string;
  target: string;
  reference: string;
  ratio: string;
  /** 'MET', 'MISSED' or 'info' (no target). */
  verdict: 'MET' | 'MISSED' | 'info';
}
