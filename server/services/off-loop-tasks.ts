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
import { toEngineIndicator, toObservedPoints } from '../domain/engine-input.ts';
import { compileToVega, renderSvg } from '../domain/render-svg.ts';
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import type { IntervalLevel } from '../engine/series.ts';
import type { IndicatorAnalysis } from '../engine/types.ts';

export interface AnalyzeInput {
  indicator: IndicatorChartData['indicator'];
  points: IndicatorChartData['points'];
  level: IntervalLevel;
}

export interface ChartInput {
  data: IndicatorChartData;
  level: IntervalLevel;
  view: ChartView;
  /** Rendered to SVG at this width when given (with the font CSS the SVG embeds). */
  svg?: { width: number; fontFaceCss: string };
}

export interface ChartOutput {
  analysis: IndicatorAnalysis;
  spec: TopLevelSpec | null;
  svg: string | null;
}

export function analyze({ indicator, points, level }: AnalyzeInput): IndicatorAnalysis {
  return analyzeIndicator(toEngineIndicator(indicator), toObservedPoints(points), { level });
}

export async function chart({ data, level, view, svg }: ChartInput): Promise<ChartOutput> {
  const analysis = analyze({ indicator: data.indicator, points: data.points, level });
  if (!svg) return { analysis, spec: indicatorChartSpec(data, analysis, view), svg: null };
  const rendered = accessibleSvg(
    await renderSvg(indicatorChartSpec(data, analysis, view, svg.width)),
    { title: data.indicator.name, description: describeIndicator(data.indicator, analysis) },
    { fontFaceCss: svg.fontFaceCss },
  );
  return { analysis, spec: null, svg: rendered };
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
