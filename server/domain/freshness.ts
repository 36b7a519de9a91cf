/**
 * Deadlines: when an indicator's data are due (data freshness) and whether an action is on time. Pure: every
 * function takes `now` (or `today`, a `YYYY-MM-DD` UTC date) as a parameter; nothing reads a clock.
 *
 * Data freshness, precisely. An indicator declares a reporting lag `L` (`{ amount, unit }`): the data of a
 * period are due `L` after the period ends.
 * 1. due(p) = end(p) + L, where end(p) is the last day of the period (`periodDateRange`). Months are added
 *    calendar-wise: a period ending on the last day of a month is due on the last day of the month L later
 *    (2024 + 6 months → 2025-06-30); any other end date keeps its day of month, clamped to the month's length.
 * 2. The expected period is the latest period whose data were due before today: due(p) < today.
 * 3. The indicator is `fresh` when its latest period with data (total slice) is the expected period or later,
 *    `overdue` when it is earlier (`periodsBehind` periods missing; `daysOverdue` counted from the due date of
 *    the first missing period), `no_data` when it has no data at all, `no_expectation` when no lag is declared.
 *
 * Actions: a quick win is due within 90 days of its start; an open (planned or in-progress) action is overdue
 * once today is after its due date; a done action is on time when completed on or before its due date.
 */
import { periodDateRange, periodIndex, periodLabel, type PeriodCalendar } from '../engine/periods.ts';
import type { ActionStatus, ActionTiming, FreshnessStatus, LagUnit } from '../../schema/vocabulary.ts';

export type { ActionStatus, ActionTiming, FreshnessStatus, LagUnit } from '../../schema/vocabulary.ts';

const DAY_MS = 86_400_000;

export interface ReportingLag {
  amount: number;
  unit: LagUnit;
}

export interface Freshness {
  status: FreshnessStatus;
  reportingLag: ReportingLag | null;
  /** The latest period with data in the total slice. */
  latestPeriod: string | null;
  /** The latest period whose data were due before today (null without a lag). */
  expectedPeriod: string | null;
  /** When the expected period's data were due. */
  expectedDueDate: string | null;
  /** The first period not yet entered, and when its data are (or were) due. */
  nextPeriod: string | null;
  nextDueDate: string | null;
  /** Periods missing between the latest and the expected period (0 when fresh). */
  periodsBehind: number | null;
  /** Days since the first missing period's data were due (overdue only). */
  daysOverdue: number | null;
  /** In plain words. */
  reason: string;
}

/** `YYYY-MM-DD` of a moment, in UTC. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function dayNumber(date: string): number {
  return Math.round(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS,
  );
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Whole days from `from` to `to` (both `YYYY-MM-DD`).
 *
 * @example daysBetween('2025-06-30', '2025-07-31') // 31
 */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date moved by a lag (forwards, or backwards with `sign` −1).
 *
 * @example addLag('2024-12-31', { amount: 6, unit: 'months' }) // '2025-06-30' (month end stays month end)
 * @example addLag('2024-03-15', { amount: 1, unit: 'months' }) // '2024-04-15'
 * @example addLag('2024-01-31', { amount: 2, unit: 'weeks' })  // '2024-02-14'
 */
export function addLag(date: string, lag: ReportingLag, sign: 1 | -1 = 1): string {
  if (lag.unit !== 'months') return fromDayNumber(dayNumber(date) + sign * lag.amount * (lag.unit === 'weeks' ? 7 : 1));
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const total = year * 12 + (month - 1) + sign * lag.amount;
  const newYear = Math.floor(total / 12);
  const newMonth = (total % 12) + 1;
  const last = daysInMonth(newYear, newMonth);
  const newDay = day === daysInMonth(year, month) ? last : Math.min(day, last);
  return `${String(newYear).padStart(4, '0')}-${String(newMonth).padStart(2, '0')}-${String(newDay).padStart(2, '0')}`;
}

/**
 * When a period's data are due: its last day plus the lag.
 *
 * @example dataDueDate('2024', { frequency: 'annual' }, { amount: 6, unit: 'months' })       // '2025-06-30'
 * @example dataDueDate('2024-Q3', { frequency: 'quarterly' }, { amount: 45, unit: 'days' })  // '2024-11-14'
 */
export function dataDueDate(period: string, calendar: PeriodCalendar, lag: ReportingLag): string {
  return addLag(periodDateRange(period, calendar).end, lag);
}

/** The index of the period of this calendar that contains a date. */
export function periodIndexOfDate(date: string, calendar: PeriodCalendar): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (calendar.frequency) {
    case 'annual': {
      const start = calendar.yearStartMonth ?? 1;
      return start === 1 || month >= start ? year : year - 1;
    }
    case 'quarterly':
      return 4 * year + Math.floor((month - 1) / 3);
    case 'monthly':
      return 12 * year + month - 1;
    case 'weekly':
      // Weekly indices count ISO weeks from Monday 1969-12-29, three days before day 0.
      return Math.floor((dayNumber(date) + 3) / 7);
    case 'daily':
      return dayNumber(date);
  }
}

