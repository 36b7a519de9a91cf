/**
 * Observation status (SDMX OBS_STATUS) and data-quality marking in words, the same in a chart's tooltip, its
 * legend and the data tables: provisional and estimated values, breaks in series, missing periods, and values a
 * data-quality check flagged that nobody has reviewed yet ("unverified").
 *
 * Pure; no I/O.
 */
import type { ChartPoint } from './types.ts';

/** The words of each status, as the legend and the tables name them. */
export const STATUS_WORDS = {
  final: 'Final',
  provisional: 'Provisional (may be revised)',
  estimated: 'Estimated',
  break: 'Break in series (new method or source from here)',
  missing: 'Missing (no value for this period)',
  suppressed: 'Suppressed (a small number, or one that would reveal it; CONF_STATUS C)',
  unverified: 'Unverified (flagged by a data-quality check, not yet reviewed)',
} as const;

/** How a value is drawn: hollow circle (provisional), hollow square (estimated), or filled (otherwise). */
export type PointKind = 'Final' | 'Provisional' | 'Estimated';

/**
 * The kind of mark of a point: provisional (status provisional or OBS_STATUS P), estimated (E), else final.
 *
 * @example pointKind({ status: 'provisional', obsStatus: null }) // 'Provisional'
 * @example pointKind({ status: null, obsStatus: 'E' })          // 'Estimated'
 * @example pointKind({ status: null, obsStatus: 'B' })          // 'Final' (the break is a rule of its own)
 */
export function pointKind(point: Pick<ChartPoint, 'status' | 'obsStatus'>): PointKind {
  if (point.obsStatus === 'E') return 'Estimated';
  if (point.status === 'provisional' || point.obsStatus === 'P') return 'Provisional';
  return 'Final';
}

/**
 * A point's status in words for a tooltip or a table cell: its kind, a break in series, and "unverified";
 * null for a plain value with no status given.
 *
 * @example statusText({ status: 'provisional', obsStatus: 'B', unverified: true })
 *   // 'Provisional (may be revised); Break in series (new method or source from here); Unverified (flagged…)'
 * @example statusText({ status: 'final', obsStatus: null })  // 'Final'
 * @example statusText({ status: null, obsStatus: null })     // null
 */
export function statusText(point: Pick<ChartPoint, 'status' | 'obsStatus' | 'unverified'>): string | null {
  const kind = pointKind(point);
  const parts: string[] = [];
  if (kind === 'Provisional') parts.push(STATUS_WORDS.provisional);
  else if (kind === 'Estimated') parts.push(STATUS_WORDS.estimated);
  else if (point.status === 'final' || point.obsStatus === 'A') parts.push(STATUS_WORDS.final);
  if (point.obsStatus === 'B') parts.push(STATUS_WORDS.break);
  if (point.unverified) parts.push(STATUS_WORDS.unverified);
  return parts.length > 0 ? parts.join('; ') : null;
}
