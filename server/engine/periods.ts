/**
 * Period labels: parsing, validation and the period index x(p) of docs/methodology.md §0.
 *
 * One canonical label per period (api.md "Periods"); anything else is rejected:
 *
 * | frequency                         | label       | index x(p)                          |
 * |-----------------------------------|-------------|-------------------------------------|
 * | annual, calendar year             | `2024`      | 2024                                |
 * | annual, yearStartMonth 2–12       | `2024-25`   | 2024 (the starting year)            |
 * | quarterly                         | `2024-Q3`   | 4·2024 + 3 − 1 = 8098               |
 * | monthly                           | `2024-07`   | 12·2024 + 7 − 1 = 24294             |
 * | weekly (ISO 8601)                 | `2024-W05`  | ISO weeks since Monday 1969-12-29   |
 * | daily                             | `2024-07-15`| days since 1970-01-01 = 19919       |
 *
 * Pure functions, no I/O. Dates are computed in UTC so the machine's time zone never matters.
 */
// One module per function: the package's index loads all ~300 of date-fns' modules (a cost on every start).
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import type { Frequency } from './vocabulary.ts';

export { FREQUENCIES, type Frequency } from './vocabulary.ts';

/** How an indicator counts time: its frequency and, for annual data, the month its year starts. */
export interface PeriodCalendar {
  frequency: Frequency;
  /** 1 (January, calendar year) to 12. Only meaningful for `annual`; default 1. */
  yearStartMonth?: number | null;
}

/** The shapes a label can have, independent of any indicator. */
export type PeriodShape = 'year' | 'fiscal_year' | 'quarter' | 'month' | 'week' | 'day';

export type PeriodParse =
  | { ok: true; label: string; index: number }
  | { ok: false; code: 'malformed_period' | 'period_frequency_mismatch'; reason: string };

const DAY_MS = 86_400_000;
/** Monday of ISO week 1970-W01; weekly indices count whole weeks from it. */
const WEEK_EPOCH_MS = Date.UTC(1969, 11, 29);

const MIN_YEAR = 1000;
const YEAR = /^(\d{4})$/;
const YEAR_PAIR = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q(\d)$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Every shape a label validly has. `2011-12` is both December 2011 and fiscal year 2011-12, so a
 * label can have two shapes; the indicator's calendar decides which is meant.
 *
 * @example shapesOf('2024-Q3') // ['quarter']
 * @example shapesOf('2011-12') // ['month', 'fiscal_year']
 * @example shapesOf('2024-Q5') // []  (no such quarter)
 * @example shapesOf('2023-W53') // [] (2023 has 52 ISO weeks)
 */
export function shapesOf(label: string): PeriodShape[] {
  // Years before 1000 cannot be written in four digits without a leading zero: not a real use.
  if (!/^\d{4}/.test(label) || Number(label.slice(0, 4)) < MIN_YEAR) return [];
  if (YEAR.test(label)) return ['year'];
  let m = YEAR_PAIR.exec(label);
  if (m) {
    const year = Number(m[1]);
    const two = Number(m[2]);
    const shapes: PeriodShape[] = [];
    if (two >= 1 && two <= 12) shapes.push('month');
    if (year < 9999 && two === (year + 1) % 100) shapes.push('fiscal_year');
    return shapes;
  }
  m = QUARTER.exec(label);
  if (m) {
    const q = Number(m[2]);
    return q >= 1 && q <= 4 ? ['quarter'] : [];
  }
  m = WEEK.exec(label);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (week < 1) return [];
    return week <= getISOWeeksInYear(new Date(year, 5, 15)) ? ['week'] : [];
  }
  if (DAY.test(label)) {
    const date = parse(label, 'yyyy-MM-dd', new Date(2000, 0, 1));
    return isValid(date) ? ['day'] : [];
  }
  return [];
}

/** True when the label is a canonical label of some frequency (used to tell a 400 from a 422). */
export function isPeriodLabel(label: string): boolean {
  return shapesOf(label).length > 0;
}

