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

/** Below this plot width (pixels) a chart is on a phone: at most {@link NARROW_MAX_TICKS} ticks, short labels. */
export const NARROW_PLOT_WIDTH = 420;
export const NARROW_MAX_TICKS = 4;

/**
 * The x encoding of a chart whose data carry `date` (the period start) and that spans the given periods.
 * `width`: the chart's width in pixels, or `'container'` for a chart that follows its page (its ticks and
 * labels then follow the `width` signal: fewer ticks and shorter labels on a phone).
 *
 * @example
 * timeEncoding(['2019', '2020', '2023'], { frequency: 'annual' })
 * // { field: 'date', type: 'temporal', title: null, scale: { type: 'utc', padding: 12 },
 * //   axis: { values: [1546300800000, …], labelExpr: "utcFormat(datum.value, '%Y')", labelFlush: false } }
 */
export function timeEncoding(
  periods: readonly string[],
  calendar: PeriodCalendar,
  options: { axis?: boolean; width?: number | 'container'; domain?: readonly [number, number] } = {},
) {
  // Labels centred on their ticks: a flush first label (Vega-Lite's default on time axes) is anchored at its
  // start, overlaps the second and makes `labelOverlap` hide every other label.
  const axis =
    options.axis === false ? null : { ...responsiveTicks(periods, calendar, options.width ?? 640), labelFlush: false };
  return {
    field: DATE_FIELD,
    type: 'temporal' as const,
    title: null,
    // A little room at both ends, so the first point and a target at the last period are not cut in half.
    scale: { type: 'utc' as const, padding: 12, ...(options.domain ? { domain: [...options.domain] } : {}) },
    axis,
  };
}

/** Tick values and their labels: one set for a phone, one for wider charts, chosen by width. */
function responsiveTicks(
  periods: readonly string[],
  calendar: PeriodCalendar,
  width: number | 'container',
): { values: number[] | { expr: string }; labelExpr: string } {
  const wide = tickSet(periods, calendar, MAX_TICKS);
  const narrow = tickSet(periods, calendar, NARROW_MAX_TICKS);
  // The plot is the chart less its y axis and padding (about 70 px).
  if (width !== 'container') return width - 70 < NARROW_PLOT_WIDTH ? narrow : wide;
  const when = `width < ${NARROW_PLOT_WIDTH}`;
  return {
    values: { expr: `${when} ? ${JSON.stringify(narrow.values)} : ${JSON.stringify(wide.values)}` },
    labelExpr:
      narrow.labelExpr === wide.labelExpr ? wide.labelExpr : `${when} ? ${narrow.labelExpr} : ${wide.labelExpr}`,
  };
}

function tickSet(periods: readonly string[], calendar: PeriodCalendar, maxTicks: number) {
  const { dates, step } = tickDatesAndStep(periods, calendar, maxTicks);
  return { values: dates.map((d) => Date.parse(`${d}T00:00:00Z`)), labelExpr: tickLabelExpr(calendar, step) };
}

/**
 * Tick positions: the start dates of every `step`-th period between the first and last of `periods`, where
 * `step` is the smallest natural step giving at most {@link MAX_TICKS} ticks, aligned on the calendar (every
 * January for monthly data shown yearly, every Q1 for quarterly data, …).
 *
 * @example tickDates(['2020-Q1', '2022-Q2'], { frequency: 'quarterly' })
 * // 10 periods, step 2: ['2020-01-01', '2020-07-01', '2021-01-01', '2021-07-01', '2022-01-01']
 */
export function tickDates(periods: readonly string[], calendar: PeriodCalendar, maxTicks = MAX_TICKS): string[] {
  return tickDatesAndStep(periods, calendar, maxTicks).dates;
}

function tickDatesAndStep(
  periods: readonly string[],
  calendar: PeriodCalendar,
  maxTicks: number,
): { dates: string[]; step: number } {
  if (periods.length === 0) return { dates: [], step: 1 };
  const indices = periods.map((p) => periodIndex(p, calendar));
  const first = Math.min(...indices);
  const last = Math.max(...indices);
  const count = last - first + 1;
  const steps = NICE_STEPS[calendar.frequency];
  const step = steps.find((s) => Math.ceil(count / s) <= maxTicks) ?? Math.ceil(count / maxTicks);
  const ticks: string[] = [];
  const start = Math.ceil(first / step) * step;
  for (let x = start; x <= last; x += step) ticks.push(periodStart(periodLabel(x, calendar), calendar));
  // A short series whose only aligned tick falls outside it still gets a labelled first period.
  if (ticks.length === 0) ticks.push(periodStart(periodLabel(first, calendar), calendar));
  return { dates: ticks, step };
}

/**
 * The axis label of a tick: its period written like api.md's labels ("2024", "2024-25", "2024-Q3", "Jul 2024",
 * "2024-W05", "2024-07-15"), or just the year when ticks are a year or more apart and fall on calendar years
 * (monthly and quarterly data over many years).
 */
function tickLabelExpr(calendar: PeriodCalendar, step: number): string {
  const format = (pattern: string) => `utcFormat(datum.value, '${pattern}')`;
  switch (calendar.frequency) {
    case 'annual':
      return (calendar.yearStartMonth ?? 1) === 1
        ? format('%Y')
        : // A fiscal year starting in 2024 is "2024-25": the start year and the next year's last two digits.
          `${format('%Y')} + '-' + utcFormat(utc(utcyear(datum.value) + 1, 0, 1), '%y')`;
    case 'quarterly':
      return step % 4 === 0 ? format('%Y') : format('%Y-Q%q');
    case 'monthly':
      return step % 12 === 0 ? format('%Y') : format('%b %Y');
    case 'weekly':
      return format('%G-W%V');
    case 'daily':
      return format('%Y-%m-%d');
  }
}
