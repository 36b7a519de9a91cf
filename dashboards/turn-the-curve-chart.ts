/**
 * The turn-the-curve chart (RBA's "baseline": history plus a forecast of where it is headed if nothing changes),
 * the chart a partnership publishes for each indicator.
 *
 * It shows the actual values of the total slice (line and points; provisional values hollow, with a legend
 * entry), the baseline forecast (dashed) with its prediction-interval band, a vertical rule at the baseline
 * period, the target and interim targets (diamonds, labelled), and — in the subtitle, in plain words — whether
 * the curve has turned and how progress toward the target is going. The x axis is a time scale at each period's
 * start date (see `time-axis.ts`); tooltips name the period as entered and show each point's note.
 *
 * Pure: data in, a Vega-Lite spec with its data inline out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type PeriodCalendar, periodIndex } from '../server/engine/periods.ts';
import type { ForecastMethod, IndicatorAnalysis } from '../server/engine/types.ts';
import { curveHeadline, describeIndicator, progressHeadline } from './summary-text.ts';
import {
  BASELINE_LABEL_MARK,
  BAND_OPACITY,
  CHART_SIZE,
  COLORS,
  FONT_SIZE,
  RESPONSIVE_AUTOSIZE,
  formatValue,
  numberFormat,
  seriesColor,
  specHeader,
  unitTitle,
} from './theme.ts';
import { periodStart, timeEncoding } from './time-axis.ts';
import { type TooltipEntry, tooltipEncoding, tooltipTransforms } from './tooltip.ts';
import type { Brand, ChartIndicator, ChartPoint } from './types.ts';

export interface TurnTheCurveInput {
  indicator: ChartIndicator;
  /** `analyzeIndicator(indicator, points)`: the chart draws its total slice. */
  analysis: IndicatorAnalysis;
  /** The indicator's data points (any slices; the chart uses the total, `disaggregation: {}`). */
  points: readonly ChartPoint[];
  brand: Brand | null;
  /** Defaults to the indicator's name. */
  title?: string;
  /**
   * The partners' actions linked to the indicator (GET /indicators/{id}/actions), drawn on the timeline at
   * their dates: a bar from start to due along the bottom of the plot, details in the tooltip.
   */
  actions?: readonly ChartAction[];
  /** Pixels (default 640), or `'container'` in a browser page to follow its container's width. */
  width?: number | 'container';
  height?: number;
}

/** What the timeline shows of an action. Dates are `YYYY-MM-DD`. */
export interface ChartAction {
  title: string;
  start: string;
  due: string;
  status: string;
  quickWin: boolean;
  overdue: boolean;
  ownerPartnerName: string | null;
}

/** Names of the inline datasets, for clients that restyle the spec. */
export const TURN_THE_CURVE_DATASETS = {
  actual: 'actual',
  forecast: 'forecast',
  targets: 'targets',
  baseline: 'baseline',
  actions: 'actions',
} as const;

/** Legend entries of the series colours. */
const SERIES = { actual: 'Actual', forecast: 'Baseline forecast', target: 'Target' } as const;

const ACTUAL_TOOLTIP: TooltipEntry[] = [
  ['Period', 'period'],
  ['Value', 'valueText'],
  ['Status', 'status'],
  ['Baseline forecast', 'forecastText'],
  ['Note', 'note'],
];
const FORECAST_TOOLTIP: TooltipEntry[] = [
  ['Period', 'period'],
  ['Baseline forecast', 'forecastText'],
  ['Expected range', 'rangeText'],
  ['Method', 'method'],
];
const TARGET_TOOLTIP: TooltipEntry[] = [
  ['Kind', 'kind'],
  ['Period', 'period'],
  ['Value', 'valueText'],
];

/** A row of the `actual` dataset. Optional fields are left out, not null, so tooltips skip them. */
export interface ActualRow {
  period: string;
  date: string;
  value: number;
  valueText: string;
  /** 'Provisional', or 'Final' (a point without a status counts as final on the chart). */
  dataStatus: 'Final' | 'Provisional';
  status?: string;
  note?: string;
  forecastText?: string;
}

