/**
 * The scorecard of a result: its tree, each indicator's analysis summary (total slice), and the roll-ups
 * of engine.md §7 for every outcome and the result. Pure: loaded data in, response out.
 */
import type { IndicatorSummary, ResultScorecard, ScorecardOutcome } from '../../schema/contracts/scorecard.ts';
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import { rollUpTree, type RollUpItem, type RollUpTreeNode, type RollUpTreeResult } from '../engine/rollup.ts';
import type { IntervalLevel } from '../engine/series.ts';
import type { Slice } from '../engine/types.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import type { ResultForAnalysis } from '../repositories/result-analysis.ts';
import { nestTree } from '../repositories/tree.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { TreeOutcome } from '../../schema/contracts/tree.ts';
import { toEngineIndicator, toObservedPoints } from './engine-input.ts';

function summarise(indicator: Indicator, total: Slice): IndicatorSummary {
  return {
    id: indicator.id,
    name: indicator.name,
    code: indicator.code,
    unit: indicator.unit,
    unitLabel: indicator.unitLabel,
    decimals: indicator.decimals,
    polarity: indicator.polarity,
    frequency: indicator.frequency,
    level: indicator.level,
    visibility: indicator.visibility,
    ownerPartnerId: indicator.ownerPartnerId,
    target: indicator.target,
    latest: total.latest,
    trend: { direction: total.trend.direction, periods: total.trend.periods, good: total.trend.good, sustained: total.trend.sustained },
    curve: { status: total.curve.status, latestVsForecast: total.curve.latestVsForecast, signals: total.curve.signals },
    progress: {
      method: total.progress.method,
      status: total.progress.status,
      label: total.progress.label,
      score: total.progress.score,
      value: total.progress.value,
      onPace: total.progress.onPace,
    },
  };
}

function rollUpItem(summary: IndicatorSummary, total: Slice): RollUpItem {
  return { progressStatus: summary.progress.status, score: total.progress.score, curveStatus: summary.curve.status, trendGood: summary.trend.good };
}

interface NodeMeta {
  outcome: TreeOutcome | null;
  summaries: IndicatorSummary[];
}

export function buildScorecard(loaded: ResultForAnalysis, level: IntervalLevel, asOf: Date | null = null): ResultScorecard {
  const analysed = new Map<string, { summary: IndicatorSummary; item: RollUpItem }>();
  for (const { indicator, row, totalPoints } of loaded.indicators) {
    const { total } = analyzeIndicator(toEngineIndicator(row), toObservedPoints(totalPoints), { level });
    const summary = summarise(indicator, total);
    analysed.set(indicator.id, { summary, item: rollUpItem(summary, total) });
  }
  const tree = nestTree(loaded.outcomes, loaded.indicators.map((i) => i.indicator));
  const node = (outcome: TreeOutcome | null, indicators: Indicator[], children: TreeOutcome[]): RollUpTreeNode<NodeMeta> => {
    const own = indicators.map((i) => analysed.get(i.id)!);
    return {
      meta: { outcome, summaries: own.map((a) => a.summary) },
      items: own.map((a) => a.item),
      children: children.map((child) => node(child, child.indicators, child.outcomes)),
    };
  };
  const rolled = rollUpTree(node(null, tree.indicators, tree.outcomes));
  const toOutcome = (result: RollUpTreeResult<NodeMeta>): ScorecardOutcome => {
    const { outcome, summaries } = result.meta!;
    const { outcomes: _children, indicators: _indicators, ...fields } = outcome!;
    return { ...fields, rollUp: result.rollUp, indicators: summaries, outcomes: result.children.map(toOutcome) };
  };
  return {
    engineVersion: ENGINE_VERSION,
    level,
    asOf: asOf?.toISOString() ?? null,
    result: loaded.result,
    rollUp: rolled.rollUp,
    indicators: rolled.meta!.summaries,
    outcomes: rolled.children.map(toOutcome),
  };
}
