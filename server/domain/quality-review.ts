/**
 * The data-quality list of an indicator (`GET …/data-quality`, docs/data-quality.md): what a data workgroup goes
 * through before a meeting. Pure: stored points in, items out.
 *
 * - `rule`: a value that breaks one of the indicator's rules (or its bounds) as the data stand now — a rule
 *   added after the data, or a `compare` whose other indicator changed since, shows here;
 * - `flag`: a warning stored with a value when it was written, acknowledged or not (a rule item for the same
 *   point and code is left out: the flag says it, with its acknowledgement);
 * - `provisional`: a value still provisional after its data were due (the indicator's reporting lag);
 * - missing periods: periods of the total with no value (and not marked M) from the first value up to the
 *   latest that is due (or the latest with a value, when the indicator has no reporting lag).
 */
import type { Flag as FlagJson } from '../../schema/contracts/data-quality.ts';
import type { LagUnit } from '../../schema/vocabulary.ts';
import { periodIndex, periodLabel, type PeriodCalendar } from '../engine/periods.ts';
import { dataDueDate, expectedPeriod } from './freshness.ts';
import {
  checkSums,
  checkValue,
  type Candidate,
  type CheckContext,
  type IndicatorState,
  type QualityIndicator,
} from './quality-checks.ts';

/** At most this many missing periods are listed per indicator. */
export const MAX_MISSING_LISTED = 500;

export interface ReviewedPoint extends Candidate {
  status: string | null;
  flags: FlagJson[];
}

export interface ReviewItem {
  indicatorId: string;
  period: string;
  disaggregation: Record<string, string>;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  acknowledged: boolean;
  comment: string | null;
  source: 'rule' | 'flag' | 'provisional';
}

export interface ReviewIndicator extends QualityIndicator {
  calendar: PeriodCalendar;
  reportingLag: { amount: number; unit: LagUnit } | null;
}

/**
 * @example An annual percent indicator, lag 6 months, values 2019 and 2021 (2021 provisional), reviewed on 2023-01-10:
 *   // items: [{ period: '2021', code: 'provisional_overdue', source: 'provisional', … }]
 *   // missingPeriods: ['2020'] (2022 is not yet due: it is due 2023-06-30)
 */
export function reviewIndicator(
  indicator: ReviewIndicator,
  points: readonly ReviewedPoint[],
  state: IndicatorState,
  context: CheckContext,
  today: string,
): { items: ReviewItem[]; missingPeriods: string[] } {
  const items: ReviewItem[] = [];
  const base = (p: ReviewedPoint) => ({
    indicatorId: indicator.id,
    period: p.period,
    disaggregation: p.disaggregation,
  });
  const sums = checkSums(
    indicator,
    points.map((p, ordinal) => ({ ...p, ordinal })),
    state,
  );
  points.forEach((point, ordinal) => {
    for (const flag of point.flags) {
      items.push({
        ...base(point),
        code: flag.code,
        severity: flag.severity,
        message: flag.message,
        acknowledged: flag.acknowledged,
        comment: flag.comment,
        source: 'flag',
      });
    }
    const stored = new Set(point.flags.map((f) => f.code));
    // Rules only: the built-in history and forecast checks judge a value when it arrives, not afterwards.
    const findings = [...checkValue(indicator, point, state, { others: context.others }), ...(sums.get(ordinal) ?? [])];
    for (const finding of findings) {
      if (stored.has(finding.code) || finding.code === 'outlier_history' || finding.code === 'outside_forecast')
        continue;
      items.push({ ...base(point), ...finding, acknowledged: false, comment: null, source: 'rule' });
    }
    if (point.status === 'provisional' && indicator.reportingLag) {
      const due = dataDueDate(point.period, indicator.calendar, indicator.reportingLag);
      if (due < today)
        items.push({
          ...base(point),
          code: 'provisional_overdue',
          severity: 'warning',
          message: `still provisional although the final value was due on ${due} (reporting lag ${indicator.reportingLag.amount} ${indicator.reportingLag.unit})`,
          acknowledged: false,
          comment: null,
          source: 'provisional',
        });
    }
  });
  return { items, missingPeriods: missingPeriods(indicator, points, today) };
}

/** Periods of the total without a value or an M mark, from the first value to the latest due (see above). */
export function missingPeriods(indicator: ReviewIndicator, points: readonly ReviewedPoint[], today: string): string[] {
  const total = points.filter((p) => p.key === '{}');
  if (total.length === 0) return [];
  const known = new Set(total.map((p) => p.periodIndex));
  const first = Math.min(...known);
  let last = Math.max(...known);
  if (indicator.reportingLag) {
    try {
      last = Math.max(
        last,
        periodIndex(expectedPeriod(indicator.calendar, indicator.reportingLag, today), indicator.calendar),
      );
    } catch {
      // a calendar the expected period cannot be found for: up to the latest value
    }
  }
  const missing: string[] = [];
  for (let index = first; index <= last && missing.length < MAX_MISSING_LISTED; index++) {
    if (!known.has(index)) missing.push(periodLabel(index, indicator.calendar));
  }
  return missing;
}
