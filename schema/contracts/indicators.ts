import { z } from 'zod';
import { QualityRules, StoredQualityRule } from './data-quality.ts';
import {
  ETS_MODELS,
  FORECAST_OPTION_METHODS,
  FREQUENCIES,
  INDICATOR_LEVELS,
  POLARITIES,
  UNITS,
} from '../../server/engine/vocabulary.ts';
import { LAG_UNITS, QUADRANTS } from '../vocabulary.ts';
import { INDICATOR_CREATE_EXAMPLE, INDICATOR_EXAMPLE } from './examples.ts';
import { FiniteValue, Name, PeriodLabel, StoredString, Text, Timestamp, Uuid, Visibility } from './common.ts';
import { SuppressionSettings } from './publication.ts';

export const Unit = z.enum(UNITS);
export const Polarity = z.enum(POLARITIES);
export const Frequency = z.enum(FREQUENCIES);
export const IndicatorLevel = z.enum(INDICATOR_LEVELS);
/** RBA performance accountability: how much did we do, how well did we do it, is anyone better off. */
export const Quadrant = z.enum(QUADRANTS);
export const LagUnit = z.enum(LAG_UNITS);

export const ReportingLag = z
  .object({
    amount: z.number().int().min(0).max(3650),
    unit: LagUnit,
  })
  .strict()
  .meta({
    id: 'ReportingLag',
    description:
      'How long after a period ends its data are due (annual data due 6 months after the year ends: { amount: 6, unit: "months" })',
    example: { amount: 6, unit: 'months' },
  });

const FiniteNumber = FiniteValue;

export const PeriodValue = z.object({ period: PeriodLabel, value: FiniteNumber }).strict();

const DimensionName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
    'must start with a letter and use letters, digits or _ (it becomes a CSV column)',
  );

export const Dimension = z
  .object({
    name: DimensionName.meta({ example: 'race_ethnicity' }),
    values: z
      .array(StoredString.trim().min(1).max(200))
      .min(1, 'declare at least one value')
      .max(500)
      .refine((values) => new Set(values).size === values.length, 'values must be unique'),
  })
  .strict();

export const Disaggregation = z
  .record(DimensionName, StoredString.min(1).max(200))
  .meta({ description: 'One value per declared dimension; {} is the total', example: { race_ethnicity: 'Black' } });

const Dimensions = z
  .array(Dimension)
  .max(10)
  .refine((dims) => new Set(dims.map((d) => d.name)).size === dims.length, 'dimension names must be unique');

const Bounds = z
  .object({ min: FiniteNumber.nullable(), max: FiniteNumber.nullable() })
  .strict()
  .refine((b) => b.min === null || b.max === null || b.min < b.max, {
    message: 'min must be below max',
    path: ['max'],
  });

/** The indicator's choice of baseline forecast method (docs/methodology.md §3 as revised; docs/methodology.md §3). */
export const ForecastOptionInput = z
  .discriminatedUnion('method', [
    z.object({ method: z.literal('auto') }).strict(),
    z
      .object({
        method: z.literal('ets'),
        model: z
          .enum(['ANN', 'AAN', 'AAdN', 'ANA', 'AAA', 'AAdA'])
          .meta({ description: 'Exponential smoothing model: error A; trend N, A or Ad (damped); season N or A' }),
      })
      .strict(),
    z
      .object({
        method: z.literal('linear'),
        window: z
          .number()
          .int()
          .min(2)
          .max(1000)
          .nullable()
          .optional()
          .meta({ description: 'Fit the line on the last N points of the history only; omitted/null = all' }),
      })
      .strict(),
    z.object({ method: z.literal('manual') }).strict(),
  ])
  .meta({
    id: 'ForecastOption',
    description:
      'Baseline forecast method: auto (exponential smoothing, model chosen by AICc; the default), ets (a given ' +
      'model), linear (least-squares line), manual (only the hand-drawn forecastOverride)',
    example: { method: 'auto' },
  });

const Code = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, _, . or - (e.g. UNEMP_RATE)');

const periodValues = z.array(PeriodValue).max(1000);

const fields = {
  name: Name.meta({ example: 'Unemployment rate' }),
  code: Code.nullable().meta({
    description: 'Short code, unique within the result; CSV imports use it',
    example: 'UNEMP_RATE',
  }),
  unit: Unit,
  polarity: Polarity,
  frequency: Frequency,
  outcomeId: Uuid.nullable().meta({ description: 'null = a headline indicator of the result' }),
  definition: Text(5000).nullable(),
  unitLabel: Text(50).nullable().meta({ example: '%' }),
  decimals: z.number().int().min(0).max(10).nullable(),
  yearStartMonth: z
    .number()
    .int()
    .min(1)
    .max(12)
    .meta({ description: 'Annual indicators only: 1 = calendar year; 2–12 = fiscal or school year labelled YYYY-YY' }),
  baselinePeriod: PeriodLabel.nullable(),
  target: PeriodValue.nullable().meta({ example: { period: '2030', value: 6.5 } }),
  interimTargets: periodValues,
  naturalLimit: FiniteNumber.nullable(),
  bounds: Bounds.nullable(),
  forecastOverride: periodValues,
  forecast: ForecastOptionInput,
  dimensions: Dimensions,
  referenceGroup: Disaggregation.nullable(),
  dataSource: Text(1000).nullable(),
  ownerPartnerId: Uuid.nullable(),
  level: IndicatorLevel,
  quadrant: Quadrant.nullable().meta({ description: 'Performance measures only: how_much | how_well | better_off' }),
  programName: StoredString.trim().min(1, 'must not be empty').max(300).nullable().meta({
    description: "Performance measures only: the partner's program it measures",
    example: 'Pre-apprenticeship program',
  }),
  reportingLag: ReportingLag.nullable(),
  rules: QualityRules.meta({
    description:
      'Validation rules checked on every write (docs/data-quality.md); each change is kept (GET …/rules?asOf=)',
  }),
  suppression: SuppressionSettings.nullable().meta({
    description: "Small-cell suppression of this indicator's counts in public outputs; null = the initiative's",
  }),
  visibility: Visibility.nullable().meta({ description: "null or omitted = the result's visibility" }),
  position: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .meta({ description: 'Order among the indicators of the same outcome' }),
};

