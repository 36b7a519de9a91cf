/**
 * The rules an indicator definition and a data point's disaggregation must follow beyond their shape
 * (violations are 422s: well-formed but impossible). Pure: definitions in, list of problems out.
 */
import type { FieldProblem } from '../errors.ts';
import { parsePeriod, type Frequency, type PeriodCalendar } from '../engine/periods.ts';

export interface IndicatorDefinition {
  frequency: Frequency;
  yearStartMonth: number;
  baselinePeriod: string | null;
  target: { period: string; value: number } | null;
  interimTargets: Array<{ period: string; value: number }>;
  forecastOverride: Array<{ period: string; value: number }>;
  dimensions: Array<{ name: string; values: string[] }>;
  referenceGroup: Record<string, string> | null;
  unit: string;
  bounds: { min: number | null; max: number | null } | null;
}

/**
 * The calendar an indicator's periods are read in.
 *
 * @example calendarOf({ frequency: 'annual', yearStartMonth: 7 }) // { frequency: 'annual', yearStartMonth: 7 } (school years 2024-25)
 */
export function calendarOf(indicator: { frequency: string; yearStartMonth: number }): PeriodCalendar {
  return { frequency: indicator.frequency as PeriodCalendar['frequency'], yearStartMonth: indicator.yearStartMonth };
}

function periodProblem(label: string, calendar: PeriodCalendar, field: string): FieldProblem | null {
  const parsed = parsePeriod(label, calendar);
  return parsed.ok ? null : { field, code: parsed.code, message: parsed.reason };
}

/**
 * Problems with a complete indicator definition.
 *
 * @example definitionProblems({ frequency: 'quarterly', baselinePeriod: '2019', … })
 *   // [{ field: 'baselinePeriod', code: 'period_frequency_mismatch', message: '"2019" is not a quarterly period…' }]
 */
export function definitionProblems(def: IndicatorDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (def.frequency !== 'annual' && def.yearStartMonth !== 1) {
    problems.push({
      field: 'yearStartMonth',
      code: 'year_start_month_not_annual',
      message: 'yearStartMonth applies to annual indicators only; use 1 (or omit it) for other frequencies',
    });
    return problems; // periods cannot be judged against an impossible calendar
  }
  const calendar: PeriodCalendar = { frequency: def.frequency, yearStartMonth: def.yearStartMonth };
  const check = (label: string, field: string) => {
    const problem = periodProblem(label, calendar, field);
    if (problem) problems.push(problem);
  };
  if (def.baselinePeriod !== null) check(def.baselinePeriod, 'baselinePeriod');
  if (def.target !== null) check(def.target.period, 'target.period');
  def.interimTargets.forEach((t, i) => check(t.period, `interimTargets.${i}.period`));
  def.forecastOverride.forEach((t, i) => check(t.period, `forecastOverride.${i}.period`));
  for (const [name, list] of [
    ['interimTargets', def.interimTargets],
    ['forecastOverride', def.forecastOverride],
  ] as const) {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.period)) {
        problems.push({
          field: `${name}.${i}.period`,
          code: 'duplicate_period',
          message: `${item.period} appears twice`,
        });
      }
      seen.add(item.period);
    });
  }
  if (def.referenceGroup !== null) {
    if (Object.keys(def.referenceGroup).length === 0) {
      problems.push({
        field: 'referenceGroup',
        code: 'empty_reference_group',
        message: 'use null for the total, or name a group',
      });
    }
    problems.push(...disaggregationProblems(def.dimensions, def.referenceGroup, 'referenceGroup'));
  }
  if (
    def.unit === 'percent' &&
    def.bounds === null &&
    def.target !== null &&
    (def.target.value < 0 || def.target.value > 100)
  ) {
    problems.push({
      field: 'target.value',
      code: 'target_out_of_bounds',
      message: 'a percent target must lie between 0 and 100 (set bounds to allow otherwise)',
    });
  }
  return problems;
}

