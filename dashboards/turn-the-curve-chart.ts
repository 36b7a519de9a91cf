/**
 * The turn-the-curve chart (RBA's "baseline": history plus a forecast of where it is headed if nothing changes),
 * the chart a partnership publishes for each indicator.
 *
 * It shows the actual values of the total slice (line and points; provisional values hollow, estimated ones
 * hollow squares, unverified ones — flagged by a data-quality check nobody has reviewed — ringed; a rule at a
 * break in series, a cross under a period marked missing, where the line breaks), the baseline
 * forecast (dashed) with its prediction-interval band, a vertical rule at the baseline period, the target and
 * interim targets (diamonds), the partners' actions in a lane along the bottom, and — in the subtitle, in plain
 * words — whether the curve has turned and how progress toward the target is going.
 *
 * Label economy (as the FT and Our World in Data label their charts): the plot labels only what a reader needs
 * to read it — the final target, the next interim target and the baseline — placed by `label-layout.ts` so that
 * no label covers another or a data mark; one legend explains every kind of mark; every value is in the
 * tooltips and the data table. The chart fits any width from 320 px (`width: 'container'` in a page): fewer
 * ticks and shorter labels when narrow, the legend in as many columns as fit.
 *
 * Pure: data in, a Vega-Lite spec with its data inline out.
 */
import type { PlotFrame } from './label-layout.ts';
import type { TopLevelSpec } from 'vega-lite';
import { type PeriodCalendar, periodIndex } from '../server/engine/periods.ts';
import type { ForecastMethod, IndicatorAnalysis } from '../server/engine/types.ts';
import { LEGEND_SYMBOLS, type LegendEntry, legendColumns, legendLayer } from './chart-legend.ts';
import { type LabelRequest, type Obstacle, type PlacedLabel, placeLabels, plotDomain } from './label-layout.ts';
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
  shortValue,
  specHeader,
  unitAxisTitle,
  wrapText,
} from './theme.ts';
import { periodStart, timeEncoding } from './time-axis.ts';
import { type TooltipEntry, tooltipEncoding, tooltipTransforms } from './tooltip.ts';
import { STATUS_WORDS, pointKind, statusText, type PointKind } from './observation-status.ts';
import type { Brand, ChartIndicator, ChartPoint, MissingPoint } from './types.ts';

export interface TurnTheCurveInput {
  indicator: ChartIndicator;
  /** `analyzeIndicator(indicator, points)`: the chart draws its total slice. */
  analysis: IndicatorAnalysis;
  /** The indicator's data points (any slices; the chart uses the total, `disaggregation: {}`). */
  points: readonly ChartPoint[];
  /** Periods marked missing (OBS_STATUS M; any slices, the chart uses the total's). */
  missing?: readonly MissingPoint[];
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
  /** Breaks in series (OBS_STATUS B): a rule each. */
  breaks: 'breaks',
  /** Periods marked missing (OBS_STATUS M): a cross each at the bottom of the plot. */
  missing: 'missing',
  /** The actual line's points with a null at each missing period, where the line breaks (only with `missing`). */
  line: 'line',
} as const;

/** Legend labels, one per kind of mark. */
export const LEGEND_LABELS = {
  actual: 'Actual',
  provisional: STATUS_WORDS.provisional,
  estimated: STATUS_WORDS.estimated,
  break: 'Break in series',
  missing: 'Missing period',
  suppressed: 'Missing or suppressed',
  unverified: 'Unverified value',
  forecast: 'Baseline forecast',
  band: 'Expected range',
  baseline: 'Baseline period',
  interim: 'Interim target',
  target: 'Target',
  action: 'Action (start to due)',
} as const;

const ACTUAL_TOOLTIP: TooltipEntry[] = [
  ['Period', 'period'],
  ['Value', 'valueText'],
  ['Status', 'status'],
  ['Baseline forecast', 'forecastText'],
  ['Note', 'note'],
  ['Footnote', 'footnote'],
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
  /** 'Provisional', 'Estimated', or 'Final' (a point without a status counts as final on the chart). */
  dataStatus: PointKind;
  /** Its status in words (observation-status.ts), with "Unverified" when a data-quality flag is unacknowledged. */
  status?: string;
  note?: string;
  footnote?: string;
  forecastText?: string;
  /** Present (true) when a data-quality check flagged the value and nobody has acknowledged it. */
  unverified?: true;
}

