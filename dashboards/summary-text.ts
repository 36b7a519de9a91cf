/**
 * Plain-language summaries of an indicator's analysis: the text a screen reader reads for a chart (its
 * `description`), and the paragraph an embed page shows next to it. Every phrase is built from the engine's
 * output, never from the chart, so the words and the picture cannot disagree.
 *
 * Pure functions; no I/O.
 */
import type { Frequency } from '../server/engine/periods.ts';
import type {
  CurveResult,
  DisaggregatedSlice,
  IndicatorAnalysis,
  Progress,
  Slice,
  TrendResult,
} from '../server/engine/types.ts';
import { formatDifference, formatValue } from './theme.ts';
import type { ChartIndicator } from './types.ts';

type TextIndicator = Pick<ChartIndicator, 'name' | 'unit' | 'unitLabel' | 'decimals' | 'frequency' | 'target'>;
type GapIndicator = TextIndicator & Pick<ChartIndicator, 'polarity'>;

/**
 * One paragraph describing the latest value and its trend, the curve against the baseline forecast, and
 * progress toward the target.
 *
 * Steps:
 *  1. no data → "No data yet for …", with the target when one is set;
 *  2. the latest value and the current trend ({@link trendSentence});
 *  3. the latest value against the baseline forecast and the curve status ({@link curveClause});
 *  4. progress toward the target, or without one, and the interim target of the latest period ({@link progressClause}).
 *
 * @example
 * describeIndicator(unemploymentRate, analysis)
 * // 'Unemployment rate fell for 3 years in a row, to 6.9% in 2023 (an improvement); 0.9 percentage points
 * //  better than the baseline forecast (the curve has turned); progress made but acceleration needed to reach
 * //  the 2030 target of 4.0%; the interim target for 2023 (7.0%) was met.'
 * @example
 * describeIndicator(unemploymentRate, analysisOfNoPoints)
 * // 'No data yet for Unemployment rate. The target is 4.0% by 2030.'
 */
export function describeIndicator(indicator: TextIndicator, analysis: IndicatorAnalysis): string {
  return describeSlice(indicator, analysis.total);
}

/**
 * The indicator in at most two plain sentences, for the top of an embed page and the analysis response
 * (issue 11: "the same sentences the embed shows"): the latest value and its trend; then the curve against the
 * baseline forecast and progress toward the target. Everything else (interim targets, groups) is in the chart,
 * its tooltips, the data table and the details below the chart.
 *
 * @example
 * summarizeIndicator(unemploymentRate, analysis)
 * // 'Unemployment rate fell for 3 years in a row, to 6.9% in 2023 (an improvement). 0.9 percentage points
 * //  better than the baseline forecast (the curve has turned); progress made but acceleration needed to reach
 * //  the 2030 target of 4.0%.'
 * @example summarizeIndicator(unemploymentRate, analysisOfNoPoints)
 * // 'No data yet for Unemployment rate. The target is 4.0% by 2030.'
 */