/** The one shape an indicator with this calendar accepts. */
export function expectedShape(calendar: PeriodCalendar): PeriodShape {
  switch (calendar.frequency) {
    case 'annual':
      return (calendar.yearStartMonth ?? 1) === 1 ? 'year' : 'fiscal_year';
    case 'quarterly':
      return 'quarter';
    case 'monthly':
      return 'month';
    case 'weekly':
      return 'week';
    case 'daily':
      return 'day';
  }
}

const SHAPE_EXAMPLE: Record<PeriodShape, string> = {
  year: 'YYYY, e.g. 2024',
  fiscal_year: 'YYYY-YY, e.g. 2024-25',
  quarter: 'YYYY-Qn, e.g. 2024-Q3',
  month: 'YYYY-MM, e.g. 2024-07',
  week: 'YYYY-Www (ISO week), e.g. 2024-W05',
  day: 'YYYY-MM-DD, e.g. 2024-07-15',
};

/** A human description of the label an indicator expects, for error messages. */
export function describeExpectedLabel(calendar: PeriodCalendar): string {
  return SHAPE_EXAMPLE[expectedShape(calendar)];
}

/**
 * Parses a label for an indicator's calendar.
 *
 * @example parsePeriod('2024-Q3', { frequency: 'quarterly' }) // { ok: true, label: '2024-Q3', index: 8098 }
 * @example parsePeriod('2024-07', { frequency: 'quarterly' }) // { ok: false, code: 'period_frequency_mismatch', … }
 * @example parsePeriod('2024-13', { frequency: 'monthly' })   // { ok: false, code: 'malformed_period', … }
 */
export function parsePeriod(label: string, calendar: PeriodCalendar): PeriodParse {
  const shapes = shapesOf(label);
  if (shapes.length === 0) {
    return { ok: false, code: 'malformed_period', reason: `"${label}" is not a valid period label` };
  }
  const expected = expectedShape(calendar);
  if (!shapes.includes(expected)) {
    return {
      ok: false,
      code: 'period_frequency_mismatch',
      reason: `"${label}" is not a ${calendar.frequency} period of this indicator; expected ${SHAPE_EXAMPLE[expected]}`,
    };
  }
  return { ok: true, label, index: indexOfShape(label, expected) };
}

function indexOfShape(label: string, shape: PeriodShape): number {
  const year = Number(label.slice(0, 4));
  switch (shape) {
    case 'year':
    case 'fiscal_year':
      return year;
    case 'quarter':
      return 4 * year + Number(label.slice(6)) - 1;
    case 'month':
      return 12 * year + Number(label.slice(5, 7)) - 1;
    case 'week':
      return Math.round((isoWeekMonday(year, Number(label.slice(6))) - WEEK_EPOCH_MS) / (7 * DAY_MS));
    case 'day':
      return Math.round(utcDay(year, Number(label.slice(5, 7)), Number(label.slice(8, 10))) / DAY_MS);
  }
}

/**
 * The period index x(p) of docs/methodology.md §0; throws on a label the calendar does not accept
 * (callers validate first with {@link parsePeriod}).
 *
 * @example periodIndex('2024-W05', { frequency: 'weekly' }) // 2822
 * @example periodIndex('1970-01-01', { frequency: 'daily' }) // 0
 */
export function periodIndex(label: string, calendar: PeriodCalendar): number {
  // Memoised: the engine asks for the same few hundred labels many times per series (a measured 2× on
  // the engine benchmark). Bounded, and cleared when full.
  const key = `${expectedShape(calendar)} ${label}`;
  const known = INDEX_CACHE.get(key);
  if (known !== undefined) return known;
  const parsed = parsePeriod(label, calendar);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  if (INDEX_CACHE.size >= INDEX_CACHE_LIMIT) INDEX_CACHE.clear();
  INDEX_CACHE.set(key, parsed.index);
  return parsed.index;
}

const INDEX_CACHE = new Map<string, number>();
const INDEX_CACHE_LIMIT = 100_000;

/**
 * The canonical label of a period index: the inverse of {@link periodIndex}.
 *
 * @example periodLabel(8098, { frequency: 'quarterly' }) // '2024-Q3'
 * @example periodLabel(2024, { frequency: 'annual', yearStartMonth: 7 }) // '2024-25'
 */