/** A break in series (OBS_STATUS B) of the total: a rule at its period. */
export interface BreakRow {
  period: string;
  date: string;
  status: string;
  footnote?: string;
}

/** A period of the total marked missing (OBS_STATUS M), or withheld from the public (suppressed). */
export interface MissingRow {
  period: string;
  date: string;
  status: string;
  footnote?: string;
  suppressed?: boolean;
}

export interface ForecastRow {
  period: string;
  date: string;
  forecast: number;
  forecastText: string;
  lower?: number;
  upper?: number;
  rangeText?: string;
  /** Only on rows whose method differs from the chart's (an entered forecast): see `methodTransform`. */
  method?: string;
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
 * // spec.layer → band, forecast line, baseline rule, actual line and points, targets, actions, the labels
 * //              ('Target 2030: 4.0%', 'Interim 2025: 6.0%', 'Baseline 2019'), the legend
 */
export function buildTurnTheCurveChart(input: TurnTheCurveInput): TopLevelSpec {
  // 1. The calendar of the indicator, and its total-slice points in period order.
  // 2. The inline datasets: actual (with the forecast at the same period), forecast, targets, baseline, actions.
  // 3. The plot's frame: a fixed y domain with room for the baseline label on top and the actions' lane at the
  //    bottom, the x domain of every date drawn; so every label's position can be decided here.
  // 4. The layers, back to front: interval band, forecast line, baseline rule, actual line and points, targets,
  //    actions; each with its own x encoding (a layer never inherits an x it cannot draw with: see stack.md's
  //    trap), and only when its dataset has rows (Vega warns of an "Infinite extent" for an empty one); "No data
  //    yet" when there is nothing to draw.
  // 5. The labels (final target, next interim target, baseline) where they cover nothing; the legend of every
  //    kind of mark drawn.
  // 6. The title and the subtitle in plain words (wrapped to the width), the description, theme and size.
  const { indicator, analysis, brand } = input;
  const calendar = calendarOf(indicator);
  const total = totalSeries(input.points, calendar);
  const width = input.width ?? CHART_SIZE.width;
  const height = input.height ?? CHART_SIZE.height;

  const actual = actualRows(indicator, analysis, total, calendar);
  const breaks = breakRows(total, calendar);
  const missing = missingRows(input.missing ?? [], calendar);
  const forecast = forecastRows(indicator, analysis, calendar);
  const targets = targetRows(indicator, calendar);
  // Without a value there is no baseline to mark (its label would sit on "No data yet": a chart of an indicator
  // whose periods are not published yet).
  const baseline = actual.length > 0 ? baselineRows(analysis, calendar) : [];
  const actions = actual.length > 0 ? actionRows(input.actions ?? [], height) : [];
  const actionLane = actions.length > 0 ? ACTION_LANE.label + ACTION_LANE.row * laneRows(actions) + 2 : 0;

  const frame = plotFrame({ actual, forecast, targets, baseline, actions, missing }, width, height, actionLane);
  const color = seriesColor(brand);
  const periods = [...actual, ...forecast, ...targets, ...baseline, ...missing].map((r) => r.period);
  const x = timeEncoding(periods, calendar, { width });
  const y: Y = {
    type: 'quantitative' as const,
    title: unitAxisTitle(indicator),
    scale: { domain: [...frame.yDomain], nice: false, zero: false },
    axis: { format: numberFormat(indicator.decimals), tickCount: 6 },
  };
  const anyProvisional = actual.some((r) => r.dataStatus === 'Provisional');
  const anyEstimated = actual.some((r) => r.dataStatus === 'Estimated');
  const anyUnverified = actual.some((r) => r.unverified);
  // The crosses of missing periods sit at the bottom of the plot, above the actions' lane.
  const missingY = height - actionLane - MISSING_MARK.offset;
  const labels =
    actual.length > 0 || targets.length > 0
      ? plotLabels({ actual, forecast, targets, baseline, actions, missing }, frame, actionLane, breaks)
      : { target: [], baseline: [] };
  const line = missing.length > 0 ? lineRows(actual, missing) : null;

  const layers: object[] = [
    ...(forecast.some((r) => r.lower !== undefined) ? [forecastBandLayer(x, y, methodOf(analysis))] : []),
    ...(forecast.length > 0 ? [forecastLineLayer(x, y, methodOf(analysis))] : []),
    ...(baseline.length > 0 ? [baselineRuleLayer(x)] : []),
    ...(breaks.length > 0 ? [breakRuleLayer(x)] : []),
    ...(missing.length > 0 ? [missingLayer(x, missingY)] : []),
    ...(actual.length > 0
      ? [
          actualLineLayer(x, y, color, line !== null),
          actualPointsLayer(x, y, color, { provisional: anyProvisional, estimated: anyEstimated }),
        ]
      : []),
    ...(anyUnverified ? [unverifiedLayer(x, y)] : []),
    ...(targets.length > 0 ? [targetLayer(x, y)] : []),
    ...(actions.length > 0 ? actionLayers(x, height - actionLane) : []),
    ...labels.target.map((label) => targetLabelLayer(x, y, label)),
    ...labels.baseline.map((label) => baselineLabelLayer(x, label)),
    ...(actual.length === 0 ? [noDataLayer()] : []),
  ];
  const entries = legendEntries(color, {
    actual: actual.length > 0,
    provisional: anyProvisional,
    estimated: anyEstimated,
    break: breaks.length > 0,
    missing: missing.length > 0 ? (missing.some((r) => r.suppressed) ? 'suppressed' : 'missing') : null,
    unverified: anyUnverified,
    forecast: forecast.length > 0,
    band: forecast.some((r) => r.lower !== undefined) ? bandLabel(analysis) : null,
    baseline: baseline.length > 0,
    interim: targets.some((t) => t.kind === 'Interim target'),
    target: targets.some((t) => t.kind === 'Target'),
    action: actions.length > 0,
  });
  if (entries.length > 1) layers.push(legendLayer(entries, legendColumns(width)));

  const characters = typeof width === 'number' ? Math.floor((width - 16) / (FONT_SIZE.subtitle * 0.55)) : 90;
  return {
    ...specHeader(),
    description: describeIndicator(indicator, analysis),
    title: {
      text: wrapText(input.title ?? indicator.name, Math.floor(characters * (FONT_SIZE.subtitle / FONT_SIZE.title))),
      subtitle: [curveHeadline(analysis.total.curve), progressHeadline(analysis.total.progress, indicator)].flatMap(
        (line) => wrapText(line, characters),
      ),
    },
    width,
    height,
    autosize: RESPONSIVE_AUTOSIZE,
    datasets: {
      [TURN_THE_CURVE_DATASETS.actual]: actual,
      [TURN_THE_CURVE_DATASETS.forecast]: forecast,
      [TURN_THE_CURVE_DATASETS.targets]: targets,
      [TURN_THE_CURVE_DATASETS.baseline]: baseline,
      ...(actions.length > 0 ? { [TURN_THE_CURVE_DATASETS.actions]: actions } : {}),
      ...(breaks.length > 0 ? { [TURN_THE_CURVE_DATASETS.breaks]: breaks } : {}),
      ...(missing.length > 0 ? { [TURN_THE_CURVE_DATASETS.missing]: missing } : {}),
      ...(line !== null ? { [TURN_THE_CURVE_DATASETS.line]: line } : {}),
    },
    layer: layers,
    usermeta: { engineVersion: analysis.engineVersion },
  } as TopLevelSpec;
}

interface ChartRows {
  actual: ActualRow[];
  forecast: ForecastRow[];
  targets: TargetRow[];
  baseline: BaselineRow[];
  actions: ActionRow[];
  missing: MissingRow[];
}

/** The cross under a missing period: its centre this many pixels above the plot's bottom (or the actions' lane). */
const MISSING_MARK = { offset: 7, size: 70 } as const;

/** Pixels kept free of data at the top of the plot for the baseline label. */
const TOP_LANE = 18;
/** The actions' lane at the bottom of the plot: a line for its name, then one row of bars per overlap. */
const ACTION_LANE = { label: 14, row: 7 } as const;
/** The narrowest chart the layout must hold at, and what its axes and padding take from the plot. */
const NARROWEST_CHART = 320;
const AXIS_ALLOWANCE = 70;

const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

function plotFrame(rows: ChartRows, width: number | 'container', height: number, actionLane: number): PlotFrame {
  const values = [
    ...rows.actual.map((r) => r.value),
    ...rows.forecast.flatMap((r) => [r.forecast, ...(r.lower !== undefined ? [r.lower, r.upper!] : [])]),
    ...rows.targets.map((r) => r.value),
  ];
  const dates = [
    ...[...rows.actual, ...rows.forecast, ...rows.targets, ...rows.baseline, ...rows.missing].map((r) => toMs(r.date)),
    ...rows.actions.flatMap((a) => [toMs(a.date), toMs(a.dateEnd)]),
  ];
  const chartWidth = typeof width === 'number' ? width : NARROWEST_CHART;
  return {
    height,
    minWidth: Math.max(160, Math.min(chartWidth, NARROWEST_CHART * 4) - AXIS_ALLOWANCE),
    xPadding: 12,
    xDomain: dates.length > 0 ? [Math.min(...dates), Math.max(...dates)] : [0, 1],
    yDomain: plotDomain(values, height, { top: rows.baseline.length > 0 ? TOP_LANE : 0, bottom: actionLane }),
  };
}

/**
 * The labels drawn on the plot: the final target and the next interim target (the first after the latest
 * value), beside their diamonds; the baseline, at the top of its rule. Each where it covers nothing.
 */
function plotLabels(
  rows: ChartRows,
  frame: PlotFrame,
  actionLane: number,
  breaks: readonly BreakRow[],
): { target: Array<PlacedLabel & TargetRow>; baseline: Array<PlacedLabel & BaselineRow> } {
  const latest = rows.actual.at(-1);
  const latestMs = latest ? toMs(latest.date) : -Infinity;
  const finalTarget = rows.targets.find((t) => t.kind === 'Target');
  const nextInterim = rows.targets.find((t) => t.kind === 'Interim target' && toMs(t.date) > latestMs);
  const wanted = [finalTarget, nextInterim].filter((t): t is TargetRow => t !== undefined);
  const requests: LabelRequest[] = wanted.map((t) => ({
    text: t.label,
    // Shorter forms where the longest does not fit (a phone): the period is on the x axis below it.
    forms: [[t.label], t.label.split(': '), [t.kind === 'Target' ? 'Target' : 'Interim', t.label.split(': ')[1]!]],
    x: toMs(t.date),
    y: t.value,
    fontSize: FONT_SIZE.small,
    gap: 9,
  }));
  // The baseline's label sits in the band kept free at the top of the plot, beside its rule.
  const [y0, y1] = frame.yDomain;
  const laneMiddle = y1 - (TOP_LANE / 2 / frame.height) * (y1 - y0);
  const missingValue = y0 + ((actionLane + MISSING_MARK.offset) / frame.height) * (y1 - y0);
  for (const b of rows.baseline)
    requests.push({ text: b.label, x: toMs(b.date), y: laneMiddle, fontSize: FONT_SIZE.small, gap: 4, fixedRow: true });
  const obstacles: Obstacle[] = [
    ...rows.actual.map((r) => ({ kind: 'point' as const, x: toMs(r.date), y: r.value, radius: 5 })),
    { kind: 'polyline', points: rows.actual.map((r) => [toMs(r.date), r.value] as const), halfWidth: 2 },
    { kind: 'polyline', points: rows.forecast.map((r) => [toMs(r.date), r.forecast] as const), halfWidth: 2 },
    ...rows.targets.map((r) => ({ kind: 'point' as const, x: toMs(r.date), y: r.value, radius: 7 })),
    ...rows.baseline.map((r) => ({ kind: 'vertical' as const, x: toMs(r.date), halfWidth: 1 })),
    ...breaks.map((r) => ({ kind: 'vertical' as const, x: toMs(r.date), halfWidth: 1 })),
    ...rows.missing.map((r) => ({ kind: 'point' as const, x: toMs(r.date), y: missingValue, radius: 5 })),
    // The ring around an unverified value.
    ...rows.actual
      .filter((r) => r.unverified)
      .map((r) => ({ kind: 'point' as const, x: toMs(r.date), y: r.value, radius: 9 })),
    ...(actionLane > 0 ? [{ kind: 'lane' as const, top: frame.height - actionLane, bottom: frame.height }] : []),
  ];
  const placed = placeLabels(requests, frame, obstacles);
  return {
    target: placed.flatMap((p) => wanted.filter((t) => t.label === p.text).map((t) => ({ ...t, ...p }))),
    baseline: placed.flatMap((p) => rows.baseline.filter((b) => b.label === p.text).map((b) => ({ ...b, ...p }))),
  };
}

/** "Expected range (90% prediction interval)". */
function bandLabel(analysis: IndicatorAnalysis): string {
  const level = analysis.total.forecast.level;
  return level === null ? LEGEND_LABELS.band : `${LEGEND_LABELS.band} (${Math.round(level * 100)}%)`;
}

/** One legend entry per kind of mark the chart draws, each drawn as the mark looks. */
function legendEntries(
  color: string,
  present: {
    actual: boolean;
    provisional: boolean;
    estimated: boolean;
    break: boolean;
    /** Which label the crosses take: missing periods only, or suppressed ones among them. */
    missing: 'missing' | 'suppressed' | null;
    unverified: boolean;
    forecast: boolean;
    band: string | null;
    baseline: boolean;
    interim: boolean;
    target: boolean;
    action: boolean;
  },
): LegendEntry[] {
  const entries: LegendEntry[] = [];
  const add = (on: boolean, label: string, symbol: string, fill: string, stroke: string) => {
    if (on) entries.push({ label, symbol, fill, stroke });
  };
  add(present.actual, LEGEND_LABELS.actual, LEGEND_SYMBOLS.lineWithPoint, color, color);
  add(present.provisional, LEGEND_LABELS.provisional, LEGEND_SYMBOLS.point, '#ffffff', color);
  add(present.estimated, LEGEND_LABELS.estimated, LEGEND_SYMBOLS.square, '#ffffff', color);
  add(present.unverified, LEGEND_LABELS.unverified, LEGEND_SYMBOLS.ring, 'transparent', COLORS.unverified);
  add(present.forecast, LEGEND_LABELS.forecast, LEGEND_SYMBOLS.dashedLine, 'transparent', COLORS.forecast);
  add(present.band !== null, present.band ?? '', LEGEND_SYMBOLS.band, BAND_LEGEND_FILL, BAND_LEGEND_FILL);
  add(present.baseline, LEGEND_LABELS.baseline, LEGEND_SYMBOLS.dottedRule, 'transparent', COLORS.baselineRule);
  add(present.break, LEGEND_LABELS.break, LEGEND_SYMBOLS.dashDotRule, 'transparent', COLORS.breakRule);
  add(
    present.missing !== null,
    LEGEND_LABELS[present.missing ?? 'missing'],
    LEGEND_SYMBOLS.cross,
    'transparent',
    COLORS.mutedText,
  );
  add(present.interim, LEGEND_LABELS.interim, LEGEND_SYMBOLS.diamond, '#ffffff', COLORS.target);
  add(present.target, LEGEND_LABELS.target, LEGEND_SYMBOLS.diamond, COLORS.target, COLORS.target);
  add(present.action, LEGEND_LABELS.action, LEGEND_SYMBOLS.bar, COLORS.mutedText, COLORS.mutedText);
  return entries;
}

/** The band's colour as it shows on white (the forecast colour at the band's opacity). */
const BAND_LEGEND_FILL = '#dfe2e5';

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
      dataStatus: pointKind(p),
    };
    const status = statusText(p);
    if (status !== null) row.status = status;
    if (p.note) row.note = p.note;
    if (p.footnote) row.footnote = p.footnote;
    if (p.unverified) row.unverified = true;
    const f = forecastAt.get(p.period);
    if (f !== undefined) row.forecastText = formatValue(f, indicator);
    return row;
  });
}

