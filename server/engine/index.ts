/**
 * The turn-the-curve engine's public API (engine.md). Pure functions: series in, analysis out; nothing here
 * imports the web or database layers.
 *
 * @example
 * import { analyzeIndicator } from './engine/index.ts';
 * const analysis = analyzeIndicator(indicator, points, { level: 0.9 });
 * analysis.total.curve.status // 'turned' | 'worsened' | 'not_turned' | 'insufficient_data'
 */
export { ENGINE_VERSION } from './version.ts';
export * from './vocabulary.ts';
export * from './types.ts';
export * from './series.ts';
export * from './periods.ts';

// §1–§4 and the entry point
export {
  analyzeIndicator,
  analyzeIndicatorWithFits,
  analyzeSlice,
  sliceKey,
  type AnalyzeOptions,
} from './analyze-indicator.ts';
export {
  finiteOrNull,
  findBasePoint,
  indexSeries,
  levelAndChange,
  MAX_ABS_VALUE,
  resolveBaselinePeriod,
} from './level-change.ts';
export { currentTrend, SUSTAINED_TREND_CHANGES } from './trend.ts';
export {
  fitOls,
  predictOls,
  predictionInterval,
  studentTQuantile,
  type OlsFit,
  type PredictionInterval,
} from './ols.ts';
export {
  clampToBounds,
  DEFAULT_LEVEL,
  fitBaseline,
  MAX_FORECAST_PERIODS,
  resolveBounds,
  type BaselineFit,
  type BaselineForecastInput,
} from './baseline-forecast.ts';
export {
  anhoejLongestRunLimit,
  curveStatus,
  currentRunLength,
  EQUAL_TOLERANCE,
  runLengths,
  type CurveStatusInput,
} from './curve-status.ts';

// §5–§8
export * from './progress.ts';
export * from './linear-fit.ts';
export * from './theil-sen.ts';
export * from './equity-gap.ts';
export * from './rollup.ts';
export * from './smart-check.ts';
