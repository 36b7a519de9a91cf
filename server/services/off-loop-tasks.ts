/**
 * The CPU-heavy steps of reading an indicator — the engine's analysis, the chart's Vega-Lite spec and its SVG
 * rendering — as plain functions of structured-cloneable data, run in a worker thread by off-loop.ts (and
 * directly where no worker can start). 20 groups × 1,200 periods take seconds of CPU: in the worker they no
 * longer stop every other request.
 */
import type { Spec as VegaSpec } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg, describeIndicator } from '../../dashboards/index.ts';
import {
  indicatorChartSpec,
  withoutTitle,
  type ChartView,
  type IndicatorChartData,
} from '../domain/dashboard-views.ts';
import { compileToVega, renderSvg } from '../domain/render-svg.ts';
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
  const vegaSpec = compileToVega(withoutTitle(indicatorChartSpec(data, analysis, 'total', 'container')));
  return { svg, vegaSpec };
}

export const tasks = { analyze, chart, embedCharts };
export type Tasks = typeof tasks;