/** The total's breaks in series (OBS_STATUS B), in period order. */
function breakRows(total: readonly ChartPoint[], calendar: PeriodCalendar): BreakRow[] {
  return total
    .filter((p) => p.obsStatus === 'B')
    .map((p) => ({
      period: p.period,
      date: periodStart(p.period, calendar),
      status: STATUS_WORDS.break,
      ...(p.footnote ? { footnote: p.footnote } : {}),
    }));
}

/** The total's periods marked missing (OBS_STATUS M), in period order. */
function missingRows(missing: readonly MissingPoint[], calendar: PeriodCalendar): MissingRow[] {
  return sortByPeriod(
    missing.filter((p) => Object.keys(p.disaggregation).length === 0),
    calendar,
  ).map((p) => ({
    period: p.period,
    date: periodStart(p.period, calendar),
    status: p.suppressed ? STATUS_WORDS.suppressed : STATUS_WORDS.missing,
    ...(p.footnote ? { footnote: p.footnote } : {}),
    ...(p.suppressed ? { suppressed: true } : {}),
  }));
}

/** The actual line's points with a null value at each missing period: Vega-Lite breaks a line at a null. */
function lineRows(actual: readonly ActualRow[], missing: readonly MissingRow[]) {
  return [
    ...actual.map((r) => ({ date: r.date, value: r.value as number | null })),
    ...missing.map((r) => ({ date: r.date, value: null })),
  ].sort((a, b) => toMs(a.date) - toMs(b.date));
}