export function summarizeIndicator(indicator: TextIndicator, analysis: IndicatorAnalysis): string {
  const slice = analysis.total;
  if (!slice.latest) return describeSlice(indicator, slice);
  const progress = progressClause(indicator, { ...slice, progress: { ...slice.progress, interimTarget: null } });
  return `${trendSentence(indicator.name, indicator, slice)}. ${upperFirst(curveClause(indicator, slice))}; ${progress}.`;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * {@link describeIndicator} for any slice of the analysis, with the slice named in the first sentence.
 *
 * @example describeSlice(indicator, analysis.slices[0], 'Black residents')
 * // 'Unemployment rate (Black residents) fell for 3 years in a row, to 9.9% in 2023 (an improvement); …'
 */
export function describeSlice(indicator: TextIndicator, slice: Slice, sliceName?: string): string {
  const name = sliceName ? `${indicator.name} (${sliceName})` : indicator.name;
  if (!slice.latest) {
    const target = indicator.target
      ? ` The target is ${formatValue(indicator.target.value, indicator)} by ${indicator.target.period}.`
      : '';
    return `No data yet for ${name}.${target}`;
  }
  const clauses = [
    trendSentence(name, indicator, slice),
    curveClause(indicator, slice),
    progressClause(indicator, slice),
  ];
  return `${clauses.join('; ')}.`;
}

/**
 * The latest value and the current trend (docs/methodology.md §2).
 *
 * @example 'Unemployment rate fell for 3 years in a row, to 6.9% in 2023 (an improvement)'
 * @example 'Graduation rate rose to 81% in 2023, from 79% in 2022 (an improvement)'
 * @example 'Median income held at $41,000 in 2023, unchanged from 2022'
 * @example 'Graduation rate was 79% in 2022, the only value so far'
 */
export function trendSentence(name: string, indicator: TextIndicator, slice: Slice): string {
  const latest = slice.latest!;
  const value = `${formatValue(latest.value, indicator)} in ${latest.period}`;
  const trend: TrendResult = slice.trend;
  if (trend.direction === null || trend.periods === null || !slice.previous) {
    return `${name} was ${value}, the only value so far`;
  }
  const previous = slice.previous;
  if (trend.direction === 'flat') {
    return `${name} held at ${value}, unchanged from ${previous.period}`;
  }
  const verb = trend.direction === 'up' ? 'rose' : 'fell';
  const judged = trend.good === null ? '' : trend.good ? ' (an improvement)' : ' (a worsening)';
  const sustained = trend.sustained ? ', a sustained trend' : '';
  if (trend.periods === 1) {
    return `${name} ${verb} to ${value}, from ${formatValue(previous.value, indicator)} in ${previous.period}${judged}`;
  }
  return `${name} ${verb} for ${trend.periods} ${periodWord(indicator.frequency, trend.periods)} in a row, to ${value}${judged}${sustained}`;
}

/**
 * The latest value against the baseline forecast, and whether the curve has turned (docs/methodology.md §4).
 *
 * @example '0.9 percentage points better than the baseline forecast (the curve has turned)'
 * @example '0.3 percentage points worse than the baseline forecast (the curve has not turned yet)'
 * @example 'too early to tell whether the curve has turned: there are no data after the 2024-06 baseline yet'
 */
export function curveClause(indicator: TextIndicator, slice: Pick<Slice, 'curve' | 'forecast' | 'base'>): string {
  const curve = slice.curve;
  if (curve.status === 'insufficient_data' || curve.gap === null || curve.latestVsForecast === null) {
    const why =
      slice.forecast.method !== null && slice.base
        ? `there are no data after the ${slice.base.period} baseline yet`
        : 'there is no baseline forecast to compare with yet';
    return `too early to tell whether the curve has turned: ${why}`;
  }
  const status =
    curve.status === 'turned'
      ? 'the curve has turned'
      : curve.status === 'worsened'
        ? 'the curve has turned for the worse'
        : 'the curve has not turned yet';
  if (curve.latestVsForecast === 'equal') return `exactly on the baseline forecast (${status})`;
  const size = formatDifference(curve.gap, indicator);
  // A gap that rounds to 0 at the indicator's decimals is still a gap: "slightly", not "0 points".
  const amount = size === formatDifference(0, indicator) ? 'slightly' : size;
  return `${amount} ${curve.latestVsForecast} than the baseline forecast (${status})`;
}

/**
 * Progress toward the target (docs/methodology.md §5), in Statistics Canada's words, and the interim target of the
 * latest period when one is set.
 *
 * @example 'progress made but acceleration needed to reach the 2030 target of 4.0%'
 * @example 'no target is set; improving slowly since the 2019 baseline'
 */
export function progressClause(indicator: TextIndicator, slice: Slice): string {
  const progress: Progress = slice.progress;
  const interim = progress.interimTarget
    ? `; the interim target for ${progress.interimTarget.period} (${formatValue(progress.interimTarget.value, indicator)}) was ${
        progress.interimTarget.met ? 'met' : 'missed'
      }`
    : '';
  if (progress.method === 'target' && indicator.target) {
    const target = `the ${indicator.target.period} target of ${formatValue(indicator.target.value, indicator)}`;
    return `${TARGET_PHRASES[progress.status](target)}${interim}`;
  }
  const since = slice.base ? ` since the ${slice.base.period} baseline` : '';
  const phrase = NO_TARGET_PHRASES[progress.status];
  return `no target is set${phrase ? `; ${phrase}${since}` : ''}${interim}`;
}

const TARGET_PHRASES: Record<Progress['status'], (target: string) => string> = {
  target_achieved: (t) => `${t} has been reached`,
  substantial_progress: (t) => `on track to reach ${t}`,
  moderate_progress: (t) => `progress made but acceleration needed to reach ${t}`,
  limited_progress: (t) => `limited progress toward ${t}`,
  deterioration: (t) => `moving away from ${t}`,
  not_available: (t) => `progress toward ${t} cannot be assessed yet`,
};

const NO_TARGET_PHRASES: Record<Progress['status'], string | null> = {
  target_achieved: null,
  substantial_progress: 'improving substantially',
  moderate_progress: 'improving moderately',
  limited_progress: 'improving slowly',
  deterioration: 'getting worse',
  not_available: null,
};

/** "year"/"years", "quarter"/"quarters", … for a count of periods. */
export function periodWord(frequency: Frequency, count: number): string {
  const word = { annual: 'year', quarterly: 'quarter', monthly: 'month', weekly: 'week', daily: 'day' }[frequency];
  return count === 1 ? word : `${word}s`;
}

/**
 * The curve status as a short headline, for subtitles and scorecards.
 *
 * @example curveHeadline({ status: 'turned', latestVsForecast: 'better' }) // 'Curve turned: better than the baseline forecast'
 */
export function curveHeadline(curve: Pick<CurveResult, 'status' | 'latestVsForecast'>): string {
  switch (curve.status) {
    case 'turned':
      return 'Curve turned: better than the baseline forecast';
    case 'worsened':
      return 'Curve worsened: worse than the baseline forecast';
    case 'not_turned':
      return curve.latestVsForecast === 'better'
        ? 'Curve not turned yet: better than the baseline forecast, but not clearly'
        : curve.latestVsForecast === 'worse'
          ? 'Curve not turned yet: worse than the baseline forecast, but not clearly'
          : 'Curve not turned yet: on the baseline forecast';
    case 'insufficient_data':
      return 'Too early to tell whether the curve has turned';
  }
}

/**
 * The progress status as a short headline, for subtitles.
 *
 * @example progressHeadline({ method: 'target', status: 'substantial_progress', label: 'On track' }, unemploymentRate)
 * // 'On track to reach the 2030 target (4.0%)'
 */
export function progressHeadline(
  progress: Pick<Progress, 'method' | 'status' | 'label'>,
  indicator: TextIndicator,
): string {
  const target = indicator.target;
  if (progress.method === 'target' && target) {
    const what = `the ${target.period} target (${formatValue(target.value, indicator)})`;
    switch (progress.status) {
      case 'target_achieved':
        return `Target achieved: ${what}`;
      case 'not_available':
        return `Progress toward ${what}: unable to assess yet`;
      case 'substantial_progress':
        return `On track to reach ${what}`;
      case 'moderate_progress':
        return `Progress made but acceleration needed to reach ${what}`;
      case 'limited_progress':
        return `Limited progress toward ${what}`;
      case 'deterioration':
        return `Deterioration: moving away from ${what}`;
    }
  }
  return progress.status === 'not_available'
    ? 'No target set'
    : `No target set; progress since the baseline: ${progress.label.toLowerCase()}`;
}

/**
 * The equity gaps of an indicator's groups in words (docs/methodology.md §6), for the disaggregated chart's description.
 *
 * @example
 * describeEquityGaps(unemploymentRate, analysis, (d) => d.race_ethnicity)
 * // 'Unemployment rate by group, each compared with its reference; lower is better. Black: 5.1 percentage points
 * //  above White in 2023, narrower than 7.4 percentage points at the 2019 baseline. Hispanic: …'
 */
export function describeEquityGaps(
  indicator: GapIndicator,
  analysis: IndicatorAnalysis,
  nameOf: (disaggregation: Record<string, string>) => string,
): string {
  const compared = analysis.slices.filter(
    (s): s is DisaggregatedSlice & { gap: NonNullable<DisaggregatedSlice['gap']> } => s.gap !== null,
  );
  if (analysis.slices.length === 0) return `No data by group yet for ${indicator.name}.`;
  const sentences = compared.map((s) => {
    const gap = s.gap;
    const reference = gap.reference ? nameOf(gap.reference) : 'the total';
    const name = nameOf(s.disaggregation);
    if (gap.latestGap === null || gap.latestGapPeriod === null)
      return `${name}: no period in common with ${reference}.`;
    const where = gap.latestGap > 0 ? 'above' : gap.latestGap < 0 ? 'below' : 'level with';
    const size = gap.latestGap === 0 ? '' : `${formatDifference(gap.latestGap, indicator)} `;
    let sentence = `${name}: ${size}${where} ${reference} in ${gap.latestGapPeriod}`;
    if (gap.narrowing !== null && gap.baselineGap !== null) {
      sentence += `, ${gap.narrowing ? 'narrower' : 'not narrower'} than ${formatDifference(gap.baselineGap, indicator)} at the ${gap.baselineGapPeriod} baseline`;
    }
    return `${sentence}.`;
  });
  const better = indicator.polarity === 'lower_is_better' ? 'Lower' : 'Higher';
  return [
    `${indicator.name} by group, each compared with its reference; ${better.toLowerCase()} is better.`,
    ...sentences,
  ].join(' ');
}