/**
 * The latest period whose data were due before `today`: due(p) < today.
 *
 * @example expectedPeriod({ frequency: 'annual' }, { amount: 6, unit: 'months' }, '2025-06-30') // '2023' (2024 is due that very day)
 * @example expectedPeriod({ frequency: 'annual' }, { amount: 6, unit: 'months' }, '2025-07-01') // '2024'
 */
export function expectedPeriod(calendar: PeriodCalendar, lag: ReportingLag, today: string): string {
  const due = (index: number) => dataDueDate(periodLabel(index, calendar), calendar, lag);
  let index = periodIndexOfDate(addLag(today, lag, -1), calendar);
  while (due(index) >= today) index -= 1;
  while (due(index + 1) < today) index += 1;
  return periodLabel(index, calendar);
}

/**
 * How fresh an indicator's data are at `now` (see the module comment).
 *
 * @example An annual indicator due 6 months after the year ends, latest data 2022, on 2025-07-01:
 * assessFreshness({ calendar: { frequency: 'annual' }, reportingLag: { amount: 6, unit: 'months' }, latestPeriod: '2022' },
 *   new Date('2025-07-01T12:00:00Z'))
 * // expected 2024 (due 2025-06-30); first missing 2023, due 2024-06-30 → { status: 'overdue', periodsBehind: 2,
 * //   daysOverdue: 366, nextPeriod: '2023', nextDueDate: '2024-06-30', … }
 */
export function assessFreshness(
  input: { calendar: PeriodCalendar; reportingLag: ReportingLag | null; latestPeriod: string | null },
  now: Date,
): Freshness {
  const { calendar, reportingLag: lag, latestPeriod } = input;
  const base = {
    reportingLag: lag,
    latestPeriod,
    expectedPeriod: null,
    expectedDueDate: null,
    nextPeriod: null,
    nextDueDate: null,
    periodsBehind: null,
    daysOverdue: null,
  };
  if (lag === null) {
    return {
      ...base,
      status: 'no_expectation',
      reason: 'No reporting lag is declared, so nobody knows when the next data are due.',
    };
  }
  const today = utcDate(now);
  const expected = expectedPeriod(calendar, lag, today);
  const expectedIndex = periodIndex(expected, calendar);
  const expectedDueDate = dataDueDate(expected, calendar, lag);
  if (latestPeriod === null) {
    return {
      ...base,
      status: 'no_data',
      expectedPeriod: expected,
      expectedDueDate,
      reason: `No data have been entered; data up to ${expected} were due by ${expectedDueDate}.`,
    };
  }
  const latestIndex = periodIndex(latestPeriod, calendar);
  const next = periodLabel(latestIndex + 1, calendar);
  const nextDueDate = dataDueDate(next, calendar, lag);
  if (latestIndex >= expectedIndex) {
    return {
      ...base,
      status: 'fresh',
      expectedPeriod: expected,
      expectedDueDate,
      nextPeriod: next,
      nextDueDate,
      periodsBehind: 0,
      reason: `Up to date: the data for ${next} are due by ${nextDueDate}.`,
    };
  }
  const behind = expectedIndex - latestIndex;
  const daysOverdue = daysBetween(nextDueDate, today);
  return {
    ...base,
    status: 'overdue',
    expectedPeriod: expected,
    expectedDueDate,
    nextPeriod: next,
    nextDueDate,
    periodsBehind: behind,
    daysOverdue,
    reason: `The data for ${next} were due by ${nextDueDate} (${daysOverdue} day${daysOverdue === 1 ? '' : 's'} ago); ${behind} period${behind === 1 ? ' is' : 's are'} missing up to ${expected}.`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Actions

export const QUICK_WIN_DAYS = 90;

/**
 * A quick win is due within 90 days of its start (one 90-day reporting cycle).
 *
 * @example isQuickWin('2009-07-01', '2009-09-28') // true (89 days)
 * @example isQuickWin('2009-07-01', '2009-09-30') // false (91 days)
 */
export function isQuickWin(start: string, due: string): boolean {
  return daysBetween(start, due) <= QUICK_WIN_DAYS;
}

/**
 * - `on_time` / `late`: done on or before / after the due date;
 * - `overdue`: planned or in progress and today is after the due date;
 * - `open`: planned or in progress, not yet due; `dropped`: given up (not judged).
 *
 * @example actionTiming({ status: 'in_progress', due: '2026-01-31', completedOn: null }, '2026-02-01') // 'overdue'
 * @example actionTiming({ status: 'done', due: '2026-01-31', completedOn: '2026-01-31' }, '2026-03-01') // 'on_time'
 */
export function actionTiming(
  action: { status: ActionStatus; due: string; completedOn: string | null },
  today: string,
): ActionTiming {
  switch (action.status) {
    case 'dropped':
      return 'dropped';
    case 'done':
      return action.completedOn !== null && action.completedOn > action.due ? 'late' : 'on_time';
    default:
      return today > action.due ? 'overdue' : 'open';
  }
}