const METHOD_WORDS: Record<ForecastMethod, string> = {
  ets: 'Exponential smoothing of the history',
  ols: 'Straight-line trend of the history (least squares)',
  two_point: 'Straight line through the two historical points',
  flat: 'Flat at the only historical value',
  manual: 'Entered by the workgroup',
};

/**
 * A value rounded for drawing: to the indicator's decimals plus one (a pixel never shows more), at most 4.
 *
 * @example roundTo(6.1212768361581915, 1) // 6.12
 */
export function roundTo(value: number, decimals: number | null): number {
  const places = Math.min(4, (decimals ?? 2) + 1);
  return Math.round(value * 10 ** places) / 10 ** places;
}

/** How the forecast was computed, in words (a manual row says so itself). */
function methodOf(analysis: IndicatorAnalysis): string {
  return METHOD_WORDS[analysis.total.forecast.computedMethod ?? 'flat'];
}

function forecastRows(indicator: ChartIndicator, analysis: IndicatorAnalysis, calendar: PeriodCalendar): ForecastRow[] {
  const forecast = analysis.total.forecast;
  const level = forecast.level === null ? null : Math.round(forecast.level * 100);
  return forecast.points.map((f) => {
    const method = f.source === 'manual' ? METHOD_WORDS.manual : METHOD_WORDS[forecast.computedMethod ?? 'flat'];
    const row: ForecastRow = {
      period: f.period,
      date: periodStart(f.period, calendar),
      forecast: roundTo(f.value, indicator.decimals),
      forecastText: formatValue(f.value, indicator),
    };
    // The method is the same for every computed row: it travels once, in the layers' transforms.
    if (method !== methodOf(analysis)) row.method = method;
    if (f.lower !== null && f.upper !== null) {
      row.lower = roundTo(f.lower, indicator.decimals);
      row.upper = roundTo(f.upper, indicator.decimals);
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
    label: `Interim ${t.period}: ${shortValue(t.value, indicator)}`,
  }));
  if (indicator.target) {
    const t = indicator.target;
    rows.push({
      period: t.period,
      date: periodStart(t.period, calendar),
      value: t.value,
      valueText: formatValue(t.value, indicator),
      kind: 'Target',
      label: `Target ${t.period}: ${shortValue(t.value, indicator)}`,
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
  /** The bar's row in the actions' lane (0 = the bottom one) and its vertical position in pixels. */
  row: number;
  laneY: number;
}

/**
 * The actions in start order, each in the lowest row of the lane where it overlaps no earlier one.
 *
 * @example actionRows([a(2024-01-01 → 2024-03-31), b(2024-02-01 → 2024-06-30), c(2024-05-01 → …)], 320)
 * // rows 0, 1, 0
 */
function actionRows(actions: readonly ChartAction[], height: number): ActionRow[] {
  const sorted = [...actions].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const rowEnds: string[] = [];
  return sorted.map((a) => {
    let row = rowEnds.findIndex((end) => end < a.start);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = a.due;
    return {
      date: a.start,
      dateEnd: a.due,
      title: a.quickWin ? `${a.title} (quick win)` : a.title,
      when: `${a.start} to ${a.due}`,
      statusText: a.overdue ? `${a.status.replaceAll('_', ' ')}, overdue` : a.status.replaceAll('_', ' '),
      owner: a.ownerPartnerName ?? '',
      row,
      laneY: height - 5 - row * ACTION_LANE.row,
    };
  });
}

function laneRows(actions: readonly ActionRow[]): number {
  return Math.max(0, ...actions.map((a) => a.row + 1));
}

// ---------------------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------------------

/**
 * The actions' lane along the bottom of the plot: its name, "Actions", then a bar from start to due per action
 * (overlapping actions on rows of their own), details in the tooltip. `laneTop`: the lane's top in pixels.
 */
export function actionLayers(x: X, laneTop: number) {
  const data = { name: TURN_THE_CURVE_DATASETS.actions };
  return [
    {
      data,
      transform: tooltipTransforms([
        ['Action', 'title'],
        ['When', 'when'],
        ['Status', 'statusText'],
        ['Owner', 'owner'],
      ]),
      mark: { type: 'rule' as const, color: COLORS.mutedText, strokeWidth: 4, strokeCap: 'round' as const },
      encoding: {
        x,
        x2: { field: 'dateEnd' },
        y: { field: 'laneY', type: 'quantitative' as const, scale: null },
        ...tooltipEncoding(),
      },
    },
    {
      data: { values: [{ text: 'Actions' }] },
      mark: {
        type: 'text' as const,
        align: 'left' as const,
        baseline: 'top' as const,
        color: COLORS.mutedText,
        fontSize: FONT_SIZE.small,
        aria: false,
      },
      encoding: { x: { value: 2 }, y: { value: laneTop + 1 }, text: { field: 'text', type: 'nominal' as const } },
    },
  ];
}

type X = ReturnType<typeof timeEncoding>;
interface Y {
  type: 'quantitative';
  title: string | null;
  scale: { domain: number[]; nice: boolean; zero: boolean };
  axis: { format: string; tickCount: number };
}

/** The prediction-interval band of the baseline forecast: an area between `lower` and `upper`, low opacity. */
export function forecastBandLayer(x: X, y: Y, method: string) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.forecast },
    transform: [
      { filter: 'isValid(datum.lower) && isValid(datum.upper)' },
      methodTransform(method),
      ...tooltipTransforms(FORECAST_TOOLTIP),
    ],
    // The band repeats the forecast line's tooltip; screen readers get it from the line alone.
    mark: { type: 'area' as const, color: COLORS.forecast, opacity: BAND_OPACITY, aria: false },
    encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, ...tooltipEncoding() },
  };
}

