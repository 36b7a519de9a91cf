/**
 * The SMART check of a result (docs/methodology.md §8) from loaded data: each indicator's baseline and history come
 * from the engine's own resolution of the baseline period, so the check and the analysis agree. Pure.
 */
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import { parsePeriod } from '../engine/periods.ts';
import { smartCheck, type SmartCheck } from '../engine/smart-check.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import type { ResultForAnalysis } from './result-for-analysis.ts';
import { toEngineIndicator, toObservedPoints } from './engine-input.ts';

export type SmartCheckResponse = SmartCheck & { engineVersion: string; resultId: string };

export function buildSmartCheck(loaded: ResultForAnalysis): SmartCheckResponse {
  const indicators = loaded.indicators.map(({ indicator, totalPoints }) => {
    const engineIndicator = toEngineIndicator(indicator);
    const { inputs } = analyzeIndicator(engineIndicator, toObservedPoints(totalPoints));
    const calendar = { frequency: engineIndicator.frequency, yearStartMonth: engineIndicator.yearStartMonth };
    const baselineIndex = inputs.baselinePeriod ? parsePeriod(inputs.baselinePeriod, calendar) : null;
    const history =
      baselineIndex?.ok === true
        ? totalPoints
            .filter((p) => p.periodIndex <= baselineIndex.index)
            .map((p) => ({ period: p.period, value: p.value }))
        : [];
    return {
      id: indicator.id,
      name: indicator.name,
      definition: indicator.definition,
      unit: indicator.unit,
      level: indicator.level,
      isHeadline: indicator.outcomeId === null,
      hasBasePoint: inputs.basePoint !== null && !inputs.basePoint.firstAfterBaseline,
      basePoint: inputs.basePoint ? { period: inputs.basePoint.period, value: inputs.basePoint.value } : null,
      target: indicator.target,
      polarity: indicator.polarity,
      calendar,
      history,
    };
  });
  const { population, geography, timeFrame } = loaded.result;
  return {
    engineVersion: ENGINE_VERSION,
    resultId: loaded.result.id,
    ...smartCheck({ population, geography, timeFrame, indicators }),
  };
}
