/**
 * The whole tree of a result in three queries, whatever its size: the result, all its outcomes, all its
 * indicators; nesting is done in memory (domain/tree.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { ResultTree } from '../../schema/contracts/tree.ts';
import { nestTree } from '../domain/tree.ts';
import { findResultOrThrow } from './results.ts';
import { onlyVisible, selectIndicators, toIndicator } from './indicators.ts';
import { toOutcome } from './outcomes.ts';

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