/** The forecast method of rows that do not name their own. */
function methodTransform(method: string) {
  return { calculate: `isValid(datum.method) ? datum.method : ${JSON.stringify(method)}`, as: 'method' };
}

/** The baseline forecast: a dashed line. */
export function forecastLineLayer(x: X, y: Y, method: string) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.forecast },
    transform: [methodTransform(method), ...tooltipTransforms(FORECAST_TOOLTIP)],
    mark: { type: 'line' as const, strokeDash: [6, 4], strokeWidth: 2, color: COLORS.forecast },
    encoding: { x, y: { ...y, field: 'forecast' }, ...tooltipEncoding() },
  };
}

/** A vertical rule at the baseline period. It encodes only `x`, in its own layer, so it spans the plot's height. */
export function baselineRuleLayer(x: X) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.baseline },
    transform: tooltipTransforms([['Baseline period', 'period']]),
    mark: { type: 'rule' as const, color: COLORS.baselineRule, strokeDash: [2, 3], strokeWidth: 1.5 },
    encoding: { x, ...tooltipEncoding() },
  };
}

/** "Baseline 2019" in the band kept free at the top of the plot, beside its rule (see `plotLabels`). */
function baselineLabelLayer(x: X, label: PlacedLabel & BaselineRow) {
  return {
    data: { values: [{ date: label.date, label: label.text }] },
    mark: { ...BASELINE_LABEL_MARK, align: label.align, baseline: 'middle' as const, dx: label.dx, dy: 0 },
    encoding: { x, y: { value: TOP_LANE / 2 }, text: { field: 'label', type: 'nominal' as const } },
  };
}

