/**
 * The SMART check of a shared result (docs/methodology.md §8): Living Cities' four components of a shared result —
 * Specific, Measurable, Attainable, Relevant — plus Time-bound, for the result and for each indicator, each
 * graded `pass` / `warn` / `fail` with reasons in plain words, and the partnership-level reading of the result
 * (`specific` / `general` / `unsure`).
 *
 * The rules, criterion by criterion (those engine.md leaves open are marked *choice*):
 *
 * | criterion   | result                                                        | each indicator                                                    |
 * |-------------|---------------------------------------------------------------|-------------------------------------------------------------------|
 * | Specific    | names a population and a geography (one missing: warn, both: fail) | has a definition and a unit (one missing: warn, both: fail)  |
 * | Measurable  | has a headline indicator (none: fail; *choice*: warn when a headline indicator has no base point) | base point at the baseline period: pass; only a later one: warn (*choice*); none: fail |
 * | Attainable  | *choice*: the worst grade of its headline indicators          | required rate vs the best historical rate (below)                 |
 * | Relevant    | headline indicators are population-level (*choice*: some performance measures: warn, all: fail) | a headline indicator must be population-level; a performance measure under an outcome passes |
 * | Time-bound  | has a time frame with an end year (*choice*: end before start: fail) | has a target with a period after the base period; *choice*: warn when the target period starts after the result's time frame ends |
 *
 * Reading: `unsure` when there is no headline indicator; otherwise `specific` when every criterion of the
 * result and of every indicator passes; otherwise `general` (*choice*: engine.md names "a target or time frame
 * is missing" as the typical cause; any other criterion short of `pass` also leaves the result general).
 *
 * Pure functions, no I/O.
 */
import { cagr, ZERO_REPLACEMENT } from './progress.ts';
import { type PeriodCalendar, periodDateRange, periodIndex, yearsBetween } from './periods.ts';
import type { PeriodValue, Polarity, SeriesPoint, Unit } from './series.ts';
import type { IndicatorLevel, SmartGrade, SmartReading } from './vocabulary.ts';

export type { IndicatorLevel, SmartGrade, SmartReading } from './vocabulary.ts';
export type SmartCriterionName = 'specific' | 'measurable' | 'attainable' | 'relevant' | 'timeBound';
export const SMART_CRITERIA: readonly SmartCriterionName[] = [
  'specific',
  'measurable',
  'attainable',
  'relevant',
  'timeBound',
];

export interface SmartCriterion {
  status: SmartGrade;
  /** Plain-words reasons; at least one. */
  reasons: string[];
}
export type SmartCriteria = Record<SmartCriterionName, SmartCriterion>;

/** What the check needs to know about one indicator of the result. */
export interface SmartIndicatorInput {
  /** Echoed in the output (e.g. the indicator's id); optional. */
  id?: string | null;
  name: string;
  definition: string | null;
  unit: Unit | null;
  /** `population` measures the community; `performance` measures one program (RBA performance measure). */
  level: IndicatorLevel;
  /** A headline indicator hangs directly on the result (not on an outcome). */
  isHeadline: boolean;
  /** True when the total slice has a point at the baseline period b itself. */
  hasBasePoint: boolean;
  /** The base point of docs/methodology.md §0 (at b, or the first point after b); null when there is none. */
  basePoint: SeriesPoint | null;
  target: PeriodValue | null;
  polarity: Polarity;
  calendar: PeriodCalendar;
  /** History H: the total slice's points with period <= b. */
  history: SeriesPoint[];
}

/** What the check needs to know about the result. */
export interface SmartResultInput {
  population: string | null;
  geography: string | null;
  /** The result's time frame in years (api.md: `timeFrame { start, end }`). */
  timeFrame: { start: number | null; end: number | null } | null;
  indicators: SmartIndicatorInput[];
}

/** A historical window the best improvement rate was found over. */
export interface HistoryWindow {
  from: string;
  to: string;
  years: number;
  /** `sign · d · CAGR` over the window: the improvement per year (0.03 = 3 % a year better). */
  improvementRate: number;
}

/** The working of the Attainable criterion of one indicator. */
export interface Attainability {
  /** years(base, target period): the target horizon. */
  horizonYears: number | null;
  /** The §5 required rate: CAGR(T, base, horizon). */
  requiredRate: number | null;
  /** `sign · d · requiredRate`: the improvement per year the target asks for (≤ 0: none). */
  requiredImprovement: number | null;
  /** The best `sign · d · CAGR` over the historical windows. */
  bestImprovement: number | null;
  bestWindow: HistoryWindow | null;
  /** `horizon`: windows as long as the horizon; `whole_history`: the history is no longer than the horizon. */
  windowRule: 'horizon' | 'whole_history' | null;
  windowsConsidered: number;
  /** requiredImprovement / bestImprovement, when both are positive. */
  ratio: number | null;
}

