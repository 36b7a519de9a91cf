/**
 * The scorecard of a result: its tree, each indicator's analysis summary (total slice), and the roll-ups
 * of docs/methodology.md §7 for every outcome and the result. Pure: loaded data in, response out.
 *
 * Performance measures (RBA performance accountability: a program's how much / how well / better off) are
 * shown apart from the population indicators — `performanceMeasures` next to `indicators` on each outcome,
 * and grouped by program in `programs` — and are NOT counted in the roll-ups: a roll-up answers "is the
 * community better off?", and a busy program must not mask a worsening population curve
 * (docs/accountability.md). Given a moment to judge at (`context.now`), each indicator also says whether
 * its data are overdue, and the scorecard lists overdue data (with the owner partner) and overdue actions.
 */
import type { IndicatorSummary, ResultScorecard, ScorecardOutcome } from '../../schema/contracts/scorecard.ts';
import { actionTiming, assessFreshness, daysBetween, utcDate, type ActionStatus } from './freshness.ts';
import { analyzeIndicator } from '../engine/analyze-indicator.ts';
import { rollUpTree, type RollUpItem, type RollUpTreeNode, type RollUpTreeResult } from '../engine/rollup.ts';
import type { IntervalLevel } from '../engine/series.ts';
import type { Slice } from '../engine/types.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { TreeOutcome } from '../../schema/contracts/tree.ts';
import { actionsKnownAt, type StoredAction } from './actions.ts';
import { toEngineIndicator, toObservedPoints } from './engine-input.ts';
import type { ResultForAnalysis } from './result-for-analysis.ts';
import { nestTree } from './tree.ts';

/** An indicator's line in the scorecard: its latest value, trend, curve and progress (total slice). */
export function summarise(indicator: Indicator, total: Slice): IndicatorSummary {
  const summary: IndicatorSummary = {
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
    trend: {
      direction: total.trend.direction,
      periods: total.trend.periods,
      good: total.trend.good,
      sustained: total.trend.sustained,
    },
    curve: { status: total.curve.status, latestVsForecast: total.curve.latestVsForecast, signals: total.curve.signals },
    progress: {
      method: total.progress.method,
      status: total.progress.status,
      label: total.progress.label,
      score: total.progress.score,
      value: total.progress.value,
      onPace: total.progress.onPace,
    },
    quadrant: indicator.quadrant ?? null,
    programName: indicator.programName ?? null,
  };
  return summary;
}

function rollUpItem(summary: IndicatorSummary, total: Slice): RollUpItem {
  return {
    progressStatus: summary.progress.status,
    score: total.progress.score,
    curveStatus: summary.curve.status,
    trendGood: summary.trend.good,
  };
}

interface NodeMeta {
  outcome: TreeOutcome | null;
  summaries: IndicatorSummary[];
  performance: IndicatorSummary[];
}

/** What the scorecard judges deadlines with. */
export interface ScorecardContext {
  /** The moment data and actions are judged at: asOf when given, else the time of the request. */
  now: Date;
  /** Actions linked to the result's indicators (those the caller may see). */
  actions?: StoredAction[];
  /** Total slices already analysed (with stored baseline fits), by indicator id; others are analysed here. */
  totals?: ReadonlyMap<string, Slice>;
}

const ownerRef = (id: string | null, names: Map<string, string>) => (id ? { id, name: names.get(id) ?? '' } : null);

