/**
 * Progress toward the target: docs/methodology.md §5, the Statistics Canada / Open SDG progress measure.
 *
 * The measure compares compound annual growth rates (CAGR). With a target, the observed CAGR from the base
 * point to the latest point is divided by the magnitude of the CAGR the target requires; without one, the
 * observed CAGR itself is compared with fixed thresholds (scaled down near a natural limit). The reference
 * implementation is open-sdg/sdg-build `sdg/ProgressMeasure.py`; `test/engine/progress.test.ts` checks every
 * vector of Statistics Canada's production output in `statcan-progress-sample.json`.
 *
 * Steps of {@link progressToTarget} (numbered as docs/methodology.md §5):
 *  1. no base or latest point, or `years(base, latest) <= 0`       → `not_available`;
 *  2. base value 0 → 0.001, target value 0 → 0.001;
 *  3. base and latest values of different signs                    → `not_available`; `sign = −1` if base < 0;
 *  4. `observed = CAGR(latest, base, years)`;
 *  5. with a target: `target_achieved` (score 5) when `d·(latest − T) >= 0`, decided before any division;
 *     otherwise `value = sign·d·observed / |required|`, thresholds 0.95 / 0.6 / 0;
 *  6. without a target: `value = sign·d·observed`, thresholds 0.015 / 0.005 / 0, times C near a natural limit;
 *  7. status from the thresholds;  8. score in [−5, 5];
 *  9. linear projection (OLS, or the two-point line) of the points from the baseline period on, at the target period;
 * 10. the interim target of the latest period, when one is set.
 *
 * Choices where engine.md is silent (also in docs/methodology.md):
 * - Steps 1 and 3 come first, as numbered: a series with a single point, or whose sign changed, is
 *   `not_available` even when its latest value meets the target. (sdg-build would say `target_achieved` there;
 *   engine.md's order is followed.)
 * - The required rate is undefined (→ `value` null) when the target period is not after the base period or
 *   when the target and the base have different signs (a CAGR cannot cross zero). Unless the target is already
 *   achieved, the status is then `not_available` with the reason.
 * - A CAGR too large to represent (e.g. a base of 0 → 0.001 grown over a few days) is treated as undefined.
 * - The scaling factor C uses the base value after step 2 (`|0.001|` for a zero base); the difference from
 *   using 0 is below double precision unless the limit is smaller than about 0.01.
 * - The natural limit is ignored with a target (as sdg-build does); a note says so.
 * - The projection needs at least 3 points (none through 2: a line through two points is not a trend), is
 *   clamped to the bounds like the forecast, and compares with the target value as entered (not 0.001).
 * - The interim target compared is the one whose period is exactly the latest point's period.
 *
 * Pure functions, no I/O.
 */
import { fitLine, valueAt } from './linear-fit.ts';
import { round12 } from './rounding.ts';
import { type PeriodCalendar, periodIndex, yearsBetween } from './periods.ts';
import type { PeriodValue, Polarity, SeriesPoint } from './series.ts';
import type { ProgressStatus } from './vocabulary.ts';

export { PROGRESS_STATUSES, type ProgressStatus } from './vocabulary.ts';

/** The labels Statistics Canada and Open SDG show for each status. */
export const PROGRESS_LABELS: Record<ProgressStatus, string> = {
  target_achieved: 'Target achieved',
  substantial_progress: 'On track',
  moderate_progress: 'Progress made but acceleration needed',
  limited_progress: 'Limited progress',
  deterioration: 'Deterioration',
  not_available: 'Unable to assess',
};

/** Thresholds of the progress value (§5.5, §5.6). */
export interface ProgressThresholds {
  high: number;
  med: number;
  low: number;
}

/** With a target: the thresholds of the ratio observed / |required|. */
export const TARGET_THRESHOLDS: Readonly<ProgressThresholds> = { high: 0.95, med: 0.6, low: 0 };
/** Without a target: the thresholds of the observed CAGR, before scaling by C. */
export const NO_TARGET_THRESHOLDS: Readonly<ProgressThresholds> = { high: 0.015, med: 0.005, low: 0 };
/** The exponent of the natural-limit scaling factor C. */
export const LIMIT_EXPONENT = 4.44;
/** What a base or target value of 0 is replaced by (§5.2). */
export const ZERO_REPLACEMENT = 0.001;

export interface ProgressInput {
  polarity: Polarity;
  calendar: PeriodCalendar;
  /** The base point (docs/methodology.md §0): the total-slice point at the baseline period, or the first after it. */
  base: SeriesPoint | null;
  /** The latest point of the series. */
  latest: SeriesPoint | null;
  target: PeriodValue | null;
  naturalLimit: number | null;
  /** The slice's points with period >= the baseline period b, for the linear projection (§5.9; needs ≥ 3). */
  projectionPoints: SeriesPoint[];
  /** Clamping bounds of the projection (docs/methodology.md §0), as for forecasts; omitted/null = none. */
  bounds?: { min: number | null; max: number | null } | null;
  interimTargets: PeriodValue[];
}

