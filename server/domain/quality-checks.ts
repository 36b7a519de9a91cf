/**
 * The data-quality checks of one new or changed value (docs/data-quality.md): the indicator's rules (range,
 * change, sum, compare) and the built-in warnings `out_of_bounds` (outside the indicator's bounds, or its unit's:
 * a percent in 0–100, a count not negative), `outlier_history` (modified z-score against
 * the slice's own history, Iglewicz & Hoaglin) and `outside_forecast` (outside the baseline forecast's 95 %
 * interval). Pure: the caller gives the series as they would stand after the write.
 *
 * @example
 * checkValue(percentIndicator, { period: '2024', periodIndex: 2024, key: '{}', disaggregation: {}, value: 120, obsStatus: null }, state)
 * // [{ code: 'out_of_bounds', severity: 'warning', message: '120 is above 100, the largest value a percent usually takes' }]
 */
import type { Flag as FlagJson, QualityRule as QualityRuleJson } from '../../schema/contracts/data-quality.ts';
import type { ObsStatus, RuleSeverity } from '../../schema/vocabulary.ts';
import { resolveBounds } from '../engine/baseline-forecast.ts';
import { modifiedZScore, OUTLIER_Z } from '../engine/modified-z-score.ts';
import type { Frequency, Unit } from '../engine/vocabulary.ts';
import { seasonLength } from '../engine/forecast-model.ts';
import { disaggregationKey } from './indicator-rules.ts';

/** How many earlier values of a slice the outlier check compares with (the latest ones, since any break). */
export const OUTLIER_WINDOW = 24;
/** Fewer earlier values than this: too little history to call anything an outlier. */
export const OUTLIER_MIN_HISTORY = 6;

/** What the checks need to know of an indicator. */
export interface QualityIndicator {
  id: string;
  /** Its code or name, to name it in messages. */
  label: string;
  unit: Unit;
  bounds: { min: number | null; max: number | null } | null;
  dimensions: Array<{ name: string; values: string[] }>;
  rules: QualityRuleJson[];
  /**
   * Periods per seasonal cycle (monthly 12, quarterly 4, else 1: engine/forecast-model.ts `seasonLength`): the
   * outlier check compares changes over one cycle, so a winter peak or a steady trend is not called an outlier.
   */
  season: number;
}

/** The checks' view of an indicator as stored. */
export function qualityIndicatorOf(row: {
  id: string;
  code: string | null;
  name: string;
  unit: Unit;
  frequency: Frequency;
  bounds: { min: number | null; max: number | null } | null;
  dimensions: Array<{ name: string; values: string[] }>;
  rules: QualityRuleJson[];
}): QualityIndicator {
  return {
    id: row.id,
    label: row.code ?? row.name,
    unit: row.unit,
    bounds: row.bounds ?? null,
    dimensions: row.dimensions,
    rules: row.rules,
    season: seasonLength(row.frequency),
  };
}

/** One stored (or about to be stored) value of a slice. */
export interface StatePoint {
  periodIndex: number;
  period: string;
  value: number | null;
  obsStatus: ObsStatus | null;
}

/**
 * An indicator's series after the write: every slice (by canonical disaggregation key) with its points in
 * period order, and each slice's disaggregation.
 */
export interface IndicatorState {
  slices: Map<string, SliceState>;
}

export interface SliceState {
  disaggregation: Record<string, string>;
  /** In period order. */
  points: StatePoint[];
  byIndex: Map<number, StatePoint>;
}

/**
 * Builds an indicator's state from its points (any order; a later point of the same slice and period wins).
 *
 * @example stateOf([{ key: '{}', disaggregation: {}, periodIndex: 2024, period: '2024', value: 3, obsStatus: null }])
 */
export function stateOf(
  points: Iterable<StatePoint & { key: string; disaggregation: Record<string, string> }>,
): IndicatorState {
  const slices = new Map<string, SliceState>();
  for (const { key, disaggregation, ...point } of points) {
    let slice = slices.get(key);
    if (!slice) {
      slice = { disaggregation, points: [], byIndex: new Map() };
      slices.set(key, slice);
    }
    slice.byIndex.set(point.periodIndex, point);
  }
  for (const slice of slices.values())
    slice.points = [...slice.byIndex.values()].sort((a, b) => a.periodIndex - b.periodIndex);
  return { slices };
}

