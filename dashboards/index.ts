/**
 * The dashboards' public API: pure builders, data in → Vega-Lite spec (data inline) out, plus the plain-language
 * summaries and the shared theme. Routes call these; they never touch Fastify or the database.
 *
 * @example
 * import { buildTurnTheCurveChart, describeIndicator } from '../dashboards/index.ts';
 * const analysis = analyzeIndicator(engineIndicator, points);
 * const spec = buildTurnTheCurveChart({ indicator, analysis, points, brand: initiative.brand });
 * const text = describeIndicator(indicator, analysis);
 */
export { buildTurnTheCurveChart, TURN_THE_CURVE_DATASETS, type TurnTheCurveInput } from './turn-the-curve-chart.ts';
export { buildDisaggregatedChart, groupLabel, type DisaggregatedInput } from './disaggregated-chart.ts';
export {
  asOfText,
  buildScorecardDashboard,
  describeScorecard,
  rollUpLines,
  rollUpSentence,
  trendArrow,
  SCORECARD_COLUMNS,
  type ScorecardDashboardInput,
} from './scorecard-dashboard.ts';
export {
  curveHeadline,
  describeEquityGaps,
  describeIndicator,
  describeSlice,
  progressHeadline,
  summarizeIndicator,
} from './summary-text.ts';
export {
  CHART_WIDTHS,
  COLORS,
  CONCAT_AUTOSIZE,
  GROUP_PALETTE,
  RESPONSIVE_AUTOSIZE,
  VEGA_LITE_SCHEMA,
  contrastRatio,
  dashboardConfig,
  formatDifference,
  formatNumber,
  formatValue,
  numberFormat,
  seriesColor,
} from './theme.ts';
export { periodStart, tickDates } from './time-axis.ts';
export type { Brand, ChartIndicator, ChartPoint } from './types.ts';
export { accessibleSvg } from './svg.ts';
