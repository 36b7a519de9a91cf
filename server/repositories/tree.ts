/**
 * The whole tree of a result in three queries, whatever its size: the result, all its outcomes, all its
 * indicators; nesting is done in memory.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Outcome } from '../../schema/contracts/outcomes.ts';
import type { ResultTree, TreeOutcome } from '../../schema/contracts/tree.ts';
import { findResultOrThrow } from './results.ts';
import { onlyVisible, selectIndicators, toIndicator } from './indicators.ts';
import { toOutcome } from './outcomes.ts';

const bySiblingOrder = (a: { position: number; id: string }, b: { position: number; id: string }) =>
  a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Nests flat outcomes and indicators under a result. Pure; exported for the scorecard, which nests the
 * same way.
 */
export function nestTree(
  outcomes: Outcome[],
  indicators: Indicator[],
): { outcomes: TreeOutcome[]; indicators: Indicator[] } {
  const childrenOf = new Map<string | null, Outcome[]>();
  for (const outcome of [...outcomes].sort(bySiblingOrder)) {
    const siblings = childrenOf.get(outcome.parentOutcomeId) ?? [];
    siblings.push(outcome);
    childrenOf.set(outcome.parentOutcomeId, siblings);
  }
  const indicatorsOf = new Map<string | null, Indicator[]>();
  for (const indicator of [...indicators].sort(bySiblingOrder)) {
    const list = indicatorsOf.get(indicator.outcomeId) ?? [];
    list.push(indicator);
    indicatorsOf.set(indicator.outcomeId, list);
  }
  const build = (parentId: string | null): TreeOutcome[] =>
    (childrenOf.get(parentId) ?? []).map((outcome) => ({
      ...outcome,
      outcomes: build(outcome.id),
      indicators: indicatorsOf.get(outcome.id) ?? [],
    }));
  return { outcomes: build(null), indicators: indicatorsOf.get(null) ?? [] };
}

/** The tree of a result; private indicators are left out unless `includePrivate`. */
export async function readResultTree(
  db: Kysely<Database>,
  resultId: string,
  includePrivate: boolean,
): Promise<ResultTree> {
  const result = await findResultOrThrow(db, resultId);
  const [outcomeRows, indicatorRows] = await Promise.all([
    db.selectFrom('outcomes').selectAll().where('resultId', '=', resultId).execute(),
    onlyVisible(selectIndicators(db), includePrivate).where('indicators.resultId', '=', resultId).execute(),
  ]);
  return { ...result, ...nestTree(outcomeRows.map(toOutcome), indicatorRows.map(toIndicator)) };
}