/** The position of the first point at or after `periodIndex` (binary search). */
function firstAtOrAfter(points: readonly StatePoint[], periodIndex: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (points[mid]!.periodIndex < periodIndex) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A value being checked. */
export interface Candidate {
  period: string;
  periodIndex: number;
  key: string;
  disaggregation: Record<string, string>;
  value: number | null;
  obsStatus: ObsStatus | null;
}

/** A broken check. */
export interface Finding {
  code: string;
  severity: RuleSeverity;
  message: string;
}

/** The 95 % interval of the baseline forecast for a period of a slice. */
export interface ForecastBand {
  value: number;
  lower: number;
  upper: number;
}

export interface CheckContext {
  /** The states of other indicators of the result, for `compare` rules (by indicator id). */
  others: ReadonlyMap<string, { label: string; state: IndicatorState }>;
  /** The baseline forecast's 95 % band, by slice key then period; absent where there is none. */
  bands?: ReadonlyMap<string, ReadonlyMap<string, ForecastBand>>;
}

/** Numbers as people read them: up to 4 significant decimals, no float noise. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function pointAt(state: IndicatorState, key: string, periodIndex: number): StatePoint | undefined {
  return state.slices.get(key)?.byIndex.get(periodIndex);
}

/** The latest earlier point of the slice that has a value. */
function previousPoint(state: IndicatorState, key: string, periodIndex: number): StatePoint | undefined {
  const points = state.slices.get(key)?.points ?? [];
  for (let i = firstAtOrAfter(points, periodIndex) - 1; i >= 0; i--) {
    if (points[i]!.value !== null) return points[i];
  }
  return undefined;
}

/** The earlier points of the slice since its latest break in series (the break included), latest last. */
function pointsSinceBreak(state: IndicatorState, key: string, periodIndex: number, limit: number): StatePoint[] {
  const points = state.slices.get(key)?.points ?? [];
  const found: StatePoint[] = [];
  for (let i = firstAtOrAfter(points, periodIndex) - 1; i >= 0 && found.length < limit; i--) {
    const p = points[i]!;
    if (p.value !== null) found.push(p);
    if (p.obsStatus === 'B') break; // the series starts again at a break
  }
  return found.reverse();
}

/** The earlier values of the slice since its latest break in series, the latest `OUTLIER_WINDOW` of them. */
export function historyBefore(state: IndicatorState, key: string, periodIndex: number): number[] {
  return pointsSinceBreak(state, key, periodIndex, OUTLIER_WINDOW).map((p) => p.value!);
}

/**
 * The changes over one seasonal cycle (x(t) − x(t − season)) of the slice's earlier points since its latest
 * break, the latest `OUTLIER_WINDOW` of them, and the change of the value being checked (null when the period
 * one cycle before has no value).
 *
 * @example Annual values 10, 12, 14, 16 then 40 (season 1): history of changes [2, 2, 2], the new change 24.
 */
export function changesBefore(
  state: IndicatorState,
  key: string,
  periodIndex: number,
  value: number,
  season: number,
): { history: number[]; change: number | null } {
  const slice = state.slices.get(key);
  const earlier = pointsSinceBreak(state, key, periodIndex, OUTLIER_WINDOW + season);
  const start = earlier[0]?.periodIndex ?? periodIndex;
  const before = (index: number) => {
    const p = index >= start ? slice?.byIndex.get(index) : undefined;
    return p && p.value !== null ? p.value : null;
  };
  const history: number[] = [];
  for (const p of earlier) {
    const previous = before(p.periodIndex - season);
    if (previous !== null) history.push(p.value! - previous);
  }
  const previous = before(periodIndex - season);
  return { history: history.slice(-OUTLIER_WINDOW), change: previous === null ? null : value - previous };
}

function ruleName(rule: QualityRuleJson): string {
  return rule.description ? `rule ${rule.code}: ${rule.description}` : `rule ${rule.code}`;
}

function checkBounds(indicator: QualityIndicator, value: number): Finding | null {
  let bounds;
  try {
    bounds = resolveBounds(indicator.unit, indicator.bounds);
  } catch {
    return null; // inconsistent bounds are refused when the indicator is saved
  }
  const what = bounds.source === 'unit' ? `a ${indicator.unit} usually takes` : 'the indicator’s bounds allow';
  // A warning, like the other built-in checks: some partnerships keep a percent change or a net count under
  // those units, and a real history must load without friction. A `range` rule of severity error refuses.
  const severity: RuleSeverity = 'warning';
  if (bounds.min !== null && value < bounds.min)
    return {
      code: 'out_of_bounds',
      severity,
      message: `${formatNumber(value)} is below ${formatNumber(bounds.min)}, the smallest value ${what}`,
    };
  if (bounds.max !== null && value > bounds.max)
    return {
      code: 'out_of_bounds',
      severity,
      message: `${formatNumber(value)} is above ${formatNumber(bounds.max)}, the largest value ${what}`,
    };
  return null;
}

function checkRange(rule: Extract<QualityRuleJson, { kind: 'range' }>, value: number): string | null {
  if (rule.min != null && value < rule.min)
    return `${formatNumber(value)} is below the minimum ${formatNumber(rule.min)}`;
  if (rule.max != null && value > rule.max)
    return `${formatNumber(value)} is above the maximum ${formatNumber(rule.max)}`;
  return null;
}

function checkChange(
  rule: Extract<QualityRuleJson, { kind: 'change' }>,
  candidate: Candidate,
  value: number,
  state: IndicatorState,
): string | null {
  if (candidate.obsStatus === 'B') return null; // a break in series is not comparable with what came before
  const previous = previousPoint(state, candidate.key, candidate.periodIndex);
  if (!previous || previous.value === null) return null;
  const change = value - previous.value;
  const from = `${formatNumber(previous.value)} in ${previous.period} to ${formatNumber(value)}`;
  if (rule.maxAbs != null && Math.abs(change) > rule.maxAbs)
    return `the change from ${from} (${change > 0 ? '+' : ''}${formatNumber(change)}) is larger than ${formatNumber(rule.maxAbs)}`;
  if (rule.maxRelative != null && previous.value !== 0 && Math.abs(change / previous.value) > rule.maxRelative) {
    const percent = (100 * change) / Math.abs(previous.value);
    return `the change from ${from} (${percent > 0 ? '+' : ''}${formatNumber(percent)} %) is larger than ${formatNumber(100 * rule.maxRelative)} %`;
  }
  return null;
}

/**
 * The groups of a dimension against the total at one period. Counts and currency add up (|Σ groups − total|
 * ≤ tolerance); other units (rates, percents) cannot be added, so the total must lie within the groups' range.
 * Checked only when the total and every declared group have a value (a missing group is a missing period, not
 * a broken sum).
 */
export function checkSum(
  rule: Extract<QualityRuleJson, { kind: 'sum' }>,
  indicator: QualityIndicator,
  periodIndex: number,
  state: IndicatorState,
): string | null {
  const dimension = indicator.dimensions.find((d) => d.name === rule.dimension);
  if (!dimension) return null;
  const total = pointAt(state, '{}', periodIndex)?.value;
  if (total === undefined || total === null) return null;
  const groups: number[] = [];
  for (const group of dimension.values) {
    const value = pointAt(state, disaggregationKey({ [rule.dimension]: group }), periodIndex)?.value;
    if (value === undefined || value === null) return null;
    groups.push(value);
  }
  if (groups.length === 0) return null;
  const tolerance = rule.tolerance ?? 0;
  if (indicator.unit === 'count' || indicator.unit === 'currency') {
    const sum = groups.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - total) <= tolerance + 1e-9 * Math.max(1, Math.abs(total))) return null;
    return `the ${rule.dimension} groups add up to ${formatNumber(sum)}, not the total ${formatNumber(total)} (tolerance ${formatNumber(tolerance)})`;
  }
  const low = Math.min(...groups) - tolerance;
  const high = Math.max(...groups) + tolerance;
  if (total >= low && total <= high) return null;
  return `the total ${formatNumber(total)} lies outside the range of the ${rule.dimension} groups, ${formatNumber(Math.min(...groups))} to ${formatNumber(Math.max(...groups))}`;
}

