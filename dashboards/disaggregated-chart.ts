/**
 * The disaggregated chart: one line per group (disaggregation slice) of an indicator, the reference group
 * emphasised, and each group's equity gap against the reference over time.
 *
 * Why a second panel for the gaps rather than a layer over the values: the gaps are differences around 0 while
 * the values sit around their own level, so one y axis for both would flatten one or the other (or need a second,
 * confusing y axis). A small panel below, on the same time axis and with the same colour per group, reads as "how
 * far each group is from the reference, period by period", with the reference as the 0 line; the shared x scale
 * keeps every period aligned with the values above it.
 *
 * Slices over different sets of dimensions (by race, and separately by neighbourhood) are never mixed: each set
 * gets its own pair of panels, stacked, with its own reference (the indicator's `referenceGroup` when it is over
 * that set, else the total, as the engine does).
 *
 * Pure: data in, a Vega-Lite spec with its data inline out.
 */
import { pointKind, statusText, type PointKind } from './observation-status.ts';
import type { TopLevelSpec } from 'vega-lite';
import { sliceKey } from '../server/engine/analyze-indicator.ts';
import { type PeriodCalendar, periodIndex } from '../server/engine/periods.ts';
import type { DisaggregatedSlice, IndicatorAnalysis } from '../server/engine/types.ts';
import { describeEquityGaps } from './summary-text.ts';
import {
  BASELINE_LABEL_MARK,
  CHART_SIZE,
  COLORS,
  CONCAT_AUTOSIZE,
  FONT_SIZE,
  GROUP_PALETTE,
  RESPONSIVE_AUTOSIZE,
  formatDifference,
  formatValue,
  numberFormat,
  seriesColor,
  specHeader,
  unitAxisTitle,
  unitTitle,
  wrapText,
} from './theme.ts';
import { periodStart, timeEncoding } from './time-axis.ts';
import { type TooltipEntry, tooltipEncoding, tooltipTransforms } from './tooltip.ts';
import { calendarOf, noDataLayer, sortByPeriod } from './turn-the-curve-chart.ts';
import type { Brand, ChartIndicator, ChartPoint, MissingPoint } from './types.ts';

export interface DisaggregatedInput {
  indicator: ChartIndicator;
  /** `analyzeIndicator(indicator, points)`: its `slices` carry each group's equity gap. */
  analysis: IndicatorAnalysis;
  /** The indicator's data points, every slice. */
  points: readonly ChartPoint[];
  brand: Brand | null;
  /** Defaults to "<name> by <dimensions>". */
  title?: string;
  /**
   * The chart's width in pixels (default 640, 320 to 1,280): the panels, legend columns and wrapped titles are
   * laid out for it. `'container'` (a page's width) is drawn at the default: stacked panels cannot follow a width.
   */
  width?: number | 'container';
  /** Periods without a value (missing, or suppressed in public: small counts); the subtitle says when groups have suppressed cells. */
  missing?: readonly MissingPoint[];
}

/** One group's value at one period. */
export interface GroupValueRow {
  group: string;
  period: string;
  date: string;
  value: number;
  valueText: string;
  /** Provisional and estimated values are drawn hollow. */
  dataStatus: PointKind;
  /** Its status in words (observation-status.ts): provisional, estimated, break in series, unverified. */
  status?: string;
  note?: string;
  footnote?: string;
  reference: boolean;
  /** 1 for the groups drawn in colour, less for the others (see `pickOpacity`). */
  baseOpacity?: number;
}

/** One group's gap from the reference at one period. */
export interface GroupGapRow {
  group: string;
  period: string;
  date: string;
  gap: number;
  gapText: string;
  narrowing?: string;
  baseOpacity?: number;
}

/** A set of slices over the same dimensions, with the reference they are compared with. */
interface Section {
  /** Names of its inline datasets (top-level `datasets`, so no row is repeated in every layer that draws it). */
  data: { values: string; gaps: string; baseline: string };
  dimensions: string[];
  /** Legend labels in display order; the reference first. */
  groups: string[];
  referenceLabel: string;
  referenceName: string;
  colors: string[];
  values: GroupValueRow[];
  gaps: GroupGapRow[];
  baseline: { period: string; date: string }[];
  periods: string[];
  best: string | null;
  worst: string | null;
  /** The groups drawn in colour: the reference, the best- and worst-off. */
  highlighted: string[];
  /** Legend columns that fit the chart's width. */
  legendColumns: number;
}