/** How the latest value compares with the interim target set for the latest period. */
export interface InterimTargetCheck {
  period: string;
  /** The interim target's value. */
  value: number;
  /** The latest value. */
  latest: number;
  /** latest − interim target. */
  gap: number;
  /** `d · (latest − interim target) >= 0`. */
  met: boolean;
}

export interface Progress {
  method: 'target' | 'no_target';
  status: ProgressStatus;
  /** Statistics Canada's wording of the status. */
  label: string;
  /** The progress value compared with the thresholds; null when undefined. */
  value: number | null;
  /** The score in [−5, 5]; 5 when the target is achieved; null when not available. */
  score: number | null;
  /** Observed CAGR from base to latest, per year (0.02 = 2 % a year). */
  observedRate: number | null;
  /** CAGR per year needed to go from the base to the target by the target period. */
  requiredRate: number | null;
  /** years(base, latest). */
  years: number | null;
  /** years(base, target period). */
  yearsToTarget: number | null;
  /** The linear projection's value at the target period (§5.9). */
  projectedAtTarget: number | null;
  /** `d · (projectedAtTarget − T) >= 0`. */
  onPace: boolean | null;
  /** Which line the projection used: OLS (3+ points) or the two-point line; null when none. */
  projectionMethod: 'ols' | 'two_point' | null;
  interimTarget: InterimTargetCheck | null;
  /** −1 when the base value is negative, else +1; null before it is known. */
  sign: 1 | -1 | null;
  /** The thresholds actually used (already multiplied by C); null when not reached. */
  thresholds: ProgressThresholds | null;
  /** The natural-limit scaling factor C; null when no limit applies. */
  limitFactor: number | null;
  /** Why the status is `not_available` (only then). */
  reason?: string;
  /** Substitutions and caveats worth telling the reader (zero replaced by 0.001, limit ignored, …). */
  notes: string[];
}

/**
 * Progress toward the target (docs/methodology.md §5).
 *
 * @example Statistics Canada, CIF 1-1-1 (poverty rate, lower is better):
 * progressToTarget({
 *   polarity: 'lower_is_better', calendar: { frequency: 'annual' },
 *   base: { period: '2015', value: 14.5 }, latest: { period: '2023', value: 10.4 },
 *   target: { period: '2030', value: 7.25 }, naturalLimit: null, projectionPoints: [], interimTargets: [],
 * })
 * // observedRate = (10.4/14.5)^(1/8) − 1 = −0.0406918, requiredRate = (7.25/14.5)^(1/15) − 1 = −0.0451584,
 * // value = 1 · (−1) · −0.0406918 / 0.0451584 = 0.901090 → 'moderate_progress',
 * // score = 7.1429 · 0.901090 − 4.2857 = 2.150695
 *
 * @example Without a target, near a limit of 100 (CIF 1-2-1, higher is better):
 * // base 2016: 66.6, latest 2023: 71.4 → observed = 0.0099915; C = 1 − 0.666^4.44 = 0.835477,
 * // thresholds 0.0125322 / 0.0041774 / 0 → 'moderate_progress', score = 250 · 0.0099915 / 0.835477 − 1.25 = 1.739753
 */