export const IndicatorCreate = z
  .object({
    name: fields.name,
    unit: fields.unit,
    polarity: fields.polarity,
    frequency: fields.frequency,
    code: fields.code.optional(),
    outcomeId: fields.outcomeId.optional(),
    definition: fields.definition.optional(),
    unitLabel: fields.unitLabel.optional(),
    decimals: fields.decimals.optional(),
    yearStartMonth: fields.yearStartMonth.optional(),
    baselinePeriod: fields.baselinePeriod.optional(),
    target: fields.target.optional(),
    interimTargets: fields.interimTargets.optional(),
    naturalLimit: fields.naturalLimit.optional(),
    bounds: fields.bounds.optional(),
    forecastOverride: fields.forecastOverride.optional(),
    forecast: fields.forecast.optional(),
    dimensions: fields.dimensions.optional(),
    referenceGroup: fields.referenceGroup.optional(),
    dataSource: fields.dataSource.optional(),
    ownerPartnerId: fields.ownerPartnerId.optional(),
    level: fields.level.optional(),
    quadrant: fields.quadrant.optional(),
    programName: fields.programName.optional(),
    reportingLag: fields.reportingLag.optional(),
    rules: fields.rules.optional(),
    suppression: fields.suppression.optional(),
    visibility: fields.visibility.optional(),
    position: fields.position.optional(),
  })
  .strict()
  .meta({
    id: 'IndicatorCreate',
    description: 'A new SMART indicator: name, unit, polarity and frequency are required',
    examples: [INDICATOR_CREATE_EXAMPLE],
  });

export const IndicatorPatch = IndicatorCreate.partial()
  .strict()
  .meta({ id: 'IndicatorPatch', description: 'The fields to change; omitted fields keep their value' });

export const Indicator = z
  .object({
    id: Uuid,
    initiativeId: Uuid,
    resultId: Uuid,
    outcomeId: Uuid.nullable(),
    name: z.string(),
    code: z.string().nullable(),
    unit: Unit,
    polarity: Polarity,
    frequency: Frequency,
    definition: z.string().nullable(),
    unitLabel: z.string().nullable(),
    decimals: z.number().int().nullable(),
    yearStartMonth: z.number().int(),
    baselinePeriod: z.string().nullable(),
    target: z.object({ period: z.string(), value: z.number() }).nullable(),
    interimTargets: z.array(z.object({ period: z.string(), value: z.number() })),
    naturalLimit: z.number().nullable(),
    bounds: z.object({ min: z.number().nullable(), max: z.number().nullable() }).nullable(),
    forecastOverride: z.array(z.object({ period: z.string(), value: z.number() })),
    forecast: z
      .object({
        method: z.enum(FORECAST_OPTION_METHODS),
        model: z.enum(ETS_MODELS).optional(),
        window: z.number().int().nullable().optional(),
      })
      .optional()
      .meta({ description: 'Baseline forecast method ({ method: "auto" } when never set)' }),
    dimensions: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
    referenceGroup: z.record(z.string(), z.string()).nullable(),
    dataSource: z.string().nullable(),
    ownerPartnerId: Uuid.nullable(),
    level: IndicatorLevel,
    // Always present in this server's responses; optional in the type only so that Indicator objects built
    // by hand before these fields existed (dashboard fixtures) still type-check.
    quadrant: Quadrant.nullable()
      .optional()
      .meta({ description: 'Performance measures: how_much | how_well | better_off; null otherwise' }),
    programName: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Performance measures: the program measured; null otherwise' }),
    reportingLag: z
      .object({ amount: z.number().int(), unit: LagUnit })
      .nullable()
      .optional()
      .meta({ description: 'How long after a period ends its data are due; null = no expectation' }),
    rules: z
      .array(StoredQualityRule)
      .optional()
      .meta({ description: 'Validation rules checked on every write (docs/data-quality.md)' }),
    suppression: z
      .object({ minCellSize: z.number().int().nullable() })
      .nullable()
      .optional()
      .meta({ description: "Its own small-cell suppression; null = the initiative's (docs/publication.md)" }),
    visibility: Visibility.meta({ description: 'Effective visibility' }),
    visibilityInherited: z.boolean().meta({ description: 'True when the visibility comes from the result' }),
    position: z.number().int(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({
    id: 'Indicator',
    description: 'A SMART indicator with its baseline, target, disaggregation dimensions and effective visibility',
    examples: [INDICATOR_EXAMPLE],
  });

export type IndicatorCreate = z.infer<typeof IndicatorCreate>;
export type IndicatorPatch = z.infer<typeof IndicatorPatch>;
export type Indicator = z.infer<typeof Indicator>;