const COMPARE = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '=': (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)),
  '>=': (a: number, b: number) => a >= b,
  '>': (a: number, b: number) => a > b,
};
const OPERATOR_WORDS = { '<': 'below', '<=': 'at most', '=': 'equal to', '>=': 'at least', '>': 'above' };

function checkCompare(
  rule: Extract<QualityRuleJson, { kind: 'compare' }>,
  candidate: Candidate,
  value: number,
  context: CheckContext,
): string | null {
  const other = context.others.get(rule.otherIndicatorId);
  const otherPoint = other && pointAt(other.state, candidate.key, candidate.periodIndex);
  const name = other?.label ?? 'the other indicator';
  if (!otherPoint || otherPoint.value === null) {
    return (rule.missing ?? 'skip') === 'fail' ? `${name} has no value for ${candidate.period} to compare with` : null;
  }
  if (COMPARE[rule.operator](value, otherPoint.value)) return null;
  return `${formatNumber(value)} should be ${OPERATOR_WORDS[rule.operator]} ${formatNumber(otherPoint.value)}, the value of ${name} for ${candidate.period}`;
}

/**
 * The modified z-score of the value's change over one seasonal cycle against the same changes in the slice's
 * history (docs/data-quality.md): a level far from the median of a trending or seasonal series is normal, a
 * change unlike every change before it is not. Without the value one cycle before (or with fewer than
 * `OUTLIER_MIN_HISTORY` earlier changes), the level itself is scored against the history's levels.
 */