export interface SmartIndicatorCheck {
  id: string | null;
  name: string;
  isHeadline: boolean;
  criteria: SmartCriteria;
  attainability: Attainability;
}

export interface SmartCheck {
  method: 'living_cities_smart';
  reading: SmartReading;
  readingReason: string;
  result: SmartCriteria;
  indicators: SmartIndicatorCheck[];
}

/**
 * The SMART check of a shared result (docs/methodology.md §8).
 *
 * @example A result with one headline indicator, unemployment rate (lower is better), baseline 2020 at 8.0 %,
 * target 6.0 % in 2025, history 2016–2020: 9.5, 9.0, 8.0, 7.8, 8.0:
 * smartCheck({ population: 'Working-age residents', geography: 'Detroit', timeFrame: { start: 2020, end: 2030 },
 *   indicators: [{ name: 'Unemployment rate', definition: 'Share of the labour force …', unit: 'percent',
 *     level: 'population', isHeadline: true, hasBasePoint: true, basePoint: { period: '2020', value: 8 },
 *     target: { period: '2025', value: 6 }, polarity: 'lower_is_better', calendar: { frequency: 'annual' },
 *     history: [...] }] })
 * // horizon 5 years > history span 4 years → one window, 2016–2020: improvement −((8/9.5)^(1/4) − 1) = 0.04206;
 * // required improvement −((6/8)^(1/5) − 1) = 0.05591 → 1.33 × the best → attainable 'warn' (stretch);
 * // every other criterion passes → reading 'general'.
 */
export function smartCheck(input: SmartResultInput): SmartCheck {
  const indicators = input.indicators.map((indicator) => checkIndicator(indicator, input.timeFrame));
  const headline = indicators.filter((i) => i.isHeadline);
  const headlineInputs = input.indicators.filter((i) => i.isHeadline);

  const result: SmartCriteria = {
    specific: resultSpecific(input),
    measurable: resultMeasurable(headlineInputs),
    attainable: resultAttainable(headline),
    relevant: resultRelevant(headlineInputs),
    timeBound: resultTimeBound(input.timeFrame),
  };

  let reading: SmartReading;
  let readingReason: string;
  const allPass =
    SMART_CRITERIA.every((c) => result[c].status === 'pass') &&
    indicators.every((i) => SMART_CRITERIA.every((c) => i.criteria[c].status === 'pass'));
  if (headline.length === 0) {
    reading = 'unsure';
    readingReason = 'The result has no headline indicator, so it is not yet clear how it will be measured.';
  } else if (allPass) {
    reading = 'specific';
    readingReason = 'Every criterion passes for the result and for each of its indicators.';
  } else {
    reading = 'general';
    const missingTime = result.timeBound.status !== 'pass';
    const missingTargets = input.indicators.filter((i) => i.target === null).map((i) => `"${i.name}"`);
    if (missingTime || missingTargets.length > 0) {
      const parts: string[] = [];
      if (missingTime) parts.push('the result has no usable time frame');
      if (missingTargets.length > 0) parts.push(`no target is set for ${missingTargets.join(', ')}`);
      readingReason = `The result is general: ${parts.join('; ')}.`;
    } else {
      readingReason = 'The result is general: some criteria do not pass yet (see the warnings and failures).';
    }
  }
  return { method: 'living_cities_smart', reading, readingReason, result, indicators };
}

/**
 * The best improvement rate the history shows over windows as long as the target horizon (docs/methodology.md §8,
 * Attainable), in the units of §5: `sign · d · CAGR` per year, where `sign` is −1 when the window's first value
 * is negative and `d` is +1 for higher-is-better, −1 for lower-is-better (so a positive rate is always an
 * improvement, and it compares directly with the required improvement `sign · d · required`).
 *
 * Windows, precisely (h = the target horizon in years, history sorted by period, gaps never filled):
 * - when the history spans no more than h years (`years(first, last) <= h`), one window: the whole history;
 * - otherwise, for every historical point i, the window from i to the first later point j with
 *   `years(i, j) >= h` (exactly h with complete data; the shortest window at least h long across gaps).
 * A window's first value of 0 is replaced by 0.001 (as in §5); a window whose values have different signs
 * has no CAGR and is skipped. Returns null best when fewer than 2 points or no usable window.
 *
 * @example bestImprovementRate([{ period: '2010', value: 100 }, { period: '2011', value: 90 },
 *   { period: '2012', value: 85 }, { period: '2013', value: 88 }], 2, 'lower_is_better', { frequency: 'annual' })
 * // windows 2010–2012: −((85/100)^(1/2) − 1) = 0.07805, 2011–2013: −((88/90)^(1/2) − 1) = 0.01117
 * // → { best: { from: '2010', to: '2012', years: 2, improvementRate: 0.07805 }, windowRule: 'horizon', windowsConsidered: 2 }
 */