export function progressToTarget(input: ProgressInput): Progress {
  const { polarity, calendar, base, latest, target, naturalLimit } = input;
  const d = polarity === 'higher_is_better' ? 1 : -1;
  const method = target ? 'target' : 'no_target';
  const notes: string[] = [];

  // 9. and 10. do not depend on the progress value: compute them first.
  const projection = projectToTarget(input, d);
  const interimTarget = checkInterimTarget(latest, input.interimTargets, calendar, d);

  const result: Progress = {
    method,
    status: 'not_available',
    label: PROGRESS_LABELS.not_available,
    value: null,
    score: null,
    observedRate: null,
    requiredRate: null,
    years: null,
    yearsToTarget: null,
    projectedAtTarget: projection.projectedAtTarget,
    onPace: projection.onPace,
    projectionMethod: projection.method,
    interimTarget,
    sign: null,
    thresholds: null,
    limitFactor: null,
    notes,
  };
  const notAvailable = (reason: string): Progress => ({ ...result, reason });

  // 1. A base point and a later latest point.
  if (!base || !latest) return notAvailable('There is no data point at or after the baseline period.');
  const years = yearsBetween(base.period, latest.period, calendar);
  result.years = years;
  if (target) result.yearsToTarget = yearsBetween(base.period, target.period, calendar);
  if (!(years > 0)) {
    return notAvailable('There is no data point after the base point: progress needs at least two periods.');
  }

  // 2. Zeros would make the CAGR undefined.
  let baseValue = base.value;
  if (baseValue === 0) {
    baseValue = ZERO_REPLACEMENT;
    notes.push(`The base value is 0; it is replaced by ${ZERO_REPLACEMENT} as the method prescribes.`);
  }
  let targetValue: number | null = target ? target.value : null;
  if (targetValue === 0) {
    targetValue = ZERO_REPLACEMENT;
    notes.push(`The target value is 0; it is replaced by ${ZERO_REPLACEMENT} as the method prescribes.`);
  }

  // 3. A growth rate cannot cross zero.
  const current = latest.value;
  if ((baseValue > 0 && current < 0) || (baseValue < 0 && current > 0)) {
    return notAvailable(
      `The base value (${base.value}) and the latest value (${current}) have different signs; ` +
        'a compound growth rate cannot be computed across zero.',
    );
  }
  const sign: 1 | -1 = baseValue < 0 ? -1 : 1;
  result.sign = sign;

  // 4. Observed growth.
  const observed = cagr(current, baseValue, years);
  result.observedRate = observed;

  if (target && targetValue !== null) {
    // 5. With a target.
    if (naturalLimit !== null) notes.push('The natural limit is not used when a target is set.');
    result.thresholds = { ...TARGET_THRESHOLDS };
    const yearsToTarget = result.yearsToTarget as number;
    const required = yearsToTarget > 0 ? cagr(targetValue, baseValue, yearsToTarget) : null;
    result.requiredRate = required;
    const value =
      observed !== null && required !== null && required !== 0
        ? clean((sign * d * observed) / Math.abs(required))
        : null;
    result.value = value;

    if (d * (current - targetValue) >= 0) {
      return { ...result, status: 'target_achieved', label: PROGRESS_LABELS.target_achieved, score: 5 };
    }
    if (value === null) {
      return notAvailable(whyNoTargetValue(observed, required, yearsToTarget, baseValue, targetValue));
    }
    const status = statusOf(value, result.thresholds);
    return { ...result, status, label: PROGRESS_LABELS[status], score: targetScore(value) };
  }

  // 6. Without a target.
  let c = 1;
  if (naturalLimit !== null) {
    c = limitFactor(baseValue, naturalLimit);
    result.limitFactor = c;
  }
  const thresholds = {
    high: NO_TARGET_THRESHOLDS.high * c,
    med: NO_TARGET_THRESHOLDS.med * c,
    low: NO_TARGET_THRESHOLDS.low * c,
  };
  result.thresholds = thresholds;
  if (observed === null) {
    return notAvailable('The observed growth rate is too large to represent (the base value is very close to 0).');
  }
  const value = clean(sign * d * observed) as number;
  result.value = value;
  const status = statusOf(value, thresholds);
  return { ...result, status, label: PROGRESS_LABELS[status], score: noTargetScore(value, thresholds, c) };
}

/**
 * Compound annual growth rate `(v1 / v0)^(1/t) − 1`; null when undefined (t <= 0, a negative ratio, or a
 * result too large to represent).
 *
 * @example cagr(10.4, 14.5, 8) // −0.0406918…
 * @example cagr(-5, 10, 3)     // null (the ratio is negative)
 */
export function cagr(v1: number, v0: number, t: number): number | null {
  if (!(t > 0) || v0 === 0) return null;
  const ratio = v1 / v0;
  if (!(ratio >= 0) || !Number.isFinite(ratio)) return null;
  return clean(Math.pow(ratio, 1 / t) - 1);
}

/**
 * The natural-limit scaling factor C of §5.6, with `B = |base|`, `Lm = |limit|`, a = 4.44:
 * `1` if `B >= 2 Lm`; `1 − (B/Lm)^a` if `B <= Lm`; `1 − ((2 Lm − B)/Lm)^a` otherwise. Always in [0, 1].
 *
 * @example limitFactor(66.6, 100)  // 1 − 0.666^4.44 = 0.835477…
 * @example limitFactor(100, 100)   // 0 (at the limit: every threshold becomes 0)
 * @example limitFactor(150, 100)   // 1 − 0.5^4.44 = 0.953929…
 * @example limitFactor(250, 100)   // 1
 */
export function limitFactor(baseValue: number, limit: number): number {
  const b = Math.abs(baseValue);
  const lm = Math.abs(limit);
  // The first test comes first so that B = Lm = 0 gives 1 (no division by zero).
  if (b >= 2 * lm) return 1;
  if (b <= lm) return 1 - Math.pow(b / lm, LIMIT_EXPONENT);
  return 1 - Math.pow((2 * lm - b) / lm, LIMIT_EXPONENT);
}

/**
 * Status from the progress value and thresholds (§5.7).
 *
 * @example statusOf(0.9011, TARGET_THRESHOLDS) // 'moderate_progress'
 */