/** The groups not highlighted: grey, thin, behind (WCAG 1.4.11 does not apply to context lines). */
const OTHER_GROUP_COLOR = '#b3bbc4';

/** The selection a click on the legend makes (a group highlighted, the others faded). */
const PICK = 'pick';

/**
 * As many legend columns as fit the width, each as wide as the longest name (11–12 px text, a symbol, a gap).
 *
 * @example legendColumnsFor(['White (reference)', 'Black', 'Hispanic'], 375) // 2
 */
function legendColumnsFor(groups: readonly string[], chartWidth: number): number {
  const longest = Math.max(...groups.map((g) => g.length));
  const column = longest * FONT_SIZE.label * 0.55 + 34;
  return Math.max(1, Math.min(groups.length, Math.floor((chartWidth - 16) / column)));
}

/** The best- and worst-off groups by their latest values (null when fewer than two have data). */
function bestAndWorst(
  slices: readonly DisaggregatedSlice[],
  indicator: ChartIndicator,
): { best: DisaggregatedSlice | null; worst: DisaggregatedSlice | null } {
  const withData = slices.filter((s) => s.latest !== null);
  if (withData.length < 2) return { best: null, worst: null };
  const better = indicator.polarity === 'lower_is_better' ? -1 : 1;
  const sorted = [...withData].sort((a, b) => better * (b.latest!.value - a.latest!.value));
  return { best: sorted[0]!, worst: sorted.at(-1)! };
}

/** "best off: Finance (blue), worst off: Construction (vermillion)" in words, for the subtitle. */
function highlightWords(section: Section): string {
  if (!section.best || !section.worst) return 'each group in its colour';
  return `best off now: ${section.best}; worst off: ${section.worst}; other groups in grey`;
}

const REFERENCE_SUFFIX = ' (reference)';

/**
 * The disaggregated chart of an indicator: values by group above, gaps from the reference below.
 *
 * @example
 * const analysis = analyzeIndicator(engineIndicator, points); // points by race_ethnicity, referenceGroup White
 * buildDisaggregatedChart({ indicator, analysis, points, brand: null });
 * // { title: 'Unemployment rate by race ethnicity', vconcat: [valuesPanel, gapPanel], … }
 * // legend: 'White (reference)', 'Black', 'Hispanic'; gap panel: Black +5.1, Hispanic +2.6 points in 2023
 */