export function bestImprovementRate(
  history: readonly SeriesPoint[],
  horizonYears: number,
  polarity: Polarity,
  calendar: PeriodCalendar,
): { best: HistoryWindow | null; windowRule: 'horizon' | 'whole_history' | null; windowsConsidered: number } {
  const d = polarity === 'higher_is_better' ? 1 : -1;
  const points = history.map((p) => ({ ...p, x: periodIndex(p.period, calendar) })).sort((a, b) => a.x - b.x);
  if (points.length < 2 || !(horizonYears > 0)) return { best: null, windowRule: null, windowsConsidered: 0 };

  const first = points[0]!;
  const last = points[points.length - 1]!;
  const tolerance = 1e-9;
  const pairs: [number, number][] = [];
  let windowRule: 'horizon' | 'whole_history';
  if (yearsBetween(first.period, last.period, calendar) <= horizonYears + tolerance) {
    windowRule = 'whole_history';
    pairs.push([0, points.length - 1]);
  } else {
    windowRule = 'horizon';
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        if (yearsBetween(points[i]!.period, points[j]!.period, calendar) >= horizonYears - tolerance) {
          pairs.push([i, j]);
          break;
        }
      }
    }
  }

  let best: HistoryWindow | null = null;
  let considered = 0;
  for (const [i, j] of pairs) {
    const a = points[i]!;
    const b = points[j]!;
    const years = yearsBetween(a.period, b.period, calendar);
    const v0 = a.value === 0 ? ZERO_REPLACEMENT : a.value;
    if ((v0 > 0 && b.value < 0) || (v0 < 0 && b.value > 0)) continue;
    const rate = cagr(b.value, v0, years);
    if (rate === null) continue;
    considered += 1;
    const improvement = (v0 < 0 ? -1 : 1) * d * rate;
    const clean = improvement === 0 ? 0 : improvement;
    if (best === null || clean > best.improvementRate) {
      best = { from: a.period, to: b.period, years, improvementRate: clean };
    }
  }
  return { best, windowRule, windowsConsidered: considered };
}

function checkIndicator(indicator: SmartIndicatorInput, timeFrame: SmartResultInput['timeFrame']): SmartIndicatorCheck {
  const { criterion: attainable, attainability } = indicatorAttainable(indicator);
  return {
    id: indicator.id ?? null,
    name: indicator.name,
    isHeadline: indicator.isHeadline,
    criteria: {
      specific: indicatorSpecific(indicator),
      measurable: indicatorMeasurable(indicator),
      attainable,
      relevant: indicatorRelevant(indicator),
      timeBound: indicatorTimeBound(indicator, timeFrame),
    },
    attainability,
  };
}

const present = (s: string | null | undefined): boolean => typeof s === 'string' && s.trim().length > 0;

/** pass when nothing is missing, fail when everything is, warn in between. */
function gradeMissing(missing: number, of: number): SmartGrade {
  return missing === 0 ? 'pass' : missing === of ? 'fail' : 'warn';
}

function resultSpecific(input: SmartResultInput): SmartCriterion {
  const reasons: string[] = [];
  let missing = 0;
  if (present(input.population)) reasons.push(`It names its population: ${input.population!.trim()}.`);
  else {
    missing += 1;
    reasons.push('It does not name the population whose well-being it is about (e.g. "children aged 0–5").');
  }
  if (present(input.geography)) reasons.push(`It names its geography: ${input.geography!.trim()}.`);
  else {
    missing += 1;
    reasons.push('It does not name a geography (e.g. a city or neighbourhood).');
  }
  return { status: gradeMissing(missing, 2), reasons };
}

function indicatorSpecific(indicator: SmartIndicatorInput): SmartCriterion {
  const reasons: string[] = [];
  let missing = 0;
  if (present(indicator.definition)) reasons.push('It has a definition.');
  else {
    missing += 1;
    reasons.push('It has no definition: say exactly what is counted, and how.');
  }
  if (indicator.unit) reasons.push(`Its unit is ${indicator.unit}.`);
  else {
    missing += 1;
    reasons.push('It has no unit.');
  }
  return { status: gradeMissing(missing, 2), reasons };
}