/**
 * Problems with a disaggregation: every dimension must be declared and every value one of its values.
 * A disaggregation may name a subset of the dimensions (e.g. by race only, all sexes together).
 *
 * @example disaggregationProblems([{ name: 'sex', values: ['female', 'male'] }], { sex: 'other' }, 'points.0.disaggregation')
 *   // [{ field: 'points.0.disaggregation.sex', code: 'undeclared_dimension_value', message: '"other" is not a declared value of sex (female, male)' }]
 */
export function disaggregationProblems(
  dimensions: Array<{ name: string; values: string[] }>,
  disaggregation: Record<string, string>,
  field: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(disaggregation)) {
    const dimension = dimensions.find((d) => d.name === name);
    if (!dimension) {
      const declared = dimensions.map((d) => d.name).join(', ') || 'none';
      problems.push({
        field: `${field}.${name}`,
        code: 'undeclared_dimension',
        message: `${name} is not a declared dimension (declared: ${declared})`,
      });
    } else if (!dimension.values.includes(value)) {
      problems.push({
        field: `${field}.${name}`,
        code: 'undeclared_dimension_value',
        message: `"${value}" is not a declared value of ${name} (${dimension.values.join(', ')})`,
      });
    }
  }
  return problems;
}

/** Canonical key of a disaggregation: JSON with sorted keys; `{}` is the total. */
export function disaggregationKey(disaggregation: Record<string, string>): string {
  const sorted = Object.keys(disaggregation)
    .sort()
    .map((key) => [key, disaggregation[key]]);
  return JSON.stringify(Object.fromEntries(sorted));
}

/**
 * Problems with the performance-measure fields: `quadrant` and `programName` belong to performance measures
 * only (RBA keeps population and performance accountability apart), so a population indicator may not carry
 * them. Checked on the merged definition, so a PATCH to `level: population` must also clear them.
 *
 * @example performanceFieldProblems({ level: 'population', quadrant: 'how_much', programName: null })
 *   // [{ field: 'quadrant', code: 'performance_field_on_population', message: 'only a performance measure (level: performance) has a quadrant; …' }]
 */
export function performanceFieldProblems(def: {
  level: string;
  quadrant: string | null;
  programName: string | null;
}): FieldProblem[] {
  if (def.level === 'performance') return [];
  const problems: FieldProblem[] = [];
  if (def.quadrant !== null) {
    problems.push({
      field: 'quadrant',
      code: 'performance_field_on_population',
      message:
        'only a performance measure (level: performance) has a quadrant; set level to performance, or quadrant to null',
    });
  }
  if (def.programName !== null) {
    problems.push({
      field: 'programName',
      code: 'performance_field_on_population',
      message:
        'only a performance measure (level: performance) names a program; set level to performance, or programName to null',
    });
  }
  return problems;
}

/**
 * Problems with an indicator's data-quality rules that its other fields decide: a `sum` rule names a declared
 * dimension, a `compare` rule names another indicator (docs/data-quality.md).
 *
 * @example ruleProblems([{ code: 'groups_add_up', kind: 'sum', severity: 'error', dimension: 'age', tolerance: 0 }], [], null)
 *   // [{ field: 'rules.0.dimension', code: 'unknown_dimension', message: '"age" is not a declared dimension …' }]
 */
export function ruleProblems(
  rules: ReadonlyArray<{ kind: string; dimension?: string; otherIndicatorId?: string }>,
  dimensions: ReadonlyArray<{ name: string }>,
  indicatorId: string | null,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  rules.forEach((rule, i) => {
    if (rule.kind === 'sum' && !dimensions.some((d) => d.name === rule.dimension))
      problems.push({
        field: `rules.${i}.dimension`,
        code: 'unknown_dimension',
        message: `"${rule.dimension}" is not a declared dimension of the indicator (declared: ${dimensions.map((d) => d.name).join(', ') || 'none'})`,
      });
    if (rule.kind === 'compare' && rule.otherIndicatorId === indicatorId)
      problems.push({
        field: `rules.${i}.otherIndicatorId`,
        code: 'compares_with_itself',
        message: 'a compare rule names another indicator, not this one',
      });
  });
  return problems;
}
