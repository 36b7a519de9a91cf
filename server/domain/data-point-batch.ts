/**
 * The rules a batch of data points must follow before anything is written (`PUT …/data-points`): each
 * period fits the indicator's calendar and has begun (a period still in progress only with a provisional
 * value: period-timing.ts), each disaggregation names declared dimensions and values, and no two points
 * share a period and a disaggregation. Pure apart from drawing fresh ids for new points.
 *
 * @example checkPoints({ frequency: 'annual', yearStartMonth: 1, dimensions: [] }, [{ period: '2024-Q1', value: 1 }])
 *   // throws UnprocessableError period_frequency_mismatch, problems [{ field: 'points.0.period', … }]
 */
import { v7 as uuidv7 } from 'uuid';
import type { DataPointInput } from '../../schema/contracts/data-points.ts';
import { parsePeriod } from '../engine/periods.ts';
import { UnprocessableError, type FieldProblem } from '../errors.ts';
import { calendarOf, disaggregationKey, disaggregationProblems } from './indicator-rules.ts';
import { periodTimingProblem, utcToday } from './period-timing.ts';
import type { StagedPoint } from './staged-point.ts';

/** What checking a batch needs to know of its indicator. */
export interface BatchIndicator {
  frequency: string;
  yearStartMonth: number;
  dimensions: Array<{ name: string; values: string[] }>;
}

/** A point that passed validation, ready to write. */
export interface CheckedPoint {
  input: DataPointInput;
  periodIndex: number;
  disaggregation: Record<string, string>;
  key: string;
}

/**
 * Checks a batch against the indicator; returns the checked points or throws one UnprocessableError
 * listing every bad point (`points.<i>.<field>`; `field` names the list in the caller's input).
 */
export function checkPoints(
  indicator: BatchIndicator,
  points: DataPointInput[],
  field = 'points',
  today: string = utcToday(),
): CheckedPoint[] {
  const calendar = calendarOf(indicator);
  const problems: FieldProblem[] = [];
  const badPoints = new Set<number>();
  const checked: CheckedPoint[] = [];
  const seen = new Map<string, number>();
  points.forEach((input, i) => {
    const before = problems.length;
    const parsed = parsePeriod(input.period, calendar);
    if (!parsed.ok) problems.push({ field: `${field}.${i}.period`, code: parsed.code, message: parsed.reason });
    else {
      const timing = periodTimingProblem(input.period, calendar, statusFields(input).status ?? undefined, today);
      if (timing) problems.push({ field: `${field}.${i}.period`, ...timing });
    }
    if (input.obsStatus === 'P' && input.status === 'final')
      problems.push({
        field: `${field}.${i}.obsStatus`,
        code: 'status_conflict',
        message: 'obsStatus P (provisional) contradicts status final',
      });
    const disaggregation = input.disaggregation ?? {};
    problems.push(...disaggregationProblems(indicator.dimensions, disaggregation, `${field}.${i}.disaggregation`));
    const key = disaggregationKey(disaggregation);
    const identity = `${input.period} ${key}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      problems.push({
        field: `${field}.${i}`,
        code: 'duplicate_point',
        message: `same period and disaggregation as ${field}.${first}`,
      });
    } else {
      seen.set(identity, i);
    }
    if (problems.length > before) badPoints.add(i);
    if (parsed.ok) checked.push({ input, periodIndex: parsed.index, disaggregation, key });
  });
  if (problems.length > 0) {
    throw new UnprocessableError(
      problems[0]!.code,
      `${badPoints.size} of ${points.length} points cannot be saved; nothing was written.`,
      problems,
      { listProblems: 5 },
    );
  }
  return checked;
}

/** Turns checked points into staged rows for the merge (repositories/point-merge.ts). */
export function toStaged(
  indicator: { id: string; initiativeId: string },
  points: CheckedPoint[],
  firstOrdinal = 0,
): StagedPoint[] {
  return points.map((point, i) => ({
    ordinal: firstOrdinal + i,
    id: uuidv7(),
    initiativeId: indicator.initiativeId,
    indicatorId: indicator.id,
    period: point.input.period,
    periodIndex: point.periodIndex,
    disaggregation: point.disaggregation,
    disaggregationKey: point.key,
    value: point.input.value,
    note: point.input.note ?? null,
    noteGiven: point.input.note !== undefined,
    source: point.input.source ?? null,
    sourceGiven: point.input.source !== undefined,
    ...statusFields(point.input),
    footnote: point.input.footnote ?? null,
    footnoteGiven: point.input.footnote !== undefined,
    acknowledge: point.input.acknowledge?.length ? point.input.acknowledge : null,
  }));
}

/**
 * The status and observation status to store. `status: provisional` and obsStatus P say the same thing, and
 * `status` keeps it: obsStatus P is stored as status provisional (a read derives P from it), so the two never
 * disagree. Other observation statuses (A, E, B, M) are stored as given.
 *
 * @example statusFields({ obsStatus: 'P' })  // { status: 'provisional', statusGiven: true, obsStatus: null, obsStatusGiven: true }
 * @example statusFields({ status: 'final' }) // { status: 'final', statusGiven: true, obsStatus: null, obsStatusGiven: false }
 */
export function statusFields(input: Pick<DataPointInput, 'obsStatus' | 'status'>): {
  status: string | null;
  statusGiven: boolean;
  obsStatus: string | null;
  obsStatusGiven: boolean;
} {
  const status =
    input.obsStatus === 'P' && (input.status === undefined || input.status === null) ? 'provisional' : input.status;
  return {
    status: status ?? null,
    statusGiven: status !== undefined,
    obsStatus: input.obsStatus === 'P' ? null : (input.obsStatus ?? null),
    obsStatusGiven: input.obsStatus !== undefined,
  };
}