function resultMeasurable(headline: readonly SmartIndicatorInput[]): SmartCriterion {
  if (headline.length === 0) {
    return { status: 'fail', reasons: ['It has no headline indicator: nothing measures the result itself.'] };
  }
  const reasons = [`It has ${headline.length} headline indicator${headline.length === 1 ? '' : 's'}.`];
  const noData = headline.filter((i) => i.basePoint === null).map((i) => `"${i.name}"`);
  if (noData.length > 0) {
    reasons.push(`No baseline data yet for ${noData.join(', ')}.`);
    return { status: 'warn', reasons };
  }
  return { status: 'pass', reasons };
}

function indicatorMeasurable(indicator: SmartIndicatorInput): SmartCriterion {
  if (indicator.hasBasePoint && indicator.basePoint) {
    return {
      status: 'pass',
      reasons: [`It has a baseline point (${indicator.basePoint.period}: ${indicator.basePoint.value}).`],
    };
  }
  if (indicator.basePoint) {
    return {
      status: 'warn',
      reasons: [
        `It has no data for the baseline period; the first later point (${indicator.basePoint.period}) serves as the base.`,
      ],
    };
  }
  return {
    status: 'fail',
    reasons: ['It has no data at or after the baseline period, so there is no baseline point.'],
  };
}

const GRADE_ORDER: Record<SmartGrade, number> = { pass: 0, warn: 1, fail: 2 };

function resultAttainable(headline: readonly SmartIndicatorCheck[]): SmartCriterion {
  if (headline.length === 0) {
    return { status: 'warn', reasons: ['There is no headline indicator whose target could be judged.'] };
  }
  let status: SmartGrade = 'pass';
  const reasons: string[] = [];
  for (const i of headline) {
    const c = i.criteria.attainable;
    if (GRADE_ORDER[c.status] > GRADE_ORDER[status]) status = c.status;
    reasons.push(`"${i.name}": ${c.reasons.join(' ')}`);
  }
  return { status, reasons };
}

function indicatorAttainable(indicator: SmartIndicatorInput): {
  criterion: SmartCriterion;
  attainability: Attainability;
} {
  const attainability: Attainability = {
    horizonYears: null,
    requiredRate: null,
    requiredImprovement: null,
    bestImprovement: null,
    bestWindow: null,
    windowRule: null,
    windowsConsidered: 0,
    ratio: null,
  };
  const done = (status: SmartGrade, reason: string) => ({ criterion: { status, reasons: [reason] }, attainability });
  const { target, basePoint, calendar } = indicator;
  if (!target) return done('warn', 'There is no target to judge.');
  if (!basePoint) return done('warn', 'There is no base point to measure the required rate from.');

  const horizon = yearsBetween(basePoint.period, target.period, calendar);
  attainability.horizonYears = horizon;
  if (!(horizon > 0)) return done('warn', 'The target period is not after the base period.');

  const d = indicator.polarity === 'higher_is_better' ? 1 : -1;
  const base = basePoint.value === 0 ? ZERO_REPLACEMENT : basePoint.value;
  const goal = target.value === 0 ? ZERO_REPLACEMENT : target.value;
  const required = cagr(goal, base, horizon);
  attainability.requiredRate = required;
  if (required === null) {
    return done(
      'warn',
      'The target and the base value lie on different sides of zero, so no growth rate can be compared.',
    );
  }
  const requiredImprovement = zeroed((base < 0 ? -1 : 1) * d * required);
  attainability.requiredImprovement = requiredImprovement;

  const { best, windowRule, windowsConsidered } = bestImprovementRate(
    indicator.history,
    horizon,
    indicator.polarity,
    calendar,
  );
  attainability.bestWindow = best;
  attainability.bestImprovement = best ? best.improvementRate : null;
  attainability.windowRule = windowRule;
  attainability.windowsConsidered = windowsConsidered;

  const need = `The target needs ${describeRate(requiredImprovement)} a year over ${formatYears(horizon)}`;
  if (indicator.history.length < 2) {
    return done(
      'warn',
      'No history: fewer than 2 data points up to the baseline, so the target cannot be compared with the past.',
    );
  }
  if (requiredImprovement <= 0) return done('pass', `${need}: no improvement is required.`);
  if (!best) return done('warn', 'The history cannot be compared: its values cross zero.');

  const window = `${best.from}–${best.to}`;
  const shown = `the best the history shows is ${describeRate(best.improvementRate)} a year (${window})`;
  if (best.improvementRate > 0) attainability.ratio = requiredImprovement / best.improvementRate;
  const slack = 1e-12 * Math.abs(best.improvementRate);
  if (requiredImprovement <= best.improvementRate + slack) return done('pass', `${need}; ${shown}.`);
  if (best.improvementRate > 0 && requiredImprovement <= 2 * best.improvementRate + slack) {
    return done(
      'warn',
      `Stretch: ${need.charAt(0).toLowerCase()}${need.slice(1)}; ${shown}, so the target asks for up to twice that pace.`,
    );
  }
  const why =
    best.improvementRate > 0
      ? 'so the target asks for more than twice the best pace on record'
      : 'the history never improved over such a window';
  return done('fail', `Unprecedented: ${need.charAt(0).toLowerCase()}${need.slice(1)}; ${shown}, ${why}.`);
}

