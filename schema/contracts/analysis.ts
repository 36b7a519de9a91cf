/**
 * Response schemas of the turn-the-curve engine (engine.md; types in server/engine/types.ts). They mirror
 * the engine's output exactly: the serializer validates every response against them, so a drift between
 * engine and contract fails the tests instead of reaching a client.
 */
import { z } from 'zod';
import {
  BOUNDS_SOURCES,
  COMPUTED_FORECAST_METHODS,
  CURVE_SIGNALS,
  CURVE_STATUSES,
  FORECAST_COMPARISONS,
  FORECAST_METHODS,
  FORECAST_OPTION_METHODS,
  ETS_MODELS,
  FORECAST_POINT_SOURCES,
  PROGRESS_METHODS,
  PROGRESS_STATUSES,
  PROJECTION_METHODS,
  TREND_DIRECTIONS,
} from '../../server/engine/vocabulary.ts';
import { AsOfQuery } from './common.ts';
import { Frequency, Polarity, Unit } from './indicators.ts';

const Num = z.number();
const NullableNum = z.number().nullable();
const SeriesPoint = z.object({ period: z.string(), value: Num });
const PeriodValue = SeriesPoint;
const BasePoint = SeriesPoint.extend({
  firstAfterBaseline: z
    .boolean()
    .meta({ description: 'True when there is no point at b and the first point after b is used' }),
});
const Reasons = z
  .record(z.string(), z.string())
  .meta({ description: 'Why each null quantity is null, keyed by field' });

export const IntervalLevelQuery = z.object({
  asOf: AsOfQuery.shape.asOf,
  level: z
    .enum(['0.80', '0.90', '0.95', '0.8', '0.9'])
    .default('0.90')
    .transform((v) => Number(v) as 0.8 | 0.9 | 0.95)
    .meta({ description: 'Prediction-interval level of the baseline forecast: 0.80, 0.90 (default) or 0.95' }),
});

export const ProgressStatus = z.enum(PROGRESS_STATUSES);
export const CurveStatus = z.enum(CURVE_STATUSES);
export const TrendDirection = z.enum(TREND_DIRECTIONS);
export const CurveSignal = z.enum(CURVE_SIGNALS);
export const ForecastComparison = z.enum(FORECAST_COMPARISONS);

