/**
 * Which of an indicator's points a reader asks for (`GET …/data-points`): a range of periods (`from`, `to`:
 * labels in the indicator's calendar) and the slices — the total, all slices, or one disaggregation. Pure.
 *
 * @example pointRange({ frequency: 'annual', yearStartMonth: 1, dimensions: [] }, { from: '2019', slice: 'total' })
 *   // { fromIndex: <index of 2019>, toIndex: undefined, slice: { kind: 'total' } }
 * @example parseSliceFilter('total', dims)                  // { kind: 'total' }
 * @example parseSliceFilter('{"sex":"female"}', sexDims)    // { kind: 'one', key: '{"sex":"female"}' }
 * @example parseSliceFilter('{sex', dims)                   // throws BadRequestError invalid_slice (field `slice`)
 */
import { parsePeriod } from '../engine/periods.ts';
import { BadRequestError, UnprocessableError } from '../errors.ts';
import { calendarOf, disaggregationKey, disaggregationProblems } from './indicator-rules.ts';

export type SliceFilter = { kind: 'total' } | { kind: 'all' } | { kind: 'one'; key: string };

export interface PointRange {
  fromIndex?: number | undefined;
  toIndex?: number | undefined;
  slice: SliceFilter;
}

/** The range a query asks for; a label that is not a period of the indicator's calendar is a rule violation. */
export function pointRange(
  indicator: { frequency: string; yearStartMonth: number; dimensions: Array<{ name: string; values: string[] }> },
  query: { from?: string | undefined; to?: string | undefined; slice: string },
): PointRange {
  const indexOf = (label: string | undefined, field: 'from' | 'to') => {
    if (label === undefined) return undefined;
    const parsed = parsePeriod(label, calendarOf(indicator));
    if (parsed.ok) return parsed.index;
    throw new UnprocessableError(parsed.code, parsed.reason, [{ field, code: parsed.code, message: parsed.reason }]);
  };
  return {
    fromIndex: indexOf(query.from, 'from'),
    toIndex: indexOf(query.to, 'to'),
    slice: parseSliceFilter(query.slice, indicator.dimensions),
  };
}

/** `total` | `all` | a JSON disaggregation → a filter; bad JSON is invalid input, undeclared dimensions a rule violation. */
export function parseSliceFilter(slice: string, dimensions: Array<{ name: string; values: string[] }>): SliceFilter {
  if (slice === 'total') return { kind: 'total' };
  if (slice === 'all') return { kind: 'all' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(slice);
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  ) {
    throw new BadRequestError('invalid_slice', 'slice must be total, all, or a JSON object of dimension → value.', [
      { field: 'slice', code: 'invalid_slice', message: 'e.g. {"sex":"female"}' },
    ]);
  }
  const disaggregation = parsed as Record<string, string>;
  const problems = disaggregationProblems(dimensions, disaggregation, 'slice');
  if (problems.length > 0)
    throw new UnprocessableError(problems[0]!.code, 'The slice names undeclared dimensions or values.', problems);
  return { kind: 'one', key: disaggregationKey(disaggregation) };
}