export function statusOf(
  value: number,
  thresholds: ProgressThresholds,
): Exclude<ProgressStatus, 'target_achieved' | 'not_available'> {
  if (value >= thresholds.high) return 'substantial_progress';
  if (value >= thresholds.med) return 'moderate_progress';
  if (value >= thresholds.low) return 'limited_progress';
  return 'deterioration';
}

/**
 * Score with a target (§5.8): `min(7.1429 v − 4.2857, 5)` when `v >= 0.6`, else `max(4.1667 v − 2.5, −5)`.
 *
 * @example targetScore(0.9504069883014249) // 2.5029620767…
 * @example targetScore(0.2156287996896810) // −1.6015394803…
 */
export function targetScore(value: number): number {
  if (value >= TARGET_THRESHOLDS.med) return Math.min(7.1429 * value - 4.2857, 5);
  return Math.max(4.1667 * value - 2.5, -5);
}

/**
 * Score without a target (§5.8), with `c` the scaling factor (1 without a limit): `v < low` →
 * `max(125 v − 2.5, −5)`; `c = 0` → 5; `v >= high` → `min(500 v / c − 5, 5)`; `v >= med` → `250 v / c − 1.25`;
 * else `500 v / c − 2.5`.
 *
 * @example noTargetScore(0.003119490847657058, NO_TARGET_THRESHOLDS, 1) // −0.94025457617…
 */
export function noTargetScore(value: number, thresholds: ProgressThresholds, c: number): number {
  if (value < thresholds.low) return Math.max(125 * value - 2.5, -5);
  if (c === 0) return 5;
  if (value >= thresholds.high) return Math.min((500 * value) / c - 5, 5);
  if (value >= thresholds.med) return (250 * value) / c - 1.25;
  return (500 * value) / c - 2.5;
}

function whyNoTargetValue(
  observed: number | null,
  required: number | null,
  yearsToTarget: number,
  baseValue: number,
  targetValue: number,
): string {
  if (!(yearsToTarget > 0)) {
    return 'The target period is not after the base period, so no growth rate toward the target can be computed.';
  }
  if (required === 0) {
    return (
      'The target equals the base value, so the required growth rate is 0 and the ratio is undefined; ' +
      'the latest value does not meet the target.'
    );
  }
  if (required === null && Math.sign(baseValue) !== Math.sign(targetValue)) {
    return (
      `The base value (${baseValue}) and the target (${targetValue}) have different signs; ` +
      'a compound growth rate cannot be computed across zero.'
    );
  }
  if (observed === null || required === null) {
    return 'A growth rate is too large to represent (the base value is very close to 0).';
  }
  return 'The progress value cannot be computed.';
}

/** The linear projection needs at least this many points from the baseline period on. */
export const MIN_PROJECTION_POINTS = 3;

function projectToTarget(
  input: ProgressInput,
  d: number,
): { projectedAtTarget: number | null; onPace: boolean | null; method: 'ols' | 'two_point' | null } {
  const { target, calendar } = input;
  // A line through fewer than 3 points is not a projection anyone should plan on (engine 2.0).
  if (input.projectionPoints.length < MIN_PROJECTION_POINTS)
    return { projectedAtTarget: null, onPace: null, method: null };
  const line = fitLine(input.projectionPoints.map((p) => ({ x: periodIndex(p.period, calendar), y: p.value })));
  if (!line) return { projectedAtTarget: null, onPace: null, method: null };
  if (!target) return { projectedAtTarget: null, onPace: null, method: line.method };
  let raw = valueAt(line, periodIndex(target.period, calendar));
  const bounds = input.bounds ?? null;
  if (bounds?.min != null && raw < bounds.min) raw = bounds.min;
  if (bounds?.max != null && raw > bounds.max) raw = bounds.max;
  const projected = clean(round12(raw));
  if (projected === null) return { projectedAtTarget: null, onPace: null, method: line.method };
  return { projectedAtTarget: projected, onPace: d * (projected - target.value) >= 0, method: line.method };
}

function checkInterimTarget(
  latest: SeriesPoint | null,
  interimTargets: readonly PeriodValue[],
  calendar: PeriodCalendar,
  d: number,
): InterimTargetCheck | null {
  if (!latest) return null;
  const x = periodIndex(latest.period, calendar);
  const interim = interimTargets.find((t) => periodIndex(t.period, calendar) === x);
  if (!interim) return null;
  const gap = clean(latest.value - interim.value) ?? 0;
  return {
    period: interim.period,
    value: interim.value,
    latest: latest.value,
    gap,
    met: d * (latest.value - interim.value) >= 0,
  };
}

/** Finite numbers pass (with −0 turned into 0); NaN and ±Infinity become null. */
function clean(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}