export function periodLabel(index: number, calendar: PeriodCalendar): string {
  switch (expectedShape(calendar)) {
    case 'year':
      return pad(index, 4);
    case 'fiscal_year':
      return `${pad(index, 4)}-${pad((index + 1) % 100, 2)}`;
    case 'quarter':
      return `${pad(Math.floor(index / 4), 4)}-Q${(index % 4) + 1}`;
    case 'month':
      return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1, 2)}`;
    case 'week': {
      // The Thursday of a week decides its ISO year.
      const thursday = new Date(WEEK_EPOCH_MS + index * 7 * DAY_MS + 3 * DAY_MS);
      const isoYear = thursday.getUTCFullYear();
      const monday = thursday.getTime() - 3 * DAY_MS;
      const week = Math.round((monday - isoWeekMonday(isoYear, 1)) / (7 * DAY_MS)) + 1;
      return `${pad(isoYear, 4)}-W${pad(week, 2)}`;
    }
    case 'day':
      return new Date(index * DAY_MS).toISOString().slice(0, 10);
  }
}

/** The label of the period after `label` (e.g. `2024-Q4` → `2025-Q1`). */
export function nextPeriod(label: string, calendar: PeriodCalendar): string {
  return periodLabel(periodIndex(label, calendar) + 1, calendar);
}

/**
 * Periods per year f of docs/methodology.md §0: annual 1, quarterly 4, monthly 12, weekly 365.2425/7, daily 365.2425.
 */
export function periodsPerYear(frequency: Frequency): number {
  switch (frequency) {
    case 'annual':
      return 1;
    case 'quarterly':
      return 4;
    case 'monthly':
      return 12;
    case 'weekly':
      return 365.2425 / 7;
    case 'daily':
      return 365.2425;
  }
}

/**
 * years(p0, p1) = (x(p1) − x(p0)) / f.
 *
 * @example yearsBetween('2015-Q1', '2020-Q3', { frequency: 'quarterly' }) // 5.5
 */
export function yearsBetween(from: string, to: string, calendar: PeriodCalendar): number {
  return (periodIndex(to, calendar) - periodIndex(from, calendar)) / periodsPerYear(calendar.frequency);
}

/**
 * First and last day (inclusive, `YYYY-MM-DD`) a period covers; fiscal years start in `yearStartMonth`.
 *
 * @example periodDateRange('2024-25', { frequency: 'annual', yearStartMonth: 7 }) // { start: '2024-07-01', end: '2025-06-30' }
 */
export function periodDateRange(label: string, calendar: PeriodCalendar): { start: string; end: string } {
  const index = periodIndex(label, calendar);
  let startMs: number;
  let endMs: number; // exclusive
  switch (expectedShape(calendar)) {
    case 'year':
      startMs = utcDay(index, 1, 1);
      endMs = utcDay(index + 1, 1, 1);
      break;
    case 'fiscal_year': {
      const month = calendar.yearStartMonth ?? 1;
      startMs = utcDay(index, month, 1);
      endMs = utcDay(index + 1, month, 1);
      break;
    }
    case 'quarter': {
      const year = Math.floor(index / 4);
      const q = index % 4;
      startMs = utcDay(year, 3 * q + 1, 1);
      endMs = utcDay(year, 3 * q + 4, 1);
      break;
    }
    case 'month': {
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      startMs = utcDay(year, month, 1);
      endMs = utcDay(year, month + 1, 1);
      break;
    }
    case 'week':
      startMs = WEEK_EPOCH_MS + index * 7 * DAY_MS;
      endMs = startMs + 7 * DAY_MS;
      break;
    case 'day':
      startMs = index * DAY_MS;
      endMs = startMs + DAY_MS;
      break;
  }
  return { start: isoDate(startMs), end: isoDate(endMs - DAY_MS) };
}

/** UTC midnight of year-month-day in ms; a month or day out of range rolls over (month 13 = January next year). */
function utcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  // One call, so that month 13 rolls into the next year (setting the year afterwards would undo it);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** Monday of ISO week `week` of ISO year `year`, in UTC milliseconds. Week 1 holds January 4th. */
function isoWeekMonday(year: number, week: number): number {
  const jan4 = utcDay(year, 1, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS + (week - 1) * 7 * DAY_MS;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
