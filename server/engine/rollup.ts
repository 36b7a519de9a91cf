/**
 * Roll-ups of outcomes and of the shared result (docs/methodology.md §7), following Statistics Canada's aggregation of
 * series scores into an indicator score (open-sdg/sdg-build `IndicatorProgress.get_indicator_progress`):
 *
 *  1. the scored items are those whose progress status is not `not_available` (and whose score is a number);
 *  2. score = the mean of their scores;
 *  3. status from the mean: [2.5, 5] substantial, [0, 2.5) moderate, [−2.5, 0) limited, [−5, −2.5) deterioration;
 *     `target_achieved` only when every scored item achieved its target; `not_available` when nothing is scored;
 *  4. counts per progress status and per curve status, and the share of items trending the good way.
 *
 * Which indicators belong to an outcome (its own plus all its sub-outcomes') is the caller's choice; the
 * helper {@link rollUpTree} does it for a tree.
 *
 * Choice where engine.md is silent: `shareTrendingGood` is the number of items whose current trend is good
 * divided by *all* items (an indicator that is flat or has fewer than 2 points is not trending the right way);
 * `counts.trend` gives good / bad / unknown so a reader can recompute it another way. Null with no items.
 *
 * Pure functions, no I/O.
 */
import { PROGRESS_LABELS, PROGRESS_STATUSES, type ProgressStatus } from './progress.ts';
import { CURVE_STATUSES, type CurveStatus } from './vocabulary.ts';

export { CURVE_STATUSES, type CurveStatus } from './vocabulary.ts';

/** What a roll-up needs to know about one indicator (the analysis of its total slice). */
export interface RollUpItem {
  progressStatus: ProgressStatus;
  /** The progress score in [−5, 5]; null when not available. */
  score: number | null;
  curveStatus: CurveStatus;
  /** The current trend's `good` (docs/methodology.md §2): true, false, or null when flat or unknown. */
  trendGood: boolean | null;
}

export interface RollUp {
  method: 'mean_score';
  status: ProgressStatus;
  label: string;
  /** Mean score of the scored items; null when nothing is scored. */
  score: number | null;
  counts: {
    progress: Record<ProgressStatus, number>;
    curve: Record<CurveStatus, number>;
    trend: { good: number; bad: number; unknown: number };
  };
  /** Every item rolled up. */
  indicatorCount: number;
  /** Items with a score (status other than `not_available`). */
  scoredCount: number;
  /** counts.trend.good / indicatorCount; null when there are no items. */
  shareTrendingGood: number | null;
}

/**
 * Rolls indicators up into one status and score (docs/methodology.md §7).
 *
 * @example
 * rollUp([
 *   { progressStatus: 'substantial_progress', score: 5,    curveStatus: 'turned',     trendGood: true },
 *   { progressStatus: 'limited_progress',     score: -1.6, curveStatus: 'not_turned', trendGood: false },
 *   { progressStatus: 'target_achieved',      score: 5,    curveStatus: 'turned',     trendGood: null },
 *   { progressStatus: 'not_available',        score: null, curveStatus: 'insufficient_data', trendGood: null },
 * ])
 * // score = (5 − 1.6 + 5) / 3 = 2.8 → 'substantial_progress'; scoredCount 3, indicatorCount 4,
 * // counts.curve { turned: 2, not_turned: 1, worsened: 0, insufficient_data: 1 }, shareTrendingGood 1/4 = 0.25
 */
export function rollUp(items: readonly RollUpItem[]): RollUp {
  const progress = Object.fromEntries(PROGRESS_STATUSES.map((s) => [s, 0])) as Record<ProgressStatus, number>;
  const curve = Object.fromEntries(CURVE_STATUSES.map((s) => [s, 0])) as Record<CurveStatus, number>;
  const trend = { good: 0, bad: 0, unknown: 0 };
  const scores: number[] = [];
  let allAchieved = true;

  for (const item of items) {
    progress[item.progressStatus] += 1;
    curve[item.curveStatus] += 1;
    if (item.trendGood === true) trend.good += 1;
    else if (item.trendGood === false) trend.bad += 1;
    else trend.unknown += 1;
    if (item.progressStatus !== 'not_available' && item.score !== null && Number.isFinite(item.score)) {
      scores.push(item.score);
      if (item.progressStatus !== 'target_achieved') allAchieved = false;
    }
  }

  const score = scores.length === 0 ? null : meanOf(scores);
  const status: ProgressStatus =
    score === null ? 'not_available' : allAchieved ? 'target_achieved' : statusFromScore(score);
  return {
    method: 'mean_score',
    status,
    label: PROGRESS_LABELS[status],
    score,
    counts: { progress, curve, trend },
    indicatorCount: items.length,
    scoredCount: scores.length,
    shareTrendingGood: items.length === 0 ? null : trend.good / items.length,
  };
}

/**
 * Status from a mean score (docs/methodology.md §7): [2.5, 5] substantial, [0, 2.5) moderate, [−2.5, 0) limited,
 * [−5, −2.5) deterioration.
 *
 * @example statusFromScore(2.5)   // 'substantial_progress'
 * @example statusFromScore(-2.5)  // 'limited_progress'
 * @example statusFromScore(-2.51) // 'deterioration'
 */
export function statusFromScore(
  score: number,
): 'substantial_progress' | 'moderate_progress' | 'limited_progress' | 'deterioration' {
  if (score >= 2.5) return 'substantial_progress';
  if (score >= 0) return 'moderate_progress';
  if (score >= -2.5) return 'limited_progress';
  return 'deterioration';
}

/** A node of a result's tree: its own indicators and its sub-outcomes. `meta` is carried through untouched. */
export interface RollUpTreeNode<M = unknown> {
  meta?: M;
  items: RollUpItem[];
  children: RollUpTreeNode<M>[];
}

/** A node's roll-up over its own items and every descendant's, with the children's roll-ups nested. */
export interface RollUpTreeResult<M = unknown> {
  meta?: M;
  rollUp: RollUp;
  children: RollUpTreeResult<M>[];
}

/**
 * Rolls up a tree: each node over its own items and all its descendants' items (docs/methodology.md §7: "the mean of
 * the scores of all indicators below it"). Each indicator counts once, however deep: a parent's score is the
 * mean over all its indicators, not the mean of its children's means.
 *
 * @example
 * rollUpTree({ meta: 'result', items: [A], children: [{ meta: 'outcome 1', items: [B, C], children: [] }] })
 * // { meta: 'result', rollUp: rollUp([A, B, C]), children: [{ meta: 'outcome 1', rollUp: rollUp([B, C]), children: [] }] }
 */
export function rollUpTree<M>(node: RollUpTreeNode<M>): RollUpTreeResult<M> {
  return walk(node).result;
}

function walk<M>(node: RollUpTreeNode<M>): { result: RollUpTreeResult<M>; items: RollUpItem[] } {
  const all: RollUpItem[] = [...node.items];
  const children: RollUpTreeResult<M>[] = [];
  for (const child of node.children) {
    const walked = walk(child);
    children.push(walked.result);
    all.push(...walked.items);
  }
  const result: RollUpTreeResult<M> = { rollUp: rollUp(all), children };
  if (node.meta !== undefined) result.meta = node.meta;
  return { result, items: all };
}

/** The arithmetic mean; the values are summed in ascending order so the result never depends on the items' order. */
function meanOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / sorted.length;
  return mean === 0 ? 0 : mean;
}