export function buildScorecard(
  loaded: ResultForAnalysis,
  level: IntervalLevel,
  asOf: Date | null = null,
  context?: ScorecardContext,
): ResultScorecard {
  const partnerNames = new Map((loaded.partners ?? []).map((p) => [p.id, p.name]));
  const today = context ? utcDate(context.now) : null;
  // Only actions that existed at the moment judged (asOf reads the past); a done action completed later was open then.
  const actions = actionsKnownAt(context?.actions ?? [], asOf);
  const statusAt = (a: StoredAction): ActionStatus =>
    a.status === 'done' && today !== null && a.completedOn !== null && a.completedOn > today ? 'in_progress' : a.status;
  const overdueActions =
    today === null
      ? []
      : actions.filter(
          (a) => actionTiming({ status: statusAt(a), due: a.due, completedOn: a.completedOn }, today) === 'overdue',
        );

  const analysed = new Map<string, { summary: IndicatorSummary; item: RollUpItem }>();
  for (const { indicator, totalPoints } of loaded.indicators) {
    const total =
      context?.totals?.get(indicator.id) ??
      analyzeIndicator(toEngineIndicator(indicator), toObservedPoints(totalPoints), { level }).total;
    const summary = summarise(indicator, total);
    summary.ownerPartnerName = indicator.ownerPartnerId ? (partnerNames.get(indicator.ownerPartnerId) ?? null) : null;
    if (context) {
      summary.freshness = assessFreshness(
        {
          calendar: { frequency: indicator.frequency, yearStartMonth: indicator.yearStartMonth },
          reportingLag: indicator.reportingLag ?? null,
          latestPeriod: totalPoints.at(-1)?.period ?? null,
        },
        context.now,
      );
      summary.overdueActions = overdueActions.filter((a) => a.indicatorIds.includes(indicator.id)).length;
    }
    analysed.set(indicator.id, { summary, item: rollUpItem(summary, total) });
  }
  const isPerformance = (i: Indicator) => i.level === 'performance';
  const tree = nestTree(
    loaded.outcomes,
    loaded.indicators.map((i) => i.indicator),
  );
  const node = (
    outcome: TreeOutcome | null,
    indicators: Indicator[],
    children: TreeOutcome[],
  ): RollUpTreeNode<NodeMeta> => {
    const population = indicators.filter((i) => !isPerformance(i)).map((i) => analysed.get(i.id)!);
    return {
      meta: {
        outcome,
        summaries: population.map((a) => a.summary),
        performance: indicators.filter(isPerformance).map((i) => analysed.get(i.id)!.summary),
      },
      items: population.map((a) => a.item),
      children: children.map((child) => node(child, child.indicators, child.outcomes)),
    };
  };
  const rolled = rollUpTree(node(null, tree.indicators, tree.outcomes));
  const toOutcome = (result: RollUpTreeResult<NodeMeta>): ScorecardOutcome => {
    const { outcome, summaries, performance } = result.meta!;
    const { outcomes: _children, indicators: _indicators, ...fields } = outcome!;
    return {
      ...fields,
      rollUp: result.rollUp,
      indicators: summaries,
      performanceMeasures: performance,
      outcomes: result.children.map(toOutcome),
    };
  };

  const card: ResultScorecard = {
    engineVersion: ENGINE_VERSION,
    level,
    asOf: asOf?.toISOString() ?? null,
    result: loaded.result,
    rollUp: rolled.rollUp,
    indicators: rolled.meta!.summaries,
    outcomes: rolled.children.map(toOutcome),
    performanceMeasures: rolled.meta!.performance,
    programs: programsOf(loaded.indicators.map((i) => i.indicator).filter(isPerformance), partnerNames),
    judgedAt: context ? context.now.toISOString() : null,
  };
  if (context && today !== null) {
    const summaries = loaded.indicators.map(({ indicator }) => ({
      indicator,
      summary: analysed.get(indicator.id)!.summary,
    }));
    const counts = { fresh: 0, overdue: 0, no_data: 0, no_expectation: 0 };
    for (const { summary } of summaries) counts[summary.freshness!.status] += 1;
    card.dataFreshness = {
      counts,
      overdue: summaries
        .filter(({ summary }) => summary.freshness!.status === 'overdue' || summary.freshness!.status === 'no_data')
        .map(({ indicator, summary }) => ({
          indicatorId: indicator.id,
          name: indicator.name,
          level: indicator.level,
          owner: ownerRef(indicator.ownerPartnerId, partnerNames),
          freshness: summary.freshness!,
        })),
    };
    const actionCounts = { planned: 0, in_progress: 0, done: 0, dropped: 0 };
    for (const a of actions) actionCounts[statusAt(a)] += 1;
    card.actions = {
      counts: actionCounts,
      overdue: overdueActions.map((a) => ({
        id: a.id,
        title: a.title,
        status: statusAt(a),
        start: a.start,
        due: a.due,
        daysOverdue: daysBetween(a.due, today),
        owner: a.ownerPartnerId ? { id: a.ownerPartnerId, name: a.ownerPartnerName ?? '' } : null,
        indicatorIds: a.indicatorIds,
      })),
    };
  }
  return card;
}

/** Performance measures grouped by (owner partner, program), in the order they appear. */
function programsOf(
  measures: Indicator[],
  partnerNames: Map<string, string>,
): NonNullable<ResultScorecard['programs']> {
  const programs = new Map<string, NonNullable<ResultScorecard['programs']>[number]>();
  for (const measure of measures) {
    const key = `${measure.ownerPartnerId ?? ''}\u0000${measure.programName ?? ''}`;
    let program = programs.get(key);
    if (!program) {
      program = {
        programName: measure.programName ?? null,
        owner: ownerRef(measure.ownerPartnerId, partnerNames),
        outcomeIds: [],
        measures: { how_much: [], how_well: [], better_off: [], unspecified: [] },
      };
      programs.set(key, program);
    }
    if (!program.outcomeIds.includes(measure.outcomeId)) program.outcomeIds.push(measure.outcomeId);
    program.measures[measure.quadrant ?? 'unspecified'].push(measure.id);
  }
  return [...programs.values()];
}
