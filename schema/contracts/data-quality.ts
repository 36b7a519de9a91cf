/**
 * Data quality (docs/data-quality.md): an indicator's validation rules, the flags stored with each data-point
 * version, acknowledgements, SDMX observation status, and the data-quality view.
 */
import { z } from 'zod';
import {
  BUILT_IN_FLAG_CODES,
  COMPARE_OPERATORS,
  OBS_STATUSES,
  QUALITY_WARNING_MODES,
  RULE_KINDS,
  RULE_SEVERITIES,
} from '../vocabulary.ts';
import { FiniteValue, Text, Timestamp, Uuid } from './common.ts';

export const ObsStatus = z.enum(OBS_STATUSES, {
  error: (issue) =>
    issue.input === 'F'
      ? 'F (forecast) is not data: a forecast goes in the indicator’s forecastOverride'
      : 'expected one of A (normal), P (provisional), E (estimated), B (break in series), M (missing)',
});
export const RuleSeverity = z.enum(RULE_SEVERITIES);
export const CompareOperator = z.enum(COMPARE_OPERATORS);
export const QualityWarningMode = z.enum(QUALITY_WARNING_MODES);

/** Codes the server uses itself: a rule may not take them. */
const RESERVED_CODES = new Set<string>(BUILT_IN_FLAG_CODES);

const RuleCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'snake_case: a lowercase letter, then letters, digits or _ (at most 63)')
  .refine((code) => !RESERVED_CODES.has(code), 'this code is used by a built-in check')
  .meta({ example: 'share_at_most_100' });

const ruleBase = {
  code: RuleCode,
  severity: RuleSeverity.meta({ description: 'error: a write that breaks it is refused; warning: it is flagged' }),
  description: Text(500)
    .nullable()
    .optional()
    .meta({ description: 'Why the rule exists, in plain words (shown with its flags)' }),
};
const NonNegative = FiniteValue.refine((v) => v >= 0, 'must be zero or more');

export const RangeRule = z
  .object({
    ...ruleBase,
    kind: z.literal('range'),
    min: FiniteValue.nullable().optional(),
    max: FiniteValue.nullable().optional(),
  })
  .strict()
  .refine((r) => r.min != null || r.max != null, { message: 'give min, max or both', path: ['min'] })
  .refine((r) => r.min == null || r.max == null || r.min <= r.max, { message: 'min is above max', path: ['min'] })
  .meta({ id: 'RangeRule', description: 'The value lies within [min, max]' });

export const ChangeRule = z
  .object({
    ...ruleBase,
    kind: z.literal('change'),
    maxAbs: NonNegative.nullable()
      .optional()
      .meta({ description: 'Largest change from the previous period, in the unit' }),
    maxRelative: NonNegative.nullable()
      .optional()
      .meta({ description: 'Largest change as a fraction of the previous value (0.5 = 50 %)' }),
  })
  .strict()
  .refine((r) => r.maxAbs != null || r.maxRelative != null, {
    message: 'give maxAbs, maxRelative or both',
    path: ['maxAbs'],
  })
  .meta({ id: 'ChangeRule', description: 'The change from the previous period of the same group is limited' });

export const SumRule = z
  .object({
    ...ruleBase,
    kind: z.literal('sum'),
    dimension: z.string().min(1).max(100),
    tolerance: NonNegative.optional().meta({ description: 'Allowed difference (default 0)' }),
  })
  .strict()
  .meta({
    id: 'SumRule',
    description:
      'Counts (and currency): the groups of the dimension add up to the total within tolerance. Other units: ' +
      'the total lies within the range of the groups (widened by tolerance).',
  });

export const CompareRule = z
  .object({
    ...ruleBase,
    kind: z.literal('compare'),
    operator: CompareOperator,
    otherIndicatorId: Uuid.meta({ description: 'An indicator of the same result' }),
    missing: z
      .enum(['skip', 'fail'])
      .optional()
      .meta({ description: 'When the other indicator has no value for the period and group: skip (default), or fail' }),
  })
  .strict()
  .meta({
    id: 'CompareRule',
    description: "This value (left) against the other indicator's value at the same period and group (right)",
  });

export const QualityRule = z.discriminatedUnion('kind', [RangeRule, ChangeRule, SumRule, CompareRule]).meta({
  id: 'QualityRule',
  description: 'A validation rule of an indicator, in the spirit of DHIS2 validation rules',
});

