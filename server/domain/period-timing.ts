/**
 * Data are observations of periods that have happened. A value for a period that has not begun yet is a
 * forecast, not data (the baseline forecast is the engine's job), and is refused; a period still in
 * progress may only carry a value marked provisional (a partial-year figure, a running count), so that no
 * unfinished figure is read as final. Days are UTC days, by the indicator's calendar (fiscal years too).
 *
 * @example periodTimingProblem('2027', { frequency: 'annual' }, null, '2026-12-02')
 *   // { code: 'period_not_begun', message: '2027 begins on 2027-01-01 …' }
 * @example periodTimingProblem('2026-Q4', { frequency: 'quarterly' }, 'provisional', '2026-12-02') // null
 * @example periodTimingProblem('2026-Q4', { frequency: 'quarterly' }, null, '2026-12-02')
 *   // { code: 'period_in_progress', message: '2026-Q4 runs until 2026-12-31 …' }
 */
import { periodDateRange, type PeriodCalendar } from '../engine/periods.ts';

export interface PeriodTimingProblem {
  code: 'period_not_begun' | 'period_in_progress';
  message: string;
}

/** Today as a UTC day, `YYYY-MM-DD`. */
export const utcToday = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** Null when a value for `period` may be written on `today` with this `status`; else why not. */
export function periodTimingProblem(
  period: string,
  calendar: PeriodCalendar,
  status: string | null | undefined,
  today: string,
): PeriodTimingProblem | null {
  return timingProblemOf(period, periodDateRange(period, calendar), status, today);
}

/**
 * {@link periodTimingProblem} for a period whose first and last day are known (an import caches them per
 * period: computing the days anew for each of a million rows cost more than the rest of its checks).
 */
export function timingProblemOf(
  period: string,
  { start, end }: { start: string; end: string },
  status: string | null | undefined,
  today: string,
): PeriodTimingProblem | null {
  if (today < start) {
    return {
      code: 'period_not_begun',
      message: `${period} begins on ${start}: a value for a period that has not begun is a forecast, not data (forecasts are the indicator's baseline and targets)`,
    };
  }
  if (today <= end && status !== 'provisional') {
    return {
      code: 'period_in_progress',
      message: `${period} runs until ${end}: a value for a period still in progress must be marked provisional (status: provisional)`,
    };
  }
  return null;
}