export interface ForecastRow {
  period: string;
  date: string;
  forecast: number;
  forecastText: string;
  lower?: number;
  upper?: number;
  rangeText?: string;
  method: string;
}

export interface TargetRow {
  period: string;
  date: string;
  value: number;
  valueText: string;
  kind: 'Target' | 'Interim target';
  label: string;
}

export interface BaselineRow {
  period: string;
  date: string;
  label: string;
}

/**
 * The turn-the-curve chart of an indicator's total slice.
 *
 * @example
 * const analysis = analyzeIndicator(engineIndicator, points);
 * const spec = buildTurnTheCurveChart({ indicator, analysis, points, brand: { color: '#1f6feb', logoUrl: null } });
 * // spec.title.subtitle → ['Curve turned: better than the baseline forecast',
 * //                        'Progress made but acceleration needed to reach the 2030 target (4.0%)']
 * // spec.layer → band, forecast line, baseline rule + label, actual line, actual points, targets + labels
 */
export function buildTurnTheCurveChart(input: TurnTheCurveInput): TopLevelSpec {
  // 1. The calendar of the indicator, and its total-slice points in period order.
  // 2. The inline datasets: actual (with the forecast at the same period), forecast, targets, baseline.
  // 3. The colour legend: only the series the chart actually has.
  // 4. The layers, back to front: interval band, forecast line, baseline rule, actual line and points, targets;
  //    each with its own x encoding (a layer never inherits an x it cannot draw with: a Vega-Lite trap), and
  //    only when its dataset has rows (Vega warns of an "Infinite extent" for an empty one); "No data yet" when
  //    there is nothing to draw.
  // 5. The title, the subtitle in plain words, the text description, the theme and the size.
  const { indicator, analysis, brand } = input;
  const calendar = calendarOf(indicator);
  const total = totalSeries(input.points, calendar);

  const actual = actualRows(indicator, analysis, total, calendar);
  const forecast = forecastRows(indicator, analysis, calendar);
  const targets = targetRows(indicator, calendar);
  const baseline = baselineRows(analysis, calendar);
  const actions = actionRows(input.actions ?? []);
  const height = input.height ?? CHART_SIZE.height;

  const color = seriesColor(brand);
  const legend = colorLegend(color, {
    actual: actual.length > 0,
    forecast: forecast.length > 0,
    target: targets.length > 0,
  });
  const periods = [...actual, ...forecast, ...targets, ...baseline].map((r) => r.period);
  const x = timeEncoding(periods, calendar);
  const format = numberFormat(indicator.decimals);
  const y = {
    type: 'quantitative' as const,
    title: unitTitle(indicator.name, indicator),
    scale: { zero: false, nice: true, padding: 8 },
    axis: { format, tickCount: 6 },
  };

  const layers = [
    ...(forecast.some((r) => r.lower !== undefined) ? [forecastBandLayer(x, y)] : []),
    ...(forecast.length > 0 ? [forecastLineLayer(x, y, legend)] : []),
    ...(baseline.length > 0 ? baselineLayers(x) : []),
    ...(actual.length > 0
      ? [
          actualLineLayer(x, y, legend),
          actualPointsLayer(
            x,
            y,
            color,
            actual.some((r) => r.dataStatus === 'Provisional'),
          ),
        ]
      : []),
    ...(targets.length > 0 ? targetLayers(x, y, legend) : []),
    ...(actual.length > 0 && actions.length > 0 ? actionLayers(x, height) : []),
    ...(actual.length === 0 ? [noDataLayer()] : []),
  ];

  return {
    ...specHeader(),
    description: describeIndicator(indicator, analysis),
    title: {
      text: input.title ?? indicator.name,
      subtitle: [curveHeadline(analysis.total.curve), progressHeadline(analysis.total.progress, indicator)],
    },
    width: input.width ?? CHART_SIZE.width,
    height,
    autosize: RESPONSIVE_AUTOSIZE,
    datasets: {
      [TURN_THE_CURVE_DATASETS.actual]: actual,
      [TURN_THE_CURVE_DATASETS.forecast]: forecast,
      [TURN_THE_CURVE_DATASETS.targets]: targets,
      [TURN_THE_CURVE_DATASETS.baseline]: baseline,
      ...(actions.length > 0 ? { [TURN_THE_CURVE_DATASETS.actions]: actions } : {}),
    },
    layer: layers,
    usermeta: { engineVersion: analysis.engineVersion },
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------

/** The engine's calendar of an indicator. */
export function calendarOf(indicator: Pick<ChartIndicator, 'frequency' | 'yearStartMonth'>): PeriodCalendar {
  return { frequency: indicator.frequency, yearStartMonth: indicator.yearStartMonth };
}

/** The total-slice points (`disaggregation: {}`), in period order. */
export function totalSeries(points: readonly ChartPoint[], calendar: PeriodCalendar): ChartPoint[] {
  return sortByPeriod(
    points.filter((p) => Object.keys(p.disaggregation).length === 0),
    calendar,
  );
}

/** Points in period order (a copy). */
export function sortByPeriod<T extends { period: string }>(points: readonly T[], calendar: PeriodCalendar): T[] {
  return points
    .map((p) => ({ p, x: periodIndex(p.period, calendar) }))
    .sort((a, b) => a.x - b.x)
    .map(({ p }) => p);
}

function actualRows(
  indicator: ChartIndicator,
  analysis: IndicatorAnalysis,
  total: readonly ChartPoint[],
  calendar: PeriodCalendar,
): ActualRow[] {
  const forecastAt = new Map(analysis.total.forecast.points.map((f) => [f.period, f.value]));
  return total.map((p) => {
    const row: ActualRow = {
      period: p.period,
      date: periodStart(p.period, calendar),
      value: p.value,
      valueText: formatValue(p.value, indicator),
      dataStatus: p.status === 'provisional' ? 'Provisional' : 'Final',
    };
    if (p.status) row.status = p.status === 'provisional' ? 'Provisional (may be revised)' : 'Final';
    if (p.note) row.note = p.note;
    const f = forecastAt.get(p.period);
    if (f !== undefined) row.forecastText = formatValue(f, indicator);
    return row;
  });
}

const METHOD_WORDS: Record<ForecastMethod, string> = {
  ets: 'Exponential smoothing of the history',
  ols: 'Straight-line trend of the history (least squares)',
  two_point: 'Straight line through the two historical points',
  flat: 'Flat at the only historical value',
  manual: 'Entered by the workgroup',
};

function forecastRows(indicator: ChartIndicator, analysis: IndicatorAnalysis, calendar: PeriodCalendar): ForecastRow[] {
  const forecast = analysis.total.forecast;
  const level = forecast.level === null ? null : Math.round(forecast.level * 100);
  return forecast.points.map((f) => {
    const method = f.source === 'manual' ? METHOD_WORDS.manual : METHOD_WORDS[forecast.computedMethod ?? 'flat'];
    const row: ForecastRow = {
      period: f.period,
      date: periodStart(f.period, calendar),
      forecast: f.value,
      forecastText: formatValue(f.value, indicator),
      method,
    };
    if (f.lower !== null && f.upper !== null) {
      row.lower = f.lower;
      row.upper = f.upper;
      row.rangeText = `${formatValue(f.lower, indicator)} to ${formatValue(f.upper, indicator)}${
        level === null ? '' : ` (${level}% prediction interval)`
      }`;
    }
    return row;
  });
}

function targetRows(indicator: ChartIndicator, calendar: PeriodCalendar): TargetRow[] {
  const rows: TargetRow[] = indicator.interimTargets.map((t) => ({
    period: t.period,
    date: periodStart(t.period, calendar),
    value: t.value,
    valueText: formatValue(t.value, indicator),
    kind: 'Interim target',
    label: `Interim ${t.period}: ${formatValue(t.value, indicator)}`,
  }));
  if (indicator.target) {
    const t = indicator.target;
    rows.push({
      period: t.period,
      date: periodStart(t.period, calendar),
      value: t.value,
      valueText: formatValue(t.value, indicator),
      kind: 'Target',
      label: `Target ${t.period}: ${formatValue(t.value, indicator)}`,
    });
  }
  return sortByPeriod(rows, calendar);
}

function baselineRows(analysis: IndicatorAnalysis, calendar: PeriodCalendar): BaselineRow[] {
  const b = analysis.inputs.baselinePeriod;
  if (b === null) return [];
  return [{ period: b, date: periodStart(b, calendar), label: `Baseline ${b}` }];
}

interface ActionRow {
  date: string;
  dateEnd: string;
  title: string;
  when: string;
  statusText: string;
  owner: string;
}

function actionRows(actions: readonly ChartAction[]): ActionRow[] {
  return actions.map((a) => ({
    date: a.start,
    dateEnd: a.due,
    title: a.quickWin ? `${a.title} (quick win)` : a.title,
    when: `${a.start} to ${a.due}`,
    statusText: a.overdue ? `${a.status.replaceAll('_', ' ')}, overdue` : a.status.replaceAll('_', ' '),
    owner: a.ownerPartnerName ?? '',
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------------------

/** The actions' timeline: a bar from start to due along the bottom of the plot, and a tick at the start. */
export function actionLayers(x: X, height: number) {
  const data = { name: TURN_THE_CURVE_DATASETS.actions };
  const y = { value: height - 4 };
  const tooltip = tooltipTransforms([
    ['Action', 'title'],
    ['When', 'when'],
    ['Status', 'statusText'],
    ['Owner', 'owner'],
  ]);
  return [
    {
      data,
      transform: tooltip,
      mark: {
        type: 'rule' as const,
        color: COLORS.mutedText,
        strokeWidth: 4,
        strokeCap: 'round' as const,
        opacity: 0.6,
      },
      encoding: { x, x2: { field: 'dateEnd' }, y, ...tooltipEncoding() },
    },
    {
      data,
      transform: tooltip,
      mark: { type: 'point' as const, shape: 'triangle-up', filled: true, size: 60, color: COLORS.mutedText },
      encoding: { x, y, ...tooltipEncoding() },
    },
  ];
}

type X = ReturnType<typeof timeEncoding>;
interface Y {
  type: 'quantitative';
  title: string;
  scale: { zero: boolean; nice: boolean; padding: number };
  axis: { format: string; tickCount: number };
}
interface SeriesLegend {
  domain: string[];
  range: string[];
}

/** The field naming a layer's series, added by {@link seriesTransform}. */
const SERIES_FIELD = 'series';

/**
 * Adds the layer's series name to each of its rows, for {@link seriesEncoding}. (A `datum` encoding would
 * need no transform, and compiles, but the Vega-Lite schema allows neither `scale` nor `legend` on a datum
 * colour: the spec would not validate.)
 */
function seriesTransform(name: string) {
  return { calculate: JSON.stringify(name), as: SERIES_FIELD };
}

/** The colour of one named series, on the one colour scale whose legend lists the series present. */
function seriesEncoding(legend: SeriesLegend) {
  return {
    field: SERIES_FIELD,
    type: 'nominal' as const,
    scale: { domain: legend.domain, range: legend.range },
    legend: { title: null, symbolType: 'stroke', labelLimit: 0 },
  };
}

function colorLegend(
  actualColor: string,
  present: { actual: boolean; forecast: boolean; target: boolean },
): SeriesLegend {
  const domain: string[] = [];
  const range: string[] = [];
  if (present.actual) {
    domain.push(SERIES.actual);
    range.push(actualColor);
  }
  if (present.forecast) {
    domain.push(SERIES.forecast);
    range.push(COLORS.forecast);
  }
  if (present.target) {
    domain.push(SERIES.target);
    range.push(COLORS.target);
  }
  return { domain, range };
}

/** The prediction-interval band of the baseline forecast: an area between `lower` and `upper`, low opacity. */
export function forecastBandLayer(x: X, y: Y) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.forecast },
    transform: [{ filter: 'isValid(datum.lower) && isValid(datum.upper)' }, ...tooltipTransforms(FORECAST_TOOLTIP)],
    // The band repeats the forecast line's tooltip; screen readers get it from the line alone.
    mark: { type: 'area' as const, color: COLORS.forecast, opacity: BAND_OPACITY, aria: false },
    encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, ...tooltipEncoding() },
  };
}

/** The baseline forecast: a dashed line. */
export function forecastLineLayer(x: X, y: Y, legend: SeriesLegend) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.forecast },
    transform: [seriesTransform(SERIES.forecast), ...tooltipTransforms(FORECAST_TOOLTIP)],
    mark: { type: 'line' as const, strokeDash: [6, 4], strokeWidth: 2 },
    encoding: { x, y: { ...y, field: 'forecast' }, color: seriesEncoding(legend), ...tooltipEncoding() },
  };
}