/** A rule as the server answers it (responses must not reuse the request schemas, see test/openapi.test.ts). */
export const StoredQualityRule = z
  .object({
    code: z.string(),
    kind: z.enum(RULE_KINDS),
    severity: RuleSeverity,
    description: z.string().nullable().optional(),
    min: z.number().nullable().optional(),
    max: z.number().nullable().optional(),
    maxAbs: z.number().nullable().optional(),
    maxRelative: z.number().nullable().optional(),
    dimension: z.string().optional(),
    tolerance: z.number().optional(),
    operator: CompareOperator.optional(),
    otherIndicatorId: z.string().optional(),
    missing: z.enum(['skip', 'fail']).optional(),
  })
  .meta({ id: 'StoredQualityRule', description: "A rule as stored; each kind's fields are described in QualityRule" });

export const QualityRules = z
  .array(QualityRule)
  .max(50)
  .refine((rules) => new Set(rules.map((r) => r.code)).size === rules.length, 'rule codes must be unique');

export const QualitySettings = z
  .object({
    warnings: QualityWarningMode.meta({
      description:
        'record (default): points with warnings are saved with unacknowledged flags; block: refused unless acknowledged',
    }),
  })
  .strict()
  .meta({ id: 'QualitySettings' });

export const Acknowledgement = z
  .object({
    code: z.string().min(1).max(63),
    comment: Text(2000)
      .min(1, 'say why the value is right: a comment is required')
      .meta({ description: 'Why the value is right although it was flagged (required)' }),
  })
  .strict();
export const Acknowledgements = z
  .array(Acknowledgement)
  .max(20)
  .meta({ description: 'Warnings this value acknowledges, each with a comment' });

export const Flag = z
  .object({
    code: z.string(),
    severity: RuleSeverity,
    message: z.string().meta({ description: 'Why, in plain words, with the numbers' }),
    acknowledged: z.boolean(),
    comment: z.string().nullable(),
    acknowledgedBy: z.string().nullable().optional(),
  })
  .meta({ id: 'QualityFlag', description: 'A warning found when this version was written' });

export const QualityWarning = z
  .object({
    path: z.string().meta({ example: 'points.3' }),
    code: z.string(),
    severity: RuleSeverity,
    message: z.string(),
    acknowledged: z.boolean().meta({ description: 'True when the write acknowledged it with a comment' }),
  })
  .meta({ id: 'QualityWarning' });

export const RuleVersions = z
  .object({
    indicatorId: Uuid,
    rules: z.array(StoredQualityRule).meta({ description: 'The rules in force (at asOf)' }),
    version: z.number().int(),
    validFrom: Timestamp,
    versions: z.array(
      z.object({
        version: z.number().int(),
        rules: z.array(StoredQualityRule),
        validFrom: Timestamp,
        validTo: Timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'IndicatorRuleVersions', description: "An indicator's rules, and every earlier set of rules" });

export const QualityItem = z.object({
  indicatorId: Uuid,
  period: z.string(),
  disaggregation: z.record(z.string(), z.string()),
  code: z.string(),
  severity: RuleSeverity,
  message: z.string(),
  acknowledged: z.boolean(),
  comment: z.string().nullable().optional(),
  source: z
    .enum(['rule', 'flag', 'provisional'])
    .meta({ description: 'rule: a rule the stored data break now; flag: stored with the value; provisional: overdue' }),
});

export const DataQualityReport = z
  .object({
    items: z.array(QualityItem),
    nextCursor: z.string().nullable().meta({ description: 'The next page of items; null on the last' }),
    missingPeriods: z
      .array(z.object({ indicatorId: Uuid, period: z.string(), disaggregation: z.record(z.string(), z.string()) }))
      .meta({ description: 'Every missing period (at most 500 per indicator), on every page' }),
  })
  .meta({
    id: 'DataQualityReport',
    description: 'What a data workgroup goes through before a meeting: broken rules, flags, missing periods',
  });

export type QualityRule = z.infer<typeof QualityRule>;
export type Flag = z.infer<typeof Flag>;
export type QualityWarning = z.infer<typeof QualityWarning>;
export type Acknowledgement = z.infer<typeof Acknowledgement>;
export type DataQualityReport = z.infer<typeof DataQualityReport>;
