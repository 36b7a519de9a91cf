/**
 * Assembles what the chart and embed services serve from loaded data (API objects): the Vega-Lite specs
 * (dashboards/ builders), the embed pages' content (summary, status lines, data tables) and the embed
 * snippets. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EmbedPageInput, DataTable } from '../../dashboards/embed-page.ts';
import { EMBED_MESSAGE_TYPE, escapeHtml, jsonForScript } from '../../dashboards/embed-page.ts';
import {
  buildDisaggregatedChart,
  buildScorecardDashboard,
  buildTurnTheCurveChart,
  describeEquityGaps,
  describeIndicator,
  describeScorecard,
  formatValue,
  groupLabel,
  rollUpLines,
  seriesColor,
  summarizeIndicator,
  type ChartPoint,
} from '../../dashboards/index.ts';
import { statusText, STATUS_WORDS } from '../../dashboards/observation-status.ts';
import type { MissingPoint } from '../../dashboards/types.ts';
import { QUADRANT_QUESTIONS } from '../../dashboards/scorecard-dashboard.ts';
import { scorecardHtml } from '../../dashboards/scorecard-page.ts';
import type { Action } from '../../schema/contracts/actions.ts';
import type { CurveReport } from '../../schema/contracts/curve-reports.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Initiative } from '../../schema/contracts/initiatives.ts';
import type { ResultScorecard, ScorecardOutcome } from '../../schema/contracts/scorecard.ts';
import { periodIndex } from '../engine/periods.ts';
import type { IndicatorAnalysis } from '../engine/types.ts';
import type { ResultForAnalysis } from './result-for-analysis.ts';
import { isTotal, type PointMark, type SeriesPoint } from './series-point.ts';

export type ChartView = 'total' | 'groups';

/** What an indicator's chart and embed page draw. */
export interface IndicatorChartData {
  indicator: Indicator;
  /** Every point, total and slices, by slice then period. */
  points: SeriesPoint[];
  /** Footnotes, unverified values and missing periods (only the points that have one), by slice then period. */
  marks: PointMark[];
  initiative: Initiative;
  /** The turn-the-curve report (the story behind the curve, what works, the plan); null when none. */
  curveReport: CurveReport | null;
  /** The actions linked to the indicator that the reader may see, judged at `asOf` or now. */
  actions: Action[];
}

/** What a result's dashboard and embed page draw besides its scorecard. */
export interface ResultDashboardData {
  loaded: ResultForAnalysis;
  initiative: Initiative;
}

export function toChartPoints(
  points: ReadonlyArray<
    Pick<SeriesPoint, 'period' | 'value' | 'disaggregation' | 'note' | 'status'> & {
      obsStatus?: SeriesPoint['obsStatus'] | undefined;
    }
  >,
  marks: readonly PointMark[] = [],
): ChartPoint[] {
  const markOf = marksByPoint(marks);
  return points.map((point) => {
    const chartPoint: ChartPoint = {
      period: point.period,
      value: point.value,
      disaggregation: point.disaggregation,
      note: point.note,
      status: point.status ?? null,
    };
    if (point.obsStatus && point.obsStatus !== 'M') chartPoint.obsStatus = point.obsStatus;
    const mark = markOf.get(pointKey(point));
    if (mark?.footnote) chartPoint.footnote = mark.footnote;
    if (mark?.unverified) chartPoint.unverified = true;
    return chartPoint;
  });
}

/** The periods marked missing (OBS_STATUS M), for the charts. */
export function toMissingPoints(marks: readonly PointMark[]): MissingPoint[] {
  return marks
    .filter((m) => m.missing)
    .map((m) => ({
      period: m.period,
      disaggregation: m.disaggregation,
      footnote: m.footnote,
      ...(m.suppressed ? { suppressed: true } : {}),
    }));
}