export function buildDisaggregatedChart(input: DisaggregatedInput): TopLevelSpec {
  // 1. Group the analysed slices by their set of dimensions; each set is compared with its own reference.
  // 2. For each set: the rows of every group's values (the reference included) and of every group's gap.
  // 3. Colours: the reference in the series colour (the total) or near-black (a group), thicker; the other
  //    groups in the colour-blind-safe palette, skipping colours close to the reference's.
  // 4. Each set → a values panel (lines, points, a "reference" label, the baseline rule) above a gap panel
  //    (a 0 line for the reference, a line per group), sharing the time axis.
  // 5. One set → those two panels; several → their sections stacked. No slices → a "no data" chart.
  //    The rows travel once, in top-level `datasets`, however many layers draw them.
  const { indicator, analysis } = input;
  const calendar = calendarOf(indicator);
  const chartWidth = typeof input.width === 'number' ? input.width : CHART_SIZE.width;
  // The plot: the chart less the y axis, its title and the padding.
  const width = chartWidth - 92;
  const characters = Math.floor((chartWidth - 16) / (FONT_SIZE.subtitle * 0.55));
  const sections = buildSections(input, calendar);
  const title =
    input.title ?? `${indicator.name}${sections.length === 1 ? ` by ${dimensionWords(sections[0]!.dimensions)}` : ''}`;
  const description = describeEquityGaps(indicator, analysis, (d) => groupLabel(d, indicator));
  // Withheld small counts leave gaps in the groups' lines: the subtitle says why (the table lists them).
  const suppressedNote = (input.missing ?? []).some((m) => m.suppressed && Object.keys(m.disaggregation).length > 0)
    ? ' Small counts are suppressed to protect privacy (gaps in the lines).'
    : '';

  if (sections.length === 0) {
    return {
      ...specHeader(),
      description,
      title: { text: title, subtitle: 'No data by group yet' },
      width: CHART_SIZE.width,
      height: 120,
      autosize: RESPONSIVE_AUTOSIZE,
      layer: [noDataLayer()],
    } as TopLevelSpec;
  }

  const panels = sections.map((section) =>
    sectionPanels(section, indicator, calendar, width, sections.length > 1, characters),
  );
  const datasets = Object.fromEntries(
    sections.flatMap((section) => [
      [section.data.values, section.values],
      [section.data.gaps, section.gaps],
      [section.data.baseline, section.baseline],
    ]),
  );
  return {
    ...specHeader(),
    description,
    datasets,
    title:
      sections.length === 1
        ? {
            text: wrapText(title, Math.floor(characters * 0.8)),
            subtitle: wrapText(
              `Compared with ${sections[0]!.referenceName}; ${highlightWords(sections[0]!)}. Select a group in the legend to highlight it.${suppressedNote}`,
              characters,
            ),
          }
        : {
            text: wrapText(title, Math.floor(characters * 0.8)),
            ...(suppressedNote && { subtitle: wrapText(suppressedNote.trim(), characters) }),
          },
    autosize: CONCAT_AUTOSIZE,
    // One set: its two panels share time and colours (one legend). Several: each section has its own groups,
    // colours and legend; within a section the panels still share them (`sectionPanels`).
    ...(panels.length === 1
      ? { vconcat: panels[0]!.vconcat, resolve: panels[0]!.resolve }
      : { vconcat: panels, resolve: { scale: { x: 'shared', color: 'independent', stroke: 'independent' } } }),
    usermeta: { engineVersion: analysis.engineVersion },
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------

function buildSections(input: DisaggregatedInput, calendar: PeriodCalendar): Section[] {
  const { indicator, analysis } = input;
  const bySet = new Map<string, DisaggregatedSlice[]>();
  for (const slice of analysis.slices) {
    const key = JSON.stringify(dimensionsOf(slice.disaggregation, indicator));
    bySet.set(key, [...(bySet.get(key) ?? []), slice]);
  }
  const pointsBySlice = new Map<string, ChartPoint[]>();
  for (const p of input.points) {
    const key = sliceKey(p.disaggregation);
    pointsBySlice.set(key, [...(pointsBySlice.get(key) ?? []), p]);
  }
  const baselinePeriod = analysis.inputs.baselinePeriod;
  const baseline = baselinePeriod ? [{ period: baselinePeriod, date: periodStart(baselinePeriod, calendar) }] : [];

  const chartWidth = typeof input.width === 'number' ? input.width : CHART_SIZE.width;
  return [...bySet.values()].map((slices, index) => {
    const dimensions = dimensionsOf(slices[0]!.disaggregation, indicator);
    const ordered = orderSlices(slices, indicator);
    // The reference is the slice whose gap is null (the reference group itself), else the total.
    const referenceSlice = ordered.find((s) => s.gap === null) ?? null;
    const referenceName = referenceSlice ? groupLabel(referenceSlice.disaggregation, indicator) : 'the total';
    const referenceLabel = `${referenceSlice ? referenceName : 'Total'}${REFERENCE_SUFFIX}`;
    const referencePoints = pointsBySlice.get(sliceKey(referenceSlice?.disaggregation ?? {})) ?? [];

    const others = ordered.filter((s) => s !== referenceSlice);
    const groups = [referenceLabel, ...others.map((s) => groupLabel(s.disaggregation, indicator))];
    const referenceColor = referenceSlice ? COLORS.text : seriesColor(input.brand);
    // The best- and worst-off groups (latest value, by polarity) in two distinct colours; the rest grey.
    const { best, worst } = bestAndWorst(others, indicator);
    const [bestColor, worstColor] = paletteAvoiding(referenceColor, 2);
    const colors = [
      referenceColor,
      ...others.map((s) => (s === best ? bestColor! : s === worst ? worstColor! : OTHER_GROUP_COLOR)),
    ];
    const highlighted = [
      ...(best ? [groupLabel(best.disaggregation, indicator)] : []),
      ...(worst && worst !== best ? [groupLabel(worst.disaggregation, indicator)] : []),
    ];

    const values = [
      ...valueRows(referenceLabel, referencePoints, true, indicator, calendar),
      ...others.flatMap((s) =>
        valueRows(
          groupLabel(s.disaggregation, indicator),
          pointsBySlice.get(sliceKey(s.disaggregation)) ?? [],
          false,
          indicator,
          calendar,
        ),
      ),
    ];
    const gaps = others.flatMap((s) => gapRows(groupLabel(s.disaggregation, indicator), s, indicator, calendar));
    const inColour = new Set([referenceLabel, ...highlighted]);
    for (const row of [...values, ...gaps]) row.baseOpacity = inColour.has(row.group) ? 1 : 0.55;
    const periods = [...values, ...gaps, ...baseline].map((r) => r.period);
    const data = { values: `values_${index}`, gaps: `gaps_${index}`, baseline: `baseline_${index}` };
    return {
      data,
      dimensions,
      groups,
      referenceLabel,
      referenceName,
      colors,
      values,
      gaps,
      baseline,
      periods,
      best: best ? groupLabel(best.disaggregation, indicator) : null,
      worst: worst && worst !== best ? groupLabel(worst.disaggregation, indicator) : null,
      highlighted: [referenceLabel, ...highlighted],
      legendColumns: legendColumnsFor(groups, chartWidth),
    };
  });
}

function valueRows(
  group: string,
  points: readonly ChartPoint[],
  reference: boolean,
  indicator: ChartIndicator,
  calendar: PeriodCalendar,
): GroupValueRow[] {
  return sortByPeriod(points, calendar).map((p) => {
    const row: GroupValueRow = {
      group,
      period: p.period,
      date: periodStart(p.period, calendar),
      value: p.value,
      valueText: formatValue(p.value, indicator),
      dataStatus: pointKind(p),
      reference,
    };
    const status = statusText(p);
    if (status !== null) row.status = status;
    if (p.note) row.note = p.note;
    if (p.footnote) row.footnote = p.footnote;
    return row;
  });
}

function gapRows(
  group: string,
  slice: DisaggregatedSlice,
  indicator: ChartIndicator,
  calendar: PeriodCalendar,
): GroupGapRow[] {
  const gap = slice.gap;
  if (!gap) return [];
  const narrowing =
    gap.narrowing === null
      ? undefined
      : `${gap.narrowing ? 'Narrower' : 'Not narrower'} than at the ${gap.baselineGapPeriod} baseline (${signed(gap.baselineGap!, indicator)})`;
  return gap.points.map((g) => {
    const row: GroupGapRow = {
      group,
      period: g.period,
      date: periodStart(g.period, calendar),
      gap: g.gap,
      gapText: signed(g.gap, indicator),
    };
    if (narrowing) row.narrowing = narrowing;
    return row;
  });
}

/** A difference with its sign: "+5.1 percentage points", "-0.3 percentage points", "0 people". */
function signed(difference: number, indicator: ChartIndicator): string {
  const size = formatDifference(difference, indicator);
  const zero = formatDifference(0, indicator);
  if (size === zero) return size;
  return `${difference > 0 ? '+' : '-'}${size}`;
}

/** The dimensions of a slice, in the indicator's declared order (then by name). */
function dimensionsOf(disaggregation: Record<string, string>, indicator: ChartIndicator): string[] {
  const declared = indicator.dimensions.map((d) => d.name);
  const rank = (name: string) => {
    const i = declared.indexOf(name);
    return i === -1 ? declared.length : i;
  };
  return Object.keys(disaggregation).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A group's name: its values in the indicator's dimension order, joined by " · ".
 *
 * @example groupLabel({ sex: 'Female', race_ethnicity: 'Black' }, indicatorWithRaceThenSex) // 'Black · Female'
 */
export function groupLabel(
  disaggregation: Record<string, string>,
  indicator: Pick<ChartIndicator, 'dimensions'>,
): string {
  return dimensionsOf(disaggregation, indicator as ChartIndicator)
    .map((d) => disaggregation[d]!)
    .join(' · ');
}

/** Slices in the order of their values as the indicator declares them (then by label). */
function orderSlices(slices: readonly DisaggregatedSlice[], indicator: ChartIndicator): DisaggregatedSlice[] {
  const rankOf = (s: DisaggregatedSlice) =>
    dimensionsOf(s.disaggregation, indicator).map((name) => {
      const values = indicator.dimensions.find((d) => d.name === name)?.values ?? [];
      const i = values.indexOf(s.disaggregation[name]!);
      return i === -1 ? values.length : i;
    });
  return [...slices].sort((a, b) => {
    const ra = rankOf(a);
    const rb = rankOf(b);
    for (let i = 0; i < Math.min(ra.length, rb.length); i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    const la = groupLabel(a.disaggregation, indicator);
    const lb = groupLabel(b.disaggregation, indicator);
    return la < lb ? -1 : la > lb ? 1 : 0;
  });
}

/** "race ethnicity", "race ethnicity and sex". */
function dimensionWords(dimensions: readonly string[]): string {
  return dimensions.map((d) => d.replace(/_/g, ' ')).join(' and ');
}

/**
 * `count` colours of the group palette (repeating when there are more groups than colours), leaving out
 * near-black and any colour close to `avoid` (RGB distance under 100), so no group looks like the reference.
 */
function paletteAvoiding(avoid: string, count: number): string[] {
  const rgb = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  const a = rgb(avoid);
  const usable = GROUP_PALETTE.filter((c) => {
    const b = rgb(c);
    const distance = Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
    return distance >= 100 && c !== '#000000';
  });
  return Array.from({ length: count }, (_, i) => usable[i % usable.length]!);
}

// ---------------------------------------------------------------------------------------------------------
// Panels and layers
// ---------------------------------------------------------------------------------------------------------

const VALUE_TOOLTIP: TooltipEntry[] = [
  ['Group', 'group'],
  ['Period', 'period'],
  ['Value', 'valueText'],
  ['Status', 'status'],
  ['Note', 'note'],
  ['Footnote', 'footnote'],
];
const GAP_TOOLTIP: TooltipEntry[] = [
  ['Group', 'group'],
  ['Period', 'period'],
  ['Gap from the reference', 'gapText'],
  ['Since the baseline', 'narrowing'],
];

function sectionPanels(
  section: Section,
  indicator: ChartIndicator,
  calendar: PeriodCalendar,
  width: number,
  titled: boolean,
  characters: number,
) {
  const x = timeEncoding(section.periods, calendar, { width: width + 92 });
  const valuesPanel = {
    ...(titled
      ? {
          title: {
            text: wrapText(
              `By ${dimensionWords(section.dimensions)}, compared with ${section.referenceName}`,
              characters,
            ),
            fontSize: FONT_SIZE.subtitle,
          },
        }
      : {}),
    width,
    height: 260,
    layer: [
      ...(section.baseline.length > 0 ? [baselineRuleLayer(section, x), baselineLabelLayer(section, x, calendar)] : []),
      ...groupLinesLayers(section, x, indicator),
      groupPointsLayer(section, x, indicator),
    ],
  };
  const gapPanel = {
    title: {
      text: wrapText(`Gap from ${section.referenceName}`, characters),
      subtitle: wrapText(
        `Each group minus ${section.referenceName} (the 0 line); ${
          indicator.polarity === 'lower_is_better' ? 'lower' : 'higher'
        } is better for this indicator`,
        Math.floor(characters * 1.15),
      ),
      fontSize: FONT_SIZE.label,
      subtitleFontSize: FONT_SIZE.small,
    },
    width,
    height: 140,
    layer: [
      ...(section.baseline.length > 0 ? [baselineRuleLayer(section, x)] : []),
      referenceZeroLayer(section),
      ...(section.gaps.length > 0 ? gapLayers(section, x, indicator) : []),
    ],
  };
  return {
    vconcat: [valuesPanel, gapPanel],
    resolve: {
      scale: { x: 'shared' as const, y: 'independent' as const, color: 'shared' as const, stroke: 'shared' as const },
    },
  };
}

type X = ReturnType<typeof timeEncoding>;

/**
 * The group colour, identical in every layer of a section (Vega-Lite merges them into one scale and one
 * legend; differing legend settings between layers are a compile warning).
 */
function groupColor(section: Section) {
  return {
    field: 'group',
    type: 'nominal' as const,
    title: null,
    sort: section.groups,
    scale: { domain: section.groups, range: section.colors },
    legend: { labelLimit: 0, orient: 'top' as const, columns: section.legendColumns, direction: 'horizontal' as const },
  };
}

/**
 * Opacity: a group picked in the legend stands out and the others fade; with none picked, the highlighted groups
 * are drawn in full and the others half-faded.
 */
function pickOpacity() {
  return {
    condition: [
      { param: PICK, empty: false, value: 1 },
      { test: `length(data('${PICK}_store')) > 0`, value: 0.12 },
    ],
    field: 'baseOpacity',
    type: 'quantitative' as const,
    scale: null,
  };
}

/**
 * The same colours on the points' outline. Its legend settings equal the colour's: Vega-Lite merges the two
 * legends of the same field into one (a `legend: null` here would conflict with the colour's legend).
 */
function groupStroke(section: Section) {
  return groupColor(section);
}

function valueY(indicator: ChartIndicator, field: 'value' | 'gap') {
  return {
    field,
    type: 'quantitative' as const,
    title:
      field === 'value'
        ? unitAxisTitle(indicator)
        : indicator.unit === 'percent'
          ? 'Gap (% points)'
          : unitTitle('Gap', indicator),
    scale: { zero: field === 'gap', nice: true, padding: 6 },
    axis: { format: numberFormat(indicator.decimals), tickCount: field === 'gap' ? 4 : 6 },
  };
}

/** The dashed rule at the baseline period (x only, its own layer: it spans the panel's height). */
function baselineRuleLayer(section: Section, x: X) {
  return {
    data: { name: section.data.baseline },
    transform: tooltipTransforms([['Baseline period', 'period']]),
    mark: { type: 'rule' as const, color: COLORS.baselineRule, strokeDash: [2, 3], strokeWidth: 1.5 },
    encoding: { x, ...tooltipEncoding() },
  };
}

/**
 * "Baseline 2019" just above the values panel, beside the rule: no group's line runs through it. It reads
 * leftwards from the rule when the rule is in the right half of the panel, so it never runs past its edge.
 */
function baselineLabelLayer(section: Section, x: X, calendar: PeriodCalendar) {
  const indices = section.periods.map((p) => periodIndex(p, calendar));
  const [first, last] = [Math.min(...indices), Math.max(...indices)];
  const at = section.baseline[0] ? periodIndex(section.baseline[0].period, calendar) : first;
  const rightHalf = last > first && (at - first) / (last - first) > 0.5;
  return {
    data: { name: section.data.baseline },
    transform: [{ calculate: "'Baseline ' + datum.period", as: 'label' }],
    mark: {
      ...BASELINE_LABEL_MARK,
      baseline: 'bottom' as const,
      dy: -3,
      ...(rightHalf ? { align: 'right' as const, dx: -4 } : {}),
    },
    encoding: { x, y: { value: 0 }, text: { field: 'label', type: 'nominal' as const } },
  };
}

/**
 * One line per group; the reference thicker. Two layers, because a line is one path per group and Vega-Lite
 * drops a `strokeWidth` condition on a line mark without a warning.
 */
export function groupLinesLayers(section: Section, x: X, indicator: ChartIndicator) {
  const line = (reference: boolean) => ({
    data: { name: section.data.values },
    transform: [{ filter: reference ? 'datum.reference' : '!datum.reference' }],
    ...(reference
      ? {}
      : { params: [{ name: PICK, select: { type: 'point' as const, fields: ['group'] }, bind: 'legend' }] }),
    mark: { type: 'line' as const, strokeWidth: reference ? 4.5 : 2, aria: false },
    encoding: { x, y: valueY(indicator, 'value'), color: groupColor(section), opacity: pickOpacity() },
  });
  return [line(false), line(true)];
}

/** The values as points (hollow when provisional or estimated), with their tooltips. */
export function groupPointsLayer(section: Section, x: X, indicator: ChartIndicator) {
  return {
    data: { name: section.data.values },
    transform: tooltipTransforms(VALUE_TOOLTIP),
    mark: { type: 'point' as const, filled: true, opacity: 1, size: 36, strokeWidth: 1.5 },
    encoding: {
      x,
      y: valueY(indicator, 'value'),
      color: groupColor(section),
      stroke: groupStroke(section),
      opacity: pickOpacity(),
      fillOpacity: { condition: { test: "datum.dataStatus !== 'Final'", value: 0 }, value: 1 },
      ...tooltipEncoding(),
    },
  };
}

/** The reference as a 0 line across the gap panel (the panel's subtitle names it). */
function referenceZeroLayer(section: Section) {
  return {
    data: { values: [{ gap: 0 }] },
    mark: { type: 'rule' as const, color: section.colors[0], strokeWidth: 2.5, aria: false },
    encoding: { y: { field: 'gap', type: 'quantitative' as const } },
  };
}

/** Each group's gap from the reference, period by period: lines and points in the group's colour. */
function gapLayers(section: Section, x: X, indicator: ChartIndicator) {
  const data = { name: section.data.gaps };
  return [
    {
      data,
      mark: { type: 'line' as const, strokeWidth: 2, aria: false },
      encoding: { x, y: valueY(indicator, 'gap'), color: groupColor(section), opacity: pickOpacity() },
    },
    {
      data,
      transform: tooltipTransforms(GAP_TOOLTIP),
      mark: { type: 'point' as const, filled: true, opacity: 1, size: 30 },
      encoding: {
        x,
        y: valueY(indicator, 'gap'),
        color: groupColor(section),
        opacity: pickOpacity(),
        ...tooltipEncoding(),
      },
    },
  ];
}