/**
 * A vertical rule at the baseline period, and its label at the top of the plot. The rule encodes only `x`, in
 * its own layer, so it spans the plot's height.
 */
export function baselineLayers(x: X) {
  const data = { name: TURN_THE_CURVE_DATASETS.baseline };
  return [
    {
      data,
      transform: tooltipTransforms([['Baseline period', 'period']]),
      mark: { type: 'rule' as const, color: COLORS.baselineRule, strokeDash: [2, 3], strokeWidth: 1.5 },
      encoding: { x, ...tooltipEncoding() },
    },
    {
      data,
      mark: BASELINE_LABEL_MARK,
      encoding: { x, y: { value: 0 }, text: { field: 'label' } },
    },
  ];
}

/** The actual values: a solid line in the series colour. */
export function actualLineLayer(x: X, y: Y, legend: SeriesLegend) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.actual },
    transform: [seriesTransform(SERIES.actual)],
    // Screen readers get each value from the points layer.
    mark: { type: 'line' as const, aria: false },
    encoding: { x, y: { ...y, field: 'value' }, color: seriesEncoding(legend) },
  };
}

/**
 * The actual values as points: filled when final, hollow (white fill) when provisional, with a "Data status"
 * legend when any point is provisional. The tooltip gives the period, value, status, forecast and note.
 */
