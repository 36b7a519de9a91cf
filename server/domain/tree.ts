/**
 * The tree of a result: outcomes nested under their parents, indicators under their outcome (headline
 * indicators under the result). Pure; the tree read and the scorecard nest the same way.
 */
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Outcome } from '../../schema/contracts/outcomes.ts';
import type { TreeOutcome } from '../../schema/contracts/tree.ts';

const bySiblingOrder = (a: { position: number; id: string }, b: { position: number; id: string }) =>
  a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Nests flat outcomes and indicators under a result, each level in its sibling order (position, then id).
 *
 * @example nestTree([{ id: 'o1', parentOutcomeId: null, … }, { id: 'o2', parentOutcomeId: 'o1', … }], [{ id: 'i1', outcomeId: 'o2', … }])
 *   // { outcomes: [{ id: 'o1', outcomes: [{ id: 'o2', outcomes: [], indicators: [i1] }], indicators: [] }], indicators: [] }
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
