/**
 * The scorecard dashboard: a result's whole tree — headline indicators, then each outcome and its sub-outcomes —
 * as small multiples, one row per indicator: its name and latest value, a trend arrow (↑ ↓ →, coloured by whether
 * that direction is the better one), a sparkline of its history, whether its curve has turned, and its progress
 * toward the target. Each outcome's heading carries its roll-up (docs/methodology.md §7). Made for partners to embed.
 *
 * Layout: a `vconcat` of sections (one per outcome, depth first, in position order), each a `vconcat` of rows;
 * each row is one layered view with its own data. Rows rather than a `facet`: a facet cell with no data (an
 * indicator without points) makes Vega warn of an "Infinite extent" for its independent sparkline scales, and
 * a row can simply leave its sparkline out. Concatenated views cannot be fitted to a width (see `theme.ts`), so
 * the dashboard has a fixed width and scales through its SVG `viewBox`.
 *
 * Colours never carry meaning alone: every arrow and status is also written in words (and in each row's ARIA
 * description and tooltip).
 *
 * Pure: data in, a Vega-Lite spec with its data inline out.
 */
import type { TopLevelSpec } from 'vega-lite';
import type {
  IndicatorSummary,
  ResultScorecard,
  RollUpResponse,
  ScorecardOutcome,
} from '../schema/contracts/scorecard.ts';
import { periodWord } from './summary-text.ts';
import { COLORS, CONCAT_AUTOSIZE, FONT_SIZE, formatValue, seriesColor, specHeader, wrapText } from './theme.ts';
import { periodStart } from './time-axis.ts';
import { type TooltipEntry, tooltipEncoding, tooltipTransforms } from './tooltip.ts';
import { sortByPeriod } from './turn-the-curve-chart.ts';
import type { Brand, ChartPoint } from './types.ts';

export interface ScorecardDashboardInput {
  /** `GET /results/{resultId}/scorecard`. */
  scorecard: ResultScorecard;
  /** Each indicator's data points (any slices; the sparkline uses the total), by indicator id. */
  seriesByIndicatorId: Readonly<Record<string, readonly ChartPoint[]>>;
  brand: Brand | null;
  initiativeName: string;
}

/** Column positions of a row, in pixels from its left edge. */
export const SCORECARD_COLUMNS = {
  name: 8,
  nameWidth: 252,
  trendCentre: 282,
  sparkFrom: 316,
  sparkTo: 452,
  status: 472,
  statusWidth: 280,
  width: 760,
  rowHeight: 40,
} as const;

/** What one row shows, written out (the sparkline's points travel separately). */
export interface ScorecardRow {
  name: string;
  latestText: string;
  /** The latest value and the target, under the name. */
  detailText: string;
  trendArrow: string;
  trendColor: string;
  trendText: string;
  curveText: string;
  curveColor: string;
  progressText: string;
  progressColor: string;
  targetText?: string;
  /** The whole row in one sentence: the row's ARIA description. */
  rowDescription: string;
}

const ROW_TOOLTIP: TooltipEntry[] = [
  ['Indicator', 'name'],
  ['Latest', 'latestText'],
  ['Trend', 'trendText'],
  ['Curve', 'curveText'],
  ['Progress', 'progressText'],
  ['Target', 'targetText'],
];

/**
 * The scorecard of a result as one embeddable Vega-Lite spec.
 *
 * @example
 * buildScorecardDashboard({ scorecard, seriesByIndicatorId, brand, initiativeName: 'Detroit Jobs Partnership' })
 * // { title: { text: 'Detroit Jobs Partnership', subtitle: [statement, 'Overall: …'] },
 * //   vconcat: [columnHeader, headlineSection, jobsSection, skillsSection (nested under jobs), healthSection] }
 * // each row, e.g. 'Unemployment rate · 6.9% in 2023 · ↓ (blue: falling is better) · sparkline ·
 * //  Curve turned · Progress made but acceleration needed'
 */
