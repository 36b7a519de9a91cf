/**
 * The CPU-heavy steps of reading an indicator — the engine's analysis, the chart's Vega-Lite spec and its SVG
 * rendering — as plain functions of structured-cloneable data, run in a worker thread by off-loop.ts (and
 * directly where no worker can start). 20 groups × 1,200 periods take seconds of CPU: in the worker they no
 * longer stop every other request.
 *
 * The `…Answer` tasks go on to the bytes of the HTTP answer (the JSON or SVG text, UTF-8): a large answer's
 * serialisation (4.5 MB of analysis JSON, an 18 MB group SVG) and its copying between threads are off the
 * event loop too — bytes are transferred, not copied, and the analysis never comes back as objects.
 */
import type { Spec as VegaSpec } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { safeEncode } from 'zod/v4/core';
import type { Action } from '../../schema/contracts/actions.ts';
import { IndicatorAnalysisWithReport, type CurveReport } from '../../schema/contracts/curve-reports.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import { embedPage, type EmbedAssets } from '../../dashboards/embed-page.ts';
import { accessibleSvg, describeIndicator, summarizeIndicator } from '../../dashboards/index.ts';
import {
  indicatorChartSpec,
  indicatorEmbedContent,
  withoutTitle,
  type ChartView,
  type IndicatorChartData,
} from '../domain/dashboard-views.ts';
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { compileToVega, renderSvg } from '../domain/render-svg.ts';
import type { SeriesPoint } from '../domain/series-point.ts';
import type { StoredFit } from '../repositories/baseline-fits.ts';
import { analyzeWithFitsGiven, totalsWithFitsGiven, type Refit } from './stored-fits.ts';
import { analyzeIndicatorWithFits } from '../engine/analyze-indicator.ts';
import type { BaselineModelResult } from '../engine/forecast-model.ts';
import type { EngineIndicator, IntervalLevel, ObservedPoint } from '../engine/series.ts';
import type { IndicatorAnalysis } from '../engine/types.ts';

export interface AnalyzeInput {
  indicator: EngineIndicator;
  points: ObservedPoint[];
  level: IntervalLevel;
  /** Stored baseline fits that still apply, by slice key (stored-fits.ts): not refitted. */
  baselineModels: Array<[string, BaselineModelResult]>;
}

export interface AnalyzeOutput {
  analysis: IndicatorAnalysis;
  /** The baseline fit of every slice (null where no model was fitted), to store. */
  fits: Array<[string, BaselineModelResult | null]>;
}

export interface ChartInput {
  data: IndicatorChartData;
  analysis: IndicatorAnalysis;
  view: ChartView;
  /** Rendered to SVG at this width when given (with the font CSS the SVG embeds). */
  svg?: { width: number; fontFaceCss: string };
}

export interface ChartOutput {
  spec: TopLevelSpec | null;
  svg: string | null;
}

export function analyze({ indicator, points, level, baselineModels }: AnalyzeInput): AnalyzeOutput {
  const { analysis, fits } = analyzeIndicatorWithFits(indicator, points, {
    level,
    baselineModels: new Map(baselineModels),
  });
  return { analysis, fits: [...fits] };
}

export async function chart({ data, analysis, view, svg }: ChartInput): Promise<ChartOutput> {
  if (!svg) return { spec: indicatorChartSpec(data, analysis, view), svg: null };
  const rendered = accessibleSvg(
    await renderSvg(indicatorChartSpec(data, analysis, view, svg.width)),
    { title: data.indicator.name, description: describeIndicator(data.indicator, analysis) },
    { fontFaceCss: svg.fontFaceCss },
  );
  return { spec: null, svg: rendered };
}

export interface EmbedChartsInput {
  data: IndicatorChartData;
  analysis: IndicatorAnalysis;
  title: string;
  summary: string;
}