function checkOutlier(
  indicator: QualityIndicator,
  candidate: Candidate,
  value: number,
  state: IndicatorState,
): Finding | null {
  if (candidate.obsStatus === 'B') return null;
  const { history: changes, change } = changesBefore(
    state,
    candidate.key,
    candidate.periodIndex,
    value,
    indicator.season,
  );
  const cycle = indicator.season === 1 ? 'the previous period' : `the same period ${indicator.season} periods before`;
  if (change !== null && changes.length >= OUTLIER_MIN_HISTORY) {
    const { z, median } = modifiedZScore(change, changes);
    if (z === null || Math.abs(z) <= OUTLIER_Z) return null;
    return {
      code: 'outlier_history',
      severity: 'warning',
      message: `${formatNumber(value)} is unlike this series' history: its change from ${cycle} (${change > 0 ? '+' : ''}${formatNumber(change)}) has a modified z-score of ${formatNumber(Math.round(z * 10) / 10)} (more than ${OUTLIER_Z} counts as an outlier) against the median change ${formatNumber(median)} of the previous ${changes.length}`,
    };
  }
  // Without enough changes to compare with, the level against the history's levels.
  const history = historyBefore(state, candidate.key, candidate.periodIndex);
  if (history.length < OUTLIER_MIN_HISTORY) return null;
  const { z, median } = modifiedZScore(value, history);
  if (z === null || Math.abs(z) <= OUTLIER_Z) return null;
  return {
    code: 'outlier_history',
    severity: 'warning',
    message: `${formatNumber(value)} is far from this series' history: modified z-score ${formatNumber(Math.round(z * 10) / 10)} (more than ${OUTLIER_Z} counts as an outlier) against the median ${formatNumber(median)} of the previous ${history.length} values`,
  };
}

function checkForecast(candidate: Candidate, value: number, context: CheckContext): Finding | null {
  const band = context.bands?.get(candidate.key)?.get(candidate.period);
  if (!band || (value >= band.lower && value <= band.upper)) return null;
  return {
    code: 'outside_forecast',
    severity: 'warning',
    message: `${formatNumber(value)} is outside the baseline forecast's 95 % interval for ${candidate.period}, ${formatNumber(band.lower)} to ${formatNumber(band.upper)} (forecast ${formatNumber(band.value)})`,
  };
}