const Trend = z
  .object({
    method: z.literal('consecutive_changes'),
    direction: TrendDirection.nullable(),
    periods: z.number().int().nullable(),
    since: z.string().nullable(),
    lastChange: NullableNum,
    good: z.boolean().nullable(),
    sustained: z.boolean(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'Trend', description: 'docs/methodology.md §2: the current trend (Clear Impact arrow)' });

const EtsModel = z.enum(ETS_MODELS);
const FittedRange = z.object({ firstIndex: Num, lastIndex: Num, n: z.number().int() });
const EtsState = z.object({ level: Num, trend: NullableNum, seasonal: z.array(Num) });

export const FittedForecastModel = z
  .discriminatedUnion('method', [
    z.object({
      method: z.literal('ets'),
      model: EtsModel,
      selection: z.enum(['aicc', 'requested', 'simpler_than_requested', 'small_sample', 'constant_history']),
      seasonLength: z.number().int(),
      step: z.number().int(),
      parameters: z.object({ alpha: Num, beta: NullableNum, gamma: NullableNum, phi: NullableNum }),
      initialStates: EtsState,
      lastStates: EtsState,
      sigma2: Num,
      logLik: NullableNum,
      aicc: NullableNum,
      candidates: z.array(z.object({ model: EtsModel, aicc: NullableNum })),
      fittedOn: FittedRange,
      missingPeriods: z.number().int(),
    }),
    z.object({
      method: z.enum(['ols', 'two_point']),
      window: z.number().int().nullable(),
      meanX: Num,
      meanY: Num,
      slope: Num,
      sxx: Num,
      residualSd: NullableNum,
      fittedOn: FittedRange,
    }),
    z.object({ method: z.literal('flat'), value: Num, fittedOn: FittedRange }),
  ])
  .meta({
    id: 'FittedForecastModel',
    description:
      'The fitted baseline model (exponential smoothing state space model, least-squares line or flat), as JSON: ' +
      'parameters, initial and last states, error variance, log-likelihood and AICc',
  });

const Forecast = z
  .object({
    method: z.enum(FORECAST_METHODS).nullable(),
    computedMethod: z.enum(COMPUTED_FORECAST_METHODS).nullable(),
    options: z.object({
      method: z.enum(FORECAST_OPTION_METHODS),
      model: EtsModel.nullable(),
      window: z.number().int().nullable(),
    }),
    level: NullableNum,
    fittedOn: z.object({
      from: z.string().nullable(),
      to: z.string().nullable(),
      n: z.number().int(),
      breakAt: z.string().nullable().meta({
        description:
          'The break in series (OBS_STATUS B) the history starts at; null when none at or before the baseline',
      }),
    }),
    slopePerYear: NullableNum,
    residualSd: NullableNum,
    tQuantile: NullableNum,
    normalQuantile: NullableNum,
    intervalFloor: NullableNum,
    model: FittedForecastModel.nullable(),
    explanation: z.string().nullable(),
    points: z.array(
      z.object({
        period: z.string(),
        value: Num,
        lower: NullableNum,
        upper: NullableNum,
        source: z.enum(FORECAST_POINT_SOURCES),
      }),
    ),
    truncated: z.boolean(),
    reason: z.string().nullable(),
  })
  .meta({
    id: 'Forecast',
    description: 'docs/methodology.md §3: the frozen baseline forecast with its prediction interval',
  });

const Curve = z
  .object({
    method: z.literal('forecast_interval_and_anhoej_run'),
    status: CurveStatus,
    latestVsForecast: ForecastComparison.nullable(),
    signals: z.array(CurveSignal),
    gap: NullableNum,
    gapPercent: NullableNum,
    run: z.object({ usefulResiduals: z.number().int(), currentRun: z.number().int(), limit: NullableNum }),
    points: z.array(
      z.object({
        period: z.string(),
        value: Num,
        forecast: Num,
        lower: NullableNum,
        upper: NullableNum,
        residual: Num,
      }),
    ),
    reason: z.string().nullable(),
  })
  .meta({ id: 'Curve', description: 'docs/methodology.md §4: has the curve turned?' });

const Thresholds = z.object({ high: Num, med: Num, low: Num });

export const Progress = z
  .object({
    method: z.enum(PROGRESS_METHODS),
    status: ProgressStatus,
    label: z.string(),
    value: NullableNum,
    score: NullableNum,
    observedRate: NullableNum,
    requiredRate: NullableNum,
    years: NullableNum,
    yearsToTarget: NullableNum,
    projectedAtTarget: NullableNum,
    onPace: z.boolean().nullable(),
    projectionMethod: z.enum(PROJECTION_METHODS).nullable(),
    interimTarget: z.object({ period: z.string(), value: Num, latest: Num, gap: Num, met: z.boolean() }).nullable(),
    sign: z.union([z.literal(1), z.literal(-1)]).nullable(),
    thresholds: Thresholds.nullable(),
    limitFactor: NullableNum,
    reason: z.string().optional(),
    notes: z.array(z.string()),
  })
  .meta({ id: 'Progress', description: 'docs/methodology.md §5: Statistics Canada / Open SDG progress measure' });

const EquityGap = z
  .object({
    method: z.literal('difference_from_reference'),
    reference: z.record(z.string(), z.string()).nullable(),
    baselinePeriod: z.string().nullable(),
    baselineGap: NullableNum,
    baselineGapPeriod: z.string().nullable(),
    baselineGapShifted: z.boolean(),
    latestGap: NullableNum,
    latestGapPeriod: z.string().nullable(),
    narrowing: z.boolean().nullable(),
    slopePerYear: NullableNum,
    slopeMethod: z.literal('theil_sen').nullable(),
    slopeN: z.number().int(),
    points: z.array(z.object({ period: z.string(), gap: Num })),
    reasons: Reasons,
  })
  .meta({ id: 'EquityGap', description: 'docs/methodology.md §6: the gap of a slice against the reference group' });

const sliceShape = {
  latest: SeriesPoint.nullable(),
  previous: SeriesPoint.nullable(),
  base: BasePoint.nullable(),
  changeFromPrevious: NullableNum,
  changeFromBaseline: z.object({ absolute: Num, percent: NullableNum, basePeriod: z.string() }).nullable(),
  varianceFromTarget: NullableNum.meta({ description: '(c − T)/|T|, a fraction' }),
  percentOfTarget: NullableNum,
  reasons: Reasons,
  pointCount: z.number().int(),
  trend: Trend,
  forecast: Forecast,
  curve: Curve,
  progress: Progress,
};

export const Slice = z.object(sliceShape).meta({ id: 'Slice' });

export const AnalysisInputs = z
  .object({
    polarity: Polarity,
    direction: z.union([z.literal(1), z.literal(-1)]),
    unit: Unit,
    frequency: Frequency,
    yearStartMonth: z.number().int().nullable(),
    periodsPerYear: Num,
    baselinePeriod: z.string().nullable(),
    baselinePeriodDefaulted: z.boolean(),
    basePoint: BasePoint.nullable(),
    target: PeriodValue.nullable(),
    interimTargets: z.array(PeriodValue),
    naturalLimit: NullableNum,
    level: Num,
    bounds: z.object({ min: NullableNum, max: NullableNum, source: z.enum(BOUNDS_SOURCES) }),
    forecastOverride: z.array(PeriodValue),
    referenceGroup: z.record(z.string(), z.string()).nullable(),
    pointCount: z.number().int(),
  })
  .meta({ id: 'AnalysisInputs', description: 'engine.md §9: the inputs the analysis actually used' });

export const IndicatorAnalysis = z
  .object({
    indicatorId: z.uuid(),
    engineVersion: z.string(),
    summary: z.string().meta({
      description: 'The analysis in at most two plain sentences: the same words the embed page shows above its chart',
    }),
    asOf: z.string().nullable().meta({ description: 'The moment the figures were read as of; null = now' }),
    inputs: AnalysisInputs,
    total: Slice,
    slices: z.array(
      z.object({ disaggregation: z.record(z.string(), z.string()), ...sliceShape, gap: EquityGap.nullable() }),
    ),
  })
  .meta({
    id: 'IndicatorAnalysis',
    description: "The engine's analysis of an indicator: the total slice and every disaggregation slice",
  });

export type IndicatorAnalysisResponse = z.infer<typeof IndicatorAnalysis>;