function resultRelevant(headline: readonly SmartIndicatorInput[]): SmartCriterion {
  if (headline.length === 0) {
    return { status: 'warn', reasons: ['There is no headline indicator to judge.'] };
  }
  const performance = headline.filter((i) => i.level === 'performance').map((i) => `"${i.name}"`);
  if (performance.length === 0) {
    return { status: 'pass', reasons: ['Its headline indicators measure the population, not a program.'] };
  }
  const reason = `${performance.join(', ')} ${
    performance.length === 1
      ? "is a program's performance measure, not a population-level indicator"
      : "are programs' performance measures, not population-level indicators"
  }: a shared result is about the whole population's well-being.`;
  return { status: performance.length === headline.length ? 'fail' : 'warn', reasons: [reason] };
}

function indicatorRelevant(indicator: SmartIndicatorInput): SmartCriterion {
  if (indicator.level === 'population') {
    return { status: 'pass', reasons: ['It measures a condition of the population.'] };
  }
  if (indicator.isHeadline) {
    return {
      status: 'fail',
      reasons: [
        'It is a performance measure of a program used as a headline indicator; a headline indicator should be population-level ' +
          '("increase job referrals through our program" is not a population-level result).',
      ],
    };
  }
  return {
    status: 'pass',
    reasons: ['It is a performance measure under an outcome, which is where such measures belong.'],
  };
}

function resultTimeBound(timeFrame: SmartResultInput['timeFrame']): SmartCriterion {
  if (!timeFrame || timeFrame.end === null) {
    return { status: 'fail', reasons: ['It has no time frame: say by when the result should be reached.'] };
  }
  if (timeFrame.start !== null && timeFrame.end < timeFrame.start) {
    return {
      status: 'fail',
      reasons: [`Its time frame ends (${timeFrame.end}) before it starts (${timeFrame.start}).`],
    };
  }
  const span = timeFrame.start === null ? `by ${timeFrame.end}` : `${timeFrame.start}–${timeFrame.end}`;
  return { status: 'pass', reasons: [`It has a time frame: ${span}.`] };
}

function indicatorTimeBound(indicator: SmartIndicatorInput, timeFrame: SmartResultInput['timeFrame']): SmartCriterion {
  const { target, basePoint, calendar } = indicator;
  if (!target) return { status: 'fail', reasons: ['It has no target with a period.'] };
  if (basePoint && periodIndex(target.period, calendar) <= periodIndex(basePoint.period, calendar)) {
    return {
      status: 'fail',
      reasons: [`Its target period (${target.period}) is not after its base period (${basePoint.period}).`],
    };
  }
  const reasons = [`It has a target of ${target.value} for ${target.period}.`];
  const startYear = Number(periodDateRange(target.period, calendar).start.slice(0, 4));
  if (timeFrame && timeFrame.end !== null && startYear > timeFrame.end) {
    reasons.push(`The target period starts after the result's time frame ends (${timeFrame.end}).`);
    return { status: 'warn', reasons };
  }
  return { status: 'pass', reasons };
}

function describeRate(rate: number): string {
  const pct = Math.abs(rate) * 100;
  const digits = pct >= 10 ? 1 : 2;
  if (rate < 0) return `a ${pct.toFixed(digits)} % worsening`;
  return `a ${pct.toFixed(digits)} % improvement`;
}

function formatYears(years: number): string {
  const rounded = Math.round(years * 100) / 100;
  return `${rounded} year${rounded === 1 ? '' : 's'}`;
}

function zeroed(x: number): number {
  return x === 0 ? 0 : x;
}