/** The actual values: a solid line in the series colour, broken at missing periods (`withGaps`). */
export function actualLineLayer(x: X, y: Y, color: string, withGaps = false) {
  return {
    data: { name: withGaps ? TURN_THE_CURVE_DATASETS.line : TURN_THE_CURVE_DATASETS.actual },
    // Screen readers get each value from the points layer.
    mark: { type: 'line' as const, aria: false, color },
    encoding: { x, y: { ...y, field: 'value' } },
  };
}

/**
 * The actual values as points: filled when final, hollow (white fill) when provisional, hollow squares when
 * estimated. The tooltip gives the period, value, status (with "Unverified"), forecast, note and footnote.
 */
export function actualPointsLayer(x: X, y: Y, color: string, present: { provisional: boolean; estimated: boolean }) {
  const hollow =
    present.provisional || present.estimated
      ? { condition: { test: "datum.dataStatus !== 'Final'", value: '#ffffff' }, value: color }
      : { value: color };
  return {
    data: { name: TURN_THE_CURVE_DATASETS.actual },
    transform: tooltipTransforms(ACTUAL_TOOLTIP),
    mark: { type: 'point' as const, filled: true, opacity: 1, size: 60, stroke: color, strokeWidth: 2 },
    encoding: {
      x,
      y: { ...y, field: 'value' },
      fill: hollow,
      ...(present.estimated
        ? { shape: { condition: { test: "datum.dataStatus === 'Estimated'", value: 'square' }, value: 'circle' } }
        : {}),
      ...tooltipEncoding(),
    },
  };
}