/** The indicator embed page's two charts: server-rendered SVG, and the compiled Vega spec that follows the page's width. */
export async function embedCharts({ data, analysis, title, summary }: EmbedChartsInput): Promise<{
  svg: string;
  vegaSpec: VegaSpec;
}> {
  const spec = withoutTitle(indicatorChartSpec(data, analysis, 'total'));
  const svg = accessibleSvg(await renderSvg(spec), { title, description: summary });
  const vegaSpec = await compileToVega(withoutTitle(indicatorChartSpec(data, analysis, 'total', 'container')));
  return { svg, vegaSpec };
}

/** An HTTP answer made in the worker: its bytes (transferred to the main thread), and the fits to store. */
export interface Answer {
  body: Uint8Array;
  refits: Refit[];
}

/** What the `…Answer` tasks share: one indicator's points, its stored fits, the interval level. */
interface AnswerInput {
  /** This indicator's stored fits by slice (stored-fits.ts). */
  storedFits: Array<[string, StoredFit]>;
  level: IntervalLevel;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function analyzed(indicator: Indicator, points: SeriesPoint[], { storedFits, level }: AnswerInput) {
  return analyzeWithFitsGiven(toEngineIndicator(indicator), toObservedPoints(points), new Map(storedFits), level);
}

export interface AnalysisAnswerInput extends AnswerInput {
  indicator: Indicator;
  points: SeriesPoint[];
  asOf: string | null;
  curveReport: CurveReport | null;
  /** The actions that existed at asOf, judged on that day. */
  actions: Action[];
}

/**
 * `GET /indicators/{id}/analysis`: the analysis with its summary, report and actions, checked and encoded
 * against the route's response schema exactly as the route's serializer would (fastify-type-provider-zod).
 */
export function analysisAnswer(input: AnalysisAnswerInput): Answer {
  const { analysis, refits } = analyzed(input.indicator, input.points, input);
  const answer = {
    indicatorId: input.indicator.id,
    asOf: input.asOf,
    ...analysis,
    // The same two sentences the embed page shows above the chart.
    summary: summarizeIndicator(input.indicator, analysis),
    curveReport: input.curveReport,
    actions: input.actions,
  };
  const encoded = safeEncode(IndicatorAnalysisWithReport, answer);
  if (encoded.error) throw new Error(`the analysis does not match its response schema: ${encoded.error.message}`);
  return { body: utf8(JSON.stringify(encoded.data)), refits };
}

export interface ChartAnswerInput extends AnswerInput {
  data: IndicatorChartData;
  view: ChartView;
  /** Rendered to SVG at this width when given (with the font CSS the SVG embeds); else the Vega-Lite spec. */
  svg?: { width: number; fontFaceCss: string };
}

/** `chart.vl.json` (the spec's JSON) or `chart.svg`. */
export async function chartAnswer({ data, view, svg, ...input }: ChartAnswerInput): Promise<Answer> {
  const { analysis, refits } = analyzed(data.indicator, data.points, input);
  const rendered = await chart({ data, analysis, view, ...(svg ? { svg } : {}) });
  return { body: utf8(rendered.svg ?? JSON.stringify(rendered.spec)), refits };
}

export interface EmbedAnswerInput extends AnswerInput {
  data: IndicatorChartData;
  assets: EmbedAssets;
}

/** The indicator's embed page (`/embed/indicators/{id}`): its HTML with both charts and the data tables. */
export async function embedAnswer({ data, assets, ...input }: EmbedAnswerInput): Promise<Answer> {
  const { analysis, refits } = analyzed(data.indicator, data.points, input);
  const content = indicatorEmbedContent(data, analysis);
  const { svg, vegaSpec } = await embedCharts({ data, analysis, title: content.title, summary: content.summary });
  return { body: utf8(embedPage({ ...content, embedId: data.indicator.id, svg, vegaSpec, assets })), refits };
}

export const tasks = {
  analyze,
  chart,
  embedCharts,
  analysisAnswer,
  chartAnswer,
  embedAnswer,
  /** A scorecard's total slices, a batch of indicators at a time (services/result-scorecard.ts). */
  totals: ({ subjects, level }: { subjects: Parameters<typeof totalsWithFitsGiven>[0]; level: IntervalLevel }) =>
    totalsWithFitsGiven(subjects, level),
};
export type Tasks = typeof tasks;