const pointKey = (p: Pick<SeriesPoint, 'period' | 'disaggregation'>) =>
  `${p.period} ${JSON.stringify(Object.entries(p.disaggregation).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;

function marksByPoint(marks: readonly PointMark[]): Map<string, PointMark> {
  return new Map(marks.filter((m) => !m.missing).map((m) => [pointKey(m), m]));
}

/** The turn-the-curve chart (`total`) or the chart by group with equity gaps (`groups`). */
export function indicatorChartSpec(
  data: IndicatorChartData,
  analysis: IndicatorAnalysis,
  view: ChartView,
  width?: number | 'container',
): TopLevelSpec {
  const input = {
    indicator: data.indicator,
    analysis,
    points: toChartPoints(data.points, data.marks),
    missing: toMissingPoints(data.marks),
    brand: data.initiative.brand,
    ...(width === undefined ? {} : { width }),
  };
  return view === 'groups'
    ? buildDisaggregatedChart(input)
    : buildTurnTheCurveChart({ ...input, actions: data.actions });
}

/** The scorecard embed's HTML: rows linking to each indicator's embed page. */
export function resultScorecardHtml(
  data: ResultDashboardData,
  scorecard: ResultScorecard,
  indicatorPath: (indicatorId: string) => string = (id) => `/embed/indicators/${id}`,
  unpublishedLatest?: Readonly<Record<string, string>>,
): string {
  const seriesByIndicatorId: Record<string, ChartPoint[]> = {};
  for (const { indicator, totalPoints } of data.loaded.indicators)
    seriesByIndicatorId[indicator.id] = toChartPoints(totalPoints);
  return scorecardHtml({
    scorecard,
    seriesByIndicatorId,
    color: seriesColor(data.initiative.brand),
    embedPath: indicatorPath,
    ...(unpublishedLatest && { unpublishedLatest }),
  });
}

export function resultDashboardSpec(data: ResultDashboardData, scorecard: ResultScorecard): TopLevelSpec {
  const seriesByIndicatorId: Record<string, ChartPoint[]> = {};
  for (const { indicator, totalPoints } of data.loaded.indicators)
    seriesByIndicatorId[indicator.id] = toChartPoints(totalPoints);
  return buildScorecardDashboard({
    scorecard,
    seriesByIndicatorId,
    brand: data.initiative.brand,
    initiativeName: data.initiative.name,
  });
}

function indicatorDataTable(data: IndicatorChartData, analysis: IndicatorAnalysis): DataTable {
  const { indicator } = data;
  const format = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : formatValue(value, indicator);
  const forecastAt = new Map(analysis.total.forecast.points.map((p) => [p.period, p]));
  const total = data.points.filter(isTotal);
  const chartPoints = toChartPoints(total, data.marks);
  const missing = data.marks.filter((m) => m.missing && isTotal(m));
  const periods = [...new Set([...total.map((p) => p.period), ...missing.map((m) => m.period), ...forecastAt.keys()])];
  const byPeriod = new Map(chartPoints.map((p) => [p.period, p]));
  const missingAt = new Map(missing.map((m) => [m.period, m]));
  // Forecast periods after the latest value (up to the target) have no stored index: the calendar gives it.
  const calendar = { frequency: indicator.frequency, yearStartMonth: indicator.yearStartMonth };
  const indexOf = new Map([...[...total, ...missing].map((p) => [p.period, p.periodIndex] as const)]);
  for (const period of periods) if (!indexOf.has(period)) indexOf.set(period, periodIndex(period, calendar));
  periods.sort((a, b) => indexOf.get(a)! - indexOf.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const rows = periods.map((period) => {
    const point = byPeriod.get(period);
    const gap = missingAt.get(period);
    const forecast = forecastAt.get(period);
    const interval =
      forecast && forecast.lower !== null && forecast.upper !== null
        ? `${format(forecast.lower)} to ${format(forecast.upper)}`
        : '';
    const status = point
      ? (statusText(point) ?? '')
      : gap
        ? STATUS_WORDS[gap.suppressed ? 'suppressed' : 'missing']
        : '';
    const footnote = point?.footnote ?? gap?.footnote ?? '';
    return [period, format(point?.value), status, format(forecast?.value), interval, point?.note ?? '', footnote];
  });
  return {
    caption: `${indicator.name}: values and baseline forecast`,
    columns: ['Period', 'Value', 'Status', 'Baseline forecast', 'Forecast interval', 'Note', 'Footnote'],
    rows,
  };
}

function groupsDataTable(data: IndicatorChartData): DataTable | null {
  const groupPoints = data.points.filter((p) => !isTotal(p));
  const groups = toChartPoints(groupPoints, data.marks);
  const missing = data.marks.filter((m) => m.missing && !isTotal(m));
  if (groups.length === 0 && missing.length === 0) return null;
  const rows = [
    ...groups.map((p, i) => ({
      key: p.disaggregation,
      index: groupPoints[i]!.periodIndex,
      cells: [
        p.period,
        groupLabel(p.disaggregation, data.indicator),
        formatValue(p.value, data.indicator),
        statusText(p) ?? '',
        p.note ?? '',
        p.footnote ?? '',
      ],
    })),
    ...missing.map((m) => ({
      key: m.disaggregation,
      index: m.periodIndex,
      cells: [
        m.period,
        groupLabel(m.disaggregation, data.indicator),
        '',
        STATUS_WORDS[m.suppressed ? 'suppressed' : 'missing'],
        '',
        m.footnote ?? '',
      ],
    })),
  ];
  if (missing.length > 0) {
    // The missing periods in their place: by group, then period.
    const groupOf = (r: (typeof rows)[number]) => JSON.stringify(Object.entries(r.key).sort());
    rows.sort((a, b) => (groupOf(a) < groupOf(b) ? -1 : groupOf(a) > groupOf(b) ? 1 : a.index - b.index));
  }
  return {
    caption: `${data.indicator.name} by group`,
    columns: ['Period', 'Group', 'Value', 'Status', 'Note', 'Footnote'],
    rows: rows.map((r) => r.cells),
  };
}

/** The embed page of an indicator, without the parts rendered elsewhere (SVG, spec, assets). */
export function indicatorEmbedContent(
  data: IndicatorChartData,
  analysis: IndicatorAnalysis,
): Omit<EmbedPageInput, 'svg' | 'vegaSpec' | 'assets' | 'embedId'> {
  const { indicator } = data;
  // The equity details, one group a line, collapsed after the chart: the summary above it stays two sentences.
  const gaps =
    analysis.slices.length > 0 ? describeEquityGaps(indicator, analysis, (d) => groupLabel(d, indicator)) : '';
  const disclosures = gaps ? [{ summary: 'How the groups compare', items: gaps.split(/(?<=\.)\s+(?=\S)/) }] : [];
  const tables = [indicatorDataTable(data, analysis)];
  const groups = groupsDataTable(data);
  if (groups) tables.push(groups);
  return {
    title: indicator.name,
    initiativeName: data.initiative.name,
    brand: data.initiative.brand,
    summary: summarizeIndicator(indicator, analysis),
    chartDescription: describeIndicator(indicator, analysis),
    disclosures,
    tables,
    sections: [...curveReportSections(data.curveReport), ...actionSections(data.actions)],
    source: indicator.dataSource,
  };
}

const COSTS: Record<string, string> = { no_cost: 'no cost', low_cost: 'low cost', higher_cost: 'higher cost' };

/** The turn-the-curve report in the RBA questions' order: the story, the forces, who can help, what works, the plan. */
export function curveReportSections(report: CurveReport | null): EmbedPageInput['sections'] {
  if (!report || report.version === 0) return [];
  const sections: EmbedPageInput['sections'] = [];
  if (report.story || report.forces.length > 0) {
    sections.push({
      heading: 'The story behind the curve',
      paragraphs: report.story ? [report.story] : [],
      items: report.forces.map((f) => `${f.direction === 'helping' ? 'Helping' : 'Hindering'}: ${f.description}`),
    });
  }
  if (report.partners.length > 0) {
    sections.push({
      heading: 'Partners with a role to play',
      paragraphs: [],
      items: report.partners.map((p) => `${p.name}: ${p.role}`),
    });
  }
  if (report.whatWorks.length > 0) {
    sections.push({
      heading: 'What works',
      paragraphs: [],
      items: report.whatWorks.map((w) =>
        [w.idea, w.cost ? `(${COSTS[w.cost] ?? w.cost})` : '', w.evidence ? `Evidence: ${w.evidence}` : '']
          .filter(Boolean)
          .join(' '),
      ),
    });
  }
  if (report.actionPlan) sections.push({ heading: 'Action plan', paragraphs: [report.actionPlan] });
  return sections;
}

function actionSections(actions: readonly Action[]): EmbedPageInput['sections'] {
  if (actions.length === 0) return [];
  return [
    {
      heading: 'Actions',
      paragraphs: [],
      items: actions.map((a) => {
        const status = a.overdue ? `${a.status.replaceAll('_', ' ')}, overdue` : a.status.replaceAll('_', ' ');
        return `${a.title}${a.quickWin ? ' (quick win)' : ''}: ${a.start} to ${a.due}, ${status}${a.ownerPartnerName ? `; led by ${a.ownerPartnerName}` : ''}`;
      }),
    },
  ];
}

function scorecardTable(scorecard: ResultScorecard): DataTable {
  const rows: string[][] = [];
  const add = (where: string, indicators: ResultScorecard['indicators']) => {
    for (const i of indicators) {
      const kind =
        i.level === 'performance'
          ? `Performance: ${QUADRANT_QUESTIONS[i.quadrant ?? ''] ?? 'program measure'}`
          : 'Population';
      const data =
        i.freshness?.status === 'overdue'
          ? `overdue${i.ownerPartnerName ? ` (ask ${i.ownerPartnerName})` : ''}`
          : (i.freshness?.status.replaceAll('_', ' ') ?? '');
      rows.push([
        i.name,
        where,
        kind,
        data,
        i.latest ? `${formatValue(i.latest.value, i)} (${i.latest.period})` : 'no data',
        i.trend.direction
          ? `${i.trend.direction}${i.trend.good === true ? ' (good)' : i.trend.good === false ? ' (bad)' : ''}`
          : '',
        i.curve.status.replaceAll('_', ' '),
        i.progress.label,
      ]);
    }
  };
  add('Headline', [...scorecard.indicators, ...(scorecard.performanceMeasures ?? [])]);
  const walk = (outcomes: ScorecardOutcome[]) => {
    for (const outcome of outcomes) {
      add(outcome.title, [...outcome.indicators, ...(outcome.performanceMeasures ?? [])]);
      walk(outcome.outcomes);
    }
  };
  walk(scorecard.outcomes);
  return {
    caption: 'Scorecard',
    columns: ['Indicator', 'Outcome', 'Kind', 'Data', 'Latest', 'Trend', 'Curve', 'Progress'],
    rows,
  };
}

export function resultEmbedContent(
  data: ResultDashboardData,
  scorecard: ResultScorecard,
): Omit<EmbedPageInput, 'svg' | 'vegaSpec' | 'assets' | 'embedId'> {
  return {
    title: scorecard.result.statement,
    initiativeName: data.initiative.name,
    brand: data.initiative.brand,
    summary: rollUpLines(scorecard.rollUp, 'Overall').join('; ') + '.',
    chartDescription: describeScorecard(data.initiative.name, scorecard),
    disclosures: [],
    tables: [scorecardTable(scorecard)],
    sections: [],
    source: null,
  };
}

/** The page already shows the title and status lines: the embedded chart drops its own. */
export function withoutTitle(spec: TopLevelSpec): TopLevelSpec {
  const { title: _title, ...rest } = spec as TopLevelSpec & { title?: unknown };
  return rest as TopLevelSpec;
}

/** The copy-paste snippet: an iframe and the few lines that apply the reported height. */
export function embedSnippet(embedUrl: string, origin: string, title: string): string {
  return `<iframe src="${escapeHtml(embedUrl)}" title="${escapeHtml(title)}" data-rba-embed style="width:100%;border:0" height="520" loading="lazy"></iframe>
<script>
window.addEventListener("message", function (e) {
  if (e.origin !== ${jsonForScript(origin)} || !e.data || e.data.type !== "${EMBED_MESSAGE_TYPE}") return;
  document.querySelectorAll("iframe[data-rba-embed]").forEach(function (f) {
    if (f.contentWindow === e.source) f.style.height = e.data.height + "px";
  });
});
</script>`;
}