/**
 * A dashed ring around each unverified value (a data-quality flag nobody has acknowledged). It repeats the
 * point's tooltip, whose status says "Unverified"; screen readers hear it from the point.
 */
export function unverifiedLayer(x: X, y: Y) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.actual },
    transform: [{ filter: 'datum.unverified === true' }, ...tooltipTransforms(ACTUAL_TOOLTIP)],
    mark: {
      type: 'point' as const,
      shape: 'circle',
      size: 260,
      filled: false,
      opacity: 1,
      stroke: COLORS.unverified,
      strokeWidth: 1.5,
      strokeDash: [3, 2],
      aria: false,
    },
    encoding: { x, y: { ...y, field: 'value' }, ...tooltipEncoding() },
  };
}

/** A dash-dot vertical rule at each break in series, spanning the plot; the footnote in the tooltip. */
export function breakRuleLayer(x: X) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.breaks },
    transform: tooltipTransforms([
      ['Period', 'period'],
      ['Status', 'status'],
      ['Footnote', 'footnote'],
    ]),
    mark: { type: 'rule' as const, color: COLORS.breakRule, strokeDash: [6, 3, 1.5, 3], strokeWidth: 1.5 },
    encoding: { x, ...tooltipEncoding() },
  };
}

/** A cross at the bottom of the plot under each period marked missing (at `yPixel`); the footnote in the tooltip. */
export function missingLayer(x: X, yPixel: number) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.missing },
    transform: tooltipTransforms([
      ['Period', 'period'],
      ['Status', 'status'],
      ['Footnote', 'footnote'],
    ]),
    mark: {
      type: 'point' as const,
      shape: LEGEND_SYMBOLS.cross,
      size: MISSING_MARK.size,
      filled: false,
      opacity: 1,
      stroke: COLORS.mutedText,
      strokeWidth: 2,
    },
    encoding: { x, y: { value: yPixel }, ...tooltipEncoding() },
  };
}

