/**
 * The x axis of every chart: a UTC time scale positioned at each period's start date (`periodDateRange` of the
 * engine), so annual, fiscal-year, quarterly, monthly, weekly and daily indicators all share one kind of axis
 * and gaps between periods show as gaps in time.
 *
 * Ticks sit exactly on period starts (never on, say, 1 January of a fiscal-year indicator) and their labels are
 * written like the period labels of the API (README, "What the API holds") ("2024", "2024-25", "2024-Q3", "Jul 2024", "2024-W05", "2024-07-15").
 * Dates are ISO `YYYY-MM-DD` strings, which JavaScript parses as UTC midnight; the scale is `utc`, so a reader in
 * any time zone sees the same labels.
 */
import { type PeriodCalendar, periodDateRange, periodIndex, periodLabel } from '../server/engine/periods.ts';

/** The field every chart's data carries with the period's start date. */
export const DATE_FIELD = 'date';

/** At most this many ticks on the x axis (a 300 px wide chart still reads well). */
export const MAX_TICKS = 8;

/** Tick steps, in periods, that fall on natural boundaries for each frequency. */
const NICE_STEPS: Record<PeriodCalendar['frequency'], readonly number[]> = {
  annual: [1, 2, 5, 10, 20, 50, 100],
  quarterly: [1, 2, 4, 8, 20, 40, 80],
  monthly: [1, 2, 3, 6, 12, 24, 60, 120],
  weekly: [1, 2, 4, 13, 26, 52, 104, 260],
  daily: [1, 2, 7, 14, 28, 91, 182, 364, 728],
};

/**
 * The start date (`YYYY-MM-DD`) of a period.
 *
 * @example periodStart('2024-Q3', { frequency: 'quarterly' })                // '2024-07-01'
 * @example periodStart('2024-25', { frequency: 'annual', yearStartMonth: 7 }) // '2024-07-01'
 */
export function periodStart(period: string, calendar: PeriodCalendar): string {
  return periodDateRange(period, calendar).start;
}

/**
 * The x encoding of a chart whose data carry `date` (the period start) and that spans the given periods.
 *
 * @example
 * timeEncoding(['2019', '2020', '2023'], { frequency: 'annual' })
 * // { field: 'date', type: 'temporal', title: null, scale: { type: 'utc', padding: 12 },
 * //   axis: { values: ['2019-01-01', …, '2023-01-01'], format: '%Y', labelFlush: false } }
 */
export function timeEncoding(periods: readonly string[], calendar: PeriodCalendar, options: { axis?: boolean } = {}) {
  // Labels centred on their ticks: a flush first label (Vega-Lite's default on time axes) is anchored at its
  // start, overlaps the second and makes `labelOverlap` hide every other label.
  const axis =
    options.axis === false
      ? null
      : { values: tickDates(periods, calendar), ...tickLabels(calendar), labelFlush: false };
  return {
    field: DATE_FIELD,
    type: 'temporal' as const,
    title: null,
    // A little room at both ends, so the first point and a target at the last period are not cut in half.
    scale: { type: 'utc' as const, padding: 12 },
    axis,
  };
}

/**
 * Tick positions: the start dates of every `step`-th period between the first and last of `periods`, where
 * `step` is the smallest natural step giving at most {@link MAX_TICKS} ticks, aligned on the calendar (every
 * January for monthly data shown yearly, every Q1 for quarterly data, …).
 *
 * @example tickDates(['2020-Q1', '2022-Q2'], { frequency: 'quarterly' })
 * // 10 periods, step 2: ['2020-01-01', '2020-07-01', '2021-01-01', '2021-07-01', '2022-01-01']
 */
export function tickDates(periods: readonly string[], calendar: PeriodCalendar): string[] {
  if (periods.length === 0) return [];
  const indices = periods.map((p) => periodIndex(p, calendar));
  const first = Math.min(...indices);
  const last = Math.max(...indices);
  const count = last - first + 1;
  const steps = NICE_STEPS[calendar.frequency];
  const step = steps.find((s) => Math.ceil(count / s) <= MAX_TICKS) ?? Math.ceil(count / MAX_TICKS);
  const ticks: string[] = [];
  const start = Math.ceil(first / step) * step;
  for (let x = start; x <= last; x += step) ticks.push(periodStart(periodLabel(x, calendar), calendar));
  // A short series whose only aligned tick falls outside it still gets a labelled first period.
  if (ticks.length === 0) ticks.push(periodStart(periodLabel(first, calendar), calendar));
  return ticks;
}

/** Axis label format: each frequency's period label, written from the tick's UTC date. */
function tickLabels(calendar: PeriodCalendar): { format: string } | { labelExpr: string } {
  switch (calendar.frequency) {
    case 'annual':
      return (calendar.yearStartMonth ?? 1) === 1
        ? { format: '%Y' }
        : // A fiscal year starting in 2024 is "2024-25": the start year and the next year's last two digits.
          { labelExpr: "utcFormat(datum.value, '%Y') + '-' + utcFormat(utc(utcyear(datum.value) + 1, 0, 1), '%y')" };
    case 'quarterly':
      return { format: '%Y-Q%q' };
    case 'monthly':
      return { format: '%b %Y' };
    case 'weekly':
      return { format: '%G-W%V' };
    case 'daily':
      return { format: '%Y-%m-%d' };
  }
}