export function actualPointsLayer(x: X, y: Y, color: string, anyProvisional: boolean) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.actual },
    transform: tooltipTransforms(ACTUAL_TOOLTIP),
    mark: { type: 'point' as const, filled: true, opacity: 1, size: 60, stroke: color, strokeWidth: 2 },
    encoding: {
      x,
      y: { ...y, field: 'value' },
      fill: anyProvisional
        ? {
            field: 'dataStatus',
            type: 'nominal' as const,
            scale: { domain: ['Final', 'Provisional'], range: [color, '#ffffff'] },
            legend: { title: 'Data', symbolStrokeColor: color, symbolType: 'circle' },
          }
        : { value: color },
      ...tooltipEncoding(),
    },
  };
}

/**
 * The target (a filled diamond) and interim targets (hollow diamonds), each labelled with its period and value.
 */
export function targetLayers(x: X, y: Y, legend: SeriesLegend) {
  const data = { name: TURN_THE_CURVE_DATASETS.targets };
  return [
    {
      data,
      transform: [seriesTransform(SERIES.target), ...tooltipTransforms(TARGET_TOOLTIP)],
      mark: { type: 'point' as const, shape: 'diamond', size: 130, strokeWidth: 2, opacity: 1 },
      encoding: {
        x,
        y: { ...y, field: 'value' },
        color: seriesEncoding(legend),
        fill: { condition: { test: "datum.kind === 'Target'", value: COLORS.target }, value: '#ffffff' },
        ...tooltipEncoding(),
      },
    },
    {
      data,
      mark: {
        type: 'text' as const,
        align: 'right' as const,
        baseline: 'bottom' as const,
        dx: -8,
        dy: -8,
        color: COLORS.text,
        fontSize: FONT_SIZE.small,
        aria: false,
      },
      encoding: { x, y: { ...y, field: 'value' }, text: { field: 'label' } },
    },
  ];
}

/** "No data yet", at the top left of a chart without actual values (clear of a lone target in the middle). */
export function noDataLayer() {
  return {
    data: { values: [{ text: 'No data yet' }] },
    mark: {
      type: 'text' as const,
      align: 'left' as const,
      baseline: 'top' as const,
      color: COLORS.mutedText,
      fontSize: FONT_SIZE.subtitle,
    },
    encoding: { x: { value: 8 }, y: { value: 8 }, text: { field: 'text' } },
  };
}