/**
 * Every check the value breaks: built-in bounds, the indicator's rules except `sum` (see `checkSums`), and
 * the built-in warnings. A point marked M (missing) has no value and breaks nothing.
 */
export function checkValue(
  indicator: QualityIndicator,
  candidate: Candidate,
  state: IndicatorState,
  context: CheckContext,
): Finding[] {
  const value = candidate.value;
  if (value === null) return [];
  const findings: Finding[] = [];
  const bounds = checkBounds(indicator, value);
  if (bounds) findings.push(bounds);
  for (const rule of indicator.rules) {
    let broken: string | null = null;
    if (rule.kind === 'range') broken = checkRange(rule, value);
    else if (rule.kind === 'change') broken = checkChange(rule, candidate, value, state);
    else if (rule.kind === 'compare') broken = checkCompare(rule, candidate, value, context);
    if (broken) findings.push({ code: rule.code, severity: rule.severity, message: `${broken} (${ruleName(rule)})` });
  }
  const outlier = checkOutlier(indicator, candidate, value, state);
  if (outlier) findings.push(outlier);
  const outside = checkForecast(candidate, value, context);
  if (outside) findings.push(outside);
  return findings;
}

/**
 * The `sum` rules at the periods the write touched: one finding per rule and period, given to the first of
 * the written points of that period that the rule concerns (the total or a group of its dimension).
 */
export function checkSums(
  indicator: QualityIndicator,
  candidates: ReadonlyArray<Candidate & { ordinal: number }>,
  state: IndicatorState,
): Map<number, Finding[]> {
  const byOrdinal = new Map<number, Finding[]>();
  for (const rule of indicator.rules) {
    if (rule.kind !== 'sum') continue;
    // The first written point (in the caller's order) of each period the rule concerns.
    const firstOf = new Map<number, Candidate & { ordinal: number }>();
    for (const candidate of candidates) {
      const keys = Object.keys(candidate.disaggregation);
      const concerned = keys.length === 0 || (keys.length === 1 && keys[0] === rule.dimension);
      const first = firstOf.get(candidate.periodIndex);
      if (concerned && (!first || candidate.ordinal < first.ordinal)) firstOf.set(candidate.periodIndex, candidate);
    }
    for (const candidate of firstOf.values()) {
      const broken = checkSum(rule, indicator, candidate.periodIndex, state);
      if (!broken) continue;
      const list = byOrdinal.get(candidate.ordinal) ?? [];
      list.push({ code: rule.code, severity: rule.severity, message: `${broken} (${ruleName(rule)})` });
      byOrdinal.set(candidate.ordinal, list);
    }
  }
  return byOrdinal;
}

/**
 * The flags a version stores: its warnings, each acknowledged when the write (or a later one) acknowledged
 * its code with a comment.
 *
 * @example toFlags([{ code: 'outlier_history', severity: 'warning', message: '…' }], [{ code: 'outlier_history', comment: 'New survey' }], 'ana')
 *   // [{ code: 'outlier_history', severity: 'warning', message: '…', acknowledged: true, comment: 'New survey', acknowledgedBy: 'ana' }]
 */
export function toFlags(
  warnings: readonly Finding[],
  acknowledgements: ReadonlyArray<{ code: string; comment: string }>,
  actor: string,
): FlagJson[] {
  return warnings.map((w) => {
    const ack = acknowledgements.find((a) => a.code === w.code);
    return {
      code: w.code,
      severity: w.severity,
      message: w.message,
      acknowledged: ack !== undefined,
      comment: ack?.comment ?? null,
      acknowledgedBy: ack ? actor : null,
    };
  });
}

/** Stored flags with newly acknowledged codes marked (flags already acknowledged keep their comment). */
export function acknowledgeFlags(
  flags: readonly FlagJson[],
  acknowledgements: ReadonlyArray<{ code: string; comment: string }>,
  actor: string,
): FlagJson[] {
  return flags.map((flag) => {
    if (flag.acknowledged) return flag;
    const ack = acknowledgements.find((a) => a.code === flag.code);
    return ack ? { ...flag, acknowledged: true, comment: ack.comment, acknowledgedBy: actor } : flag;
  });
}