export function buildScorecardDashboard(input: ScorecardDashboardInput): TopLevelSpec {
  // 1. Walk the tree depth first: the headline indicators, then each outcome and its sub-outcomes by position.
  // 2. Each section: a heading (the outcome's title, its parent, its roll-up in words) over one row per indicator.
  // 3. Each row: name and latest value, trend arrow, sparkline of the total series, curve and progress in words;
  //    its tooltip and ARIA description say all of it in one sentence.
  // 4. The column headings on top; the initiative's name, the result and its overall roll-up as the title;
  //    the logo URL in `usermeta` for the embed page (the spec itself never fetches an image); every row's
  //    data once, in top-level `datasets`.
  const { scorecard, brand, initiativeName } = input;
  const color = seriesColor(brand);
  const datasets: Record<string, object[]> = {};
  const sections = [
    ...(scorecard.indicators.length > 0
      ? [section('Headline indicators', [], scorecard.indicators, input, color, 0, datasets)]
      : []),
    ...outcomeSections(scorecard.outcomes, null, input, color, 0, datasets),
  ];
  const statement = scorecard.result.statement;
  return {
    ...specHeader(),
    description: describeScorecard(initiativeName, scorecard),
    title: {
      text: initiativeName,
      // Wrapped: a long statement on one line made the dashboard 1,660 px wide.
      subtitle: [
        ...wrapText(statement, 100),
        ...rollUpLines(scorecard.rollUp, 'Overall'),
        ...(scorecard.asOf ? [asOfText(scorecard.asOf)] : []),
      ],
    },
    autosize: CONCAT_AUTOSIZE,
    datasets,
    spacing: 18,
    vconcat: sections.length > 0 ? [columnHeader(), ...sections] : [emptyNotice()],
    usermeta: {
      engineVersion: scorecard.engineVersion,
      brand: { color: brand?.color ?? null, logoUrl: brand?.logoUrl ?? null },
    },
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------------------

/**
 * A roll-up in words (docs/methodology.md §7).
 *
 * @example rollUpSentence(rollUp, 'Overall')
 * // 'Overall: Progress made but acceleration needed; 4 of 6 indicators scored, 3 of 6 trending the right way'
 */
export function rollUpSentence(rollUp: RollUpResponse, prefix: string): string {
  return rollUpLines(rollUp, prefix).join('; ');
}

/**
 * {@link rollUpSentence} in two short lines (status; counts), for headings: short lines keep the layout narrow.
 *
 * @example rollUpLines(rollUp, 'Overall')
 * // ['Overall: Progress made but acceleration needed', '4 of 6 indicators scored, 3 of 6 trending the right way']
 */
export function rollUpLines(rollUp: RollUpResponse, prefix: string): string[] {
  const n = rollUp.indicatorCount;
  if (n === 0) return [`${prefix}: no indicators yet`];
  const status =
    rollUp.status === 'not_available' ? `${prefix}: progress cannot be assessed yet` : `${prefix}: ${rollUp.label}`;
  return [
    status,
    `${rollUp.scoredCount} of ${n} ${n === 1 ? 'indicator' : 'indicators'} scored, ${rollUp.counts.trend.good} of ${n} trending the right way`,
  ];
}

const CURVE_WORDS: Record<IndicatorSummary['curve']['status'], string> = {
  turned: 'Curve turned',
  worsened: 'Curve worsened',
  not_turned: 'Curve not turned yet',
  insufficient_data: 'Too early to tell',
};

function curveColor(status: IndicatorSummary['curve']['status']): string {
  return status === 'turned' ? COLORS.good : status === 'worsened' ? COLORS.bad : COLORS.neutral;
}

function progressColor(status: IndicatorSummary['progress']['status']): string {
  if (status === 'target_achieved' || status === 'substantial_progress') return COLORS.good;
  if (status === 'deterioration') return COLORS.bad;
  return COLORS.neutral;
}

/** ↑ ↓ → for up, down, flat; an en dash when there is no trend yet. */
export function trendArrow(direction: IndicatorSummary['trend']['direction']): string {
  return direction === 'up' ? '↑' : direction === 'down' ? '↓' : direction === 'flat' ? '→' : '–';
}

function trendWords(summary: IndicatorSummary): string {
  const { direction, periods, good } = summary.trend;
  if (direction === null || periods === null) return 'No trend yet';
  if (direction === 'flat') return 'Unchanged since the previous period';
  const judged = good === null ? '' : good ? ' (an improvement)' : ' (a worsening)';
  if (periods === 1)
    return `${direction === 'up' ? 'Up' : 'Down'} from the previous ${periodWord(summary.frequency, 1)}${judged}`;
  return `${direction === 'up' ? 'Rising' : 'Falling'} for ${periods} ${periodWord(summary.frequency, periods)}${judged}`;
}

/** One indicator's row in words and colours (the dashboard spec and the HTML scorecard share it). */
export function rowOf(summary: IndicatorSummary): ScorecardRow {
  const latest = summary.latest
    ? `${formatValue(summary.latest.value, summary)} in ${summary.latest.period}`
    : 'No data yet';
  const targetText = summary.target
    ? `${formatValue(summary.target.value, summary)} by ${summary.target.period}`
    : undefined;
  const trendText = trendWords(summary);
  const curveText = CURVE_WORDS[summary.curve.status];
  const progressText = summary.progress.label;
  const row: ScorecardRow = {
    name: summary.name,
    latestText: latest,
    detailText: `${latest} · ${targetText ? `target ${targetText}` : 'no target'}`,
    trendArrow: trendArrow(summary.trend.direction),
    trendColor: summary.trend.good === true ? COLORS.good : summary.trend.good === false ? COLORS.bad : COLORS.neutral,
    trendText,
    curveText,
    curveColor: curveColor(summary.curve.status),
    progressText,
    progressColor: progressColor(summary.progress.status),
    rowDescription: `${summary.name}: ${[
      summary.latest ? `latest ${latest}` : 'no data yet',
      lowerFirst(trendText),
      lowerFirst(curveText),
      `progress: ${progressText}`,
      targetText ? `target ${targetText}` : 'no target',
    ].join('; ')}`,
  };
  if (targetText) row.targetText = targetText;
  return row;
}

/**
 * When the figures are read as of a past moment (`asOf`), the dashboard says so.
 *
 * @example asOfText('2026-03-01T09:30:00.000Z') // 'Figures as they stood on 2026-03-01 at 09:30 UTC'
 */
export function asOfText(asOf: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(asOf);
  return m ? `Figures as they stood on ${m[1]} at ${m[2]} UTC` : `Figures as they stood on ${asOf}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * The dashboard in words: the result, the overall roll-up, then each outcome's.
 *
 * @example describeScorecard('Detroit Jobs Partnership', scorecard)
 * // 'Scorecard of Detroit Jobs Partnership. Result: A 5 percentage point decrease …. Overall: …. Residents find
 * //  and keep good jobs: …'
 */
export function describeScorecard(initiativeName: string, scorecard: ResultScorecard): string {
  const parts = [
    `Scorecard of ${initiativeName}.`,
    `Result: ${scorecard.result.statement}.`,
    `${rollUpSentence(scorecard.rollUp, 'Overall')}.`,
  ];
  const walk = (outcomes: readonly ScorecardOutcome[]) => {
    for (const o of [...outcomes].sort((a, b) => a.position - b.position)) {
      parts.push(`${rollUpSentence(o.rollUp, o.title)}.`);
      walk(o.outcomes);
    }
  };
  walk(scorecard.outcomes);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Sections and rows
// ---------------------------------------------------------------------------------------------------------

function outcomeSections(
  outcomes: readonly ScorecardOutcome[],
  parent: ScorecardOutcome | null,
  input: ScorecardDashboardInput,
  color: string,
  depth: number,
  datasets: Record<string, object[]>,
): object[] {
  return [...outcomes]
    .sort((a, b) => a.position - b.position)
    .flatMap((o) => [
      section(
        o.title,
        [...(parent ? [`Part of: ${parent.title}`] : []), ...rollUpLines(o.rollUp, 'Roll-up')],
        o.indicators,
        input,
        color,
        depth,
        datasets,
      ),
      ...(o.performanceMeasures && o.performanceMeasures.length > 0
        ? [
            section(
              `Programs contributing to: ${o.title}`,
              ["Performance measures of partners' programs (RBA performance accountability; not in the roll-up)"],
              o.performanceMeasures.map(withQuadrant),
              input,
              color,
              depth + 1,
              datasets,
            ),
          ]
        : []),
      ...outcomeSections(o.outcomes, o, input, color, depth + 1, datasets),
    ]);
}

/** RBA's three performance questions, as the row names of performance measures. */
export const QUADRANT_QUESTIONS: Record<string, string> = {
  how_much: 'How much did we do?',
  how_well: 'How well did we do it?',
  better_off: 'Is anyone better off?',
};

export function withQuadrant(summary: IndicatorSummary): IndicatorSummary {
  const question = summary.quadrant ? QUADRANT_QUESTIONS[summary.quadrant] : undefined;
  const program = summary.programName ? ` (${summary.programName})` : '';
  return question ? { ...summary, name: `${question} ${summary.name}${program}` } : summary;
}

/** A heading over one row per indicator; an outcome with only sub-outcomes gets a one-line note instead. */
function section(
  heading: string,
  subtitle: string[],
  indicators: readonly IndicatorSummary[],
  input: ScorecardDashboardInput,
  color: string,
  depth: number,
  datasets: Record<string, object[]>,
) {
  const rows =
    indicators.length > 0
      ? indicators.map((summary) => indicatorRow(summary, input.seriesByIndicatorId[summary.id] ?? [], color, datasets))
      : [noteRow('No indicators directly under this outcome; see the outcomes below.')];
  return {
    title: {
      text: heading,
      ...(subtitle.length > 0 ? { subtitle } : {}),
      fontSize: FONT_SIZE.subtitle + 1,
      subtitleFontSize: FONT_SIZE.small,
      // Sub-outcomes are indented, so the tree shows in the headings.
      dx: depth * 16,
    },
    spacing: 2,
    vconcat: rows,
  };
}

/**
 * One indicator: texts at fixed columns, the trend arrow, and a sparkline when it has data. Its row and its
 * history go into `datasets` (as `row_<n>` and `history_<n>`), once, for all the layers that draw them.
 */
function indicatorRow(
  summary: IndicatorSummary,
  points: readonly ChartPoint[],
  color: string,
  datasets: Record<string, object[]>,
) {
  const row = rowOf(summary);
  const calendar = { frequency: summary.frequency, yearStartMonth: yearStartMonthOf(points, summary) };
  const total = sortByPeriod(
    points.filter((p) => Object.keys(p.disaggregation).length === 0),
    calendar,
  ).map((p) => ({ period: p.period, date: periodStart(p.period, calendar), value: p.value }));
  const C = SCORECARD_COLUMNS;
  const n = Object.keys(datasets).filter((k) => k.startsWith('row_')).length;
  datasets[`row_${n}`] = [row];
  const rowData = { name: `row_${n}` };
  const text = (field: keyof ScorecardRow, x: number, y: number, mark: Record<string, unknown>) => ({
    data: rowData,
    mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, aria: false, ...mark },
    encoding: { x: { value: x }, y: { value: y }, text: { field, type: 'nominal' as const } },
  });
  return {
    width: C.width,
    height: C.rowHeight,
    layer: [
      // The row's band: carries the tooltip and the one-sentence ARIA description of the whole row.
      {
        data: rowData,
        transform: [...tooltipTransforms(ROW_TOOLTIP), { calculate: 'datum.rowDescription', as: 'description' }],
        mark: { type: 'rect' as const, color: '#f5f7fa', cornerRadius: 3 },
        encoding: {
          x: { value: 0 },
          x2: { value: C.width },
          y: { value: 0 },
          y2: { value: C.rowHeight },
          ...tooltipEncoding(),
        },
      },
      text('name', C.name, 13, { fontWeight: 600, fontSize: FONT_SIZE.label, limit: C.nameWidth }),
      text('detailText', C.name, 29, { color: COLORS.mutedText, fontSize: FONT_SIZE.small, limit: C.nameWidth }),
      {
        data: rowData,
        mark: {
          type: 'text' as const,
          align: 'center' as const,
          baseline: 'middle' as const,
          fontSize: 20,
          fontWeight: 600,
          aria: false,
        },
        encoding: {
          x: { value: C.trendCentre },
          y: { value: C.rowHeight / 2 },
          text: { field: 'trendArrow', type: 'nominal' as const },
          color: { field: 'trendColor', type: 'nominal' as const, scale: null },
        },
      },
      ...(total.length > 0 ? sparklineLayers(total, `history_${n}`, datasets, color) : []),
      {
        ...text('curveText', C.status, 13, { fontSize: FONT_SIZE.label, fontWeight: 600, limit: C.statusWidth }),
        encoding: {
          x: { value: C.status },
          y: { value: 13 },
          text: { field: 'curveText', type: 'nominal' as const },
          color: { field: 'curveColor', type: 'nominal' as const, scale: null },
        },
      },
      {
        ...text('progressText', C.status, 29, { fontSize: FONT_SIZE.small, limit: C.statusWidth }),
        encoding: {
          x: { value: C.status },
          y: { value: 29 },
          text: { field: 'progressText', type: 'nominal' as const },
          color: { field: 'progressColor', type: 'nominal' as const, scale: null },
        },
      },
    ],
  };
}

/** The history of the total slice as a small line, its latest value as a dot; no axes. */
function sparklineLayers(
  points: readonly { period: string; date: string; value: number }[],
  name: string,
  datasets: Record<string, object[]>,
  color: string,
) {
  datasets[name] = [...points];
  const C = SCORECARD_COLUMNS;
  const x = {
    field: 'date',
    type: 'temporal' as const,
    scale: { type: 'utc' as const, range: [C.sparkFrom, C.sparkTo] },
    axis: null,
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    scale: { zero: false, range: [C.rowHeight - 7, 7] },
    axis: null,
  };
  const data = { name };
  return [
    { data, mark: { type: 'line' as const, color, strokeWidth: 1.75, aria: false }, encoding: { x, y } },
    {
      // The latest value as a dot: the last row of the history.
      data,
      transform: [
        {
          window: [{ op: 'row_number' as const, as: 'rank' }],
          sort: [{ field: 'date', order: 'descending' as const }],
        },
        { filter: 'datum.rank === 1' },
      ],
      mark: { type: 'point' as const, filled: true, opacity: 1, color, size: 22, aria: false },
      encoding: { x, y },
    },
  ];
}

/** The column headings over every section. */
function columnHeader() {
  const C = SCORECARD_COLUMNS;
  const heading = (text: string, x: number, align: 'left' | 'center') => ({
    data: { values: [{ text }] },
    mark: {
      type: 'text' as const,
      align,
      baseline: 'middle' as const,
      color: COLORS.mutedText,
      fontSize: FONT_SIZE.small,
      fontWeight: 600,
      aria: false,
    },
    encoding: { x: { value: x }, y: { value: 7 }, text: { field: 'text', type: 'nominal' as const } },
  });
  return {
    width: C.width,
    height: 14,
    layer: [
      heading('Indicator · latest value', C.name, 'left'),
      heading('Trend', C.trendCentre, 'center'),
      heading('History', C.sparkFrom, 'left'),
      heading('Curve · progress to target', C.status, 'left'),
    ],
  };
}

function noteRow(note: string) {
  const C = SCORECARD_COLUMNS;
  return {
    width: C.width,
    height: 20,
    data: { values: [{ note }] },
    mark: {
      type: 'text' as const,
      align: 'left' as const,
      baseline: 'middle' as const,
      color: COLORS.mutedText,
      fontSize: FONT_SIZE.small,
    },
    encoding: { x: { value: C.name }, y: { value: 10 }, text: { field: 'note', type: 'nominal' as const } },
  };
}

function emptyNotice() {
  return noteRow('No indicators yet.');
}

/**
 * Fiscal years: the summary does not carry `yearStartMonth`, but a fiscal label (`2024-25`) says the year is not
 * a calendar year; any month gives the same relative positions on a sparkline, so July is assumed.
 */
function yearStartMonthOf(points: readonly ChartPoint[], summary: IndicatorSummary): number {
  if (summary.frequency !== 'annual') return 1;
  return points.some((p) => /^\d{4}-\d{2}$/.test(p.period)) ? 7 : 1;
}