/** The target (a filled diamond) and interim targets (hollow diamonds); values in the tooltips. */
export function targetLayer(x: X, y: Y) {
  return {
    data: { name: TURN_THE_CURVE_DATASETS.targets },
    transform: tooltipTransforms(TARGET_TOOLTIP),
    mark: { type: 'point' as const, shape: 'diamond', size: 130, strokeWidth: 2, opacity: 1, stroke: COLORS.target },
    encoding: {
      x,
      y: { ...y, field: 'value' },
      fill: { condition: { test: "datum.kind === 'Target'", value: COLORS.target }, value: '#ffffff' },
      ...tooltipEncoding(),
    },
  };
}

const LABEL_LINE_HEIGHT = FONT_SIZE.small + 2;

/** A target's label where the layout put it (see `plotLabels`). */
function targetLabelLayer(x: X, y: Y, label: PlacedLabel & TargetRow) {
  return {
    data: { values: [{ date: label.date, value: label.value, label: label.lines }] },
    mark: {
      type: 'text' as const,
      align: label.align,
      baseline: 'middle' as const,
      dx: label.dx,
      // Lines run down from the first: centre the block on the place found.
      dy: label.dy - ((label.lines.length - 1) * LABEL_LINE_HEIGHT) / 2,
      lineHeight: LABEL_LINE_HEIGHT,
      color: COLORS.text,
      fontSize: FONT_SIZE.small,
      aria: false,
    },
    encoding: { x, y: { ...y, field: 'value' }, text: { field: 'label', type: 'nominal' as const } },
  };
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
