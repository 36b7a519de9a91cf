/** The SMART check of a result (`GET /results/{id}/smart`; docs/methodology.md §8), from what the reader may see. */
import { buildSmartCheck, type SmartCheckResponse } from '../domain/smart.ts';
import type { Db } from '../dependencies.ts';
import { audienceOf } from '../domain/disclosure.ts';
import { loadResultForAnalysis } from '../repositories/result-analysis.ts';
import { visibleTotals } from './reader-view.ts';

export async function getResultSmartCheck(
  db: Db,
  resultId: string,
  includePrivate: boolean,
): Promise<SmartCheckResponse> {
  return buildSmartCheck(
    await loadResultForAnalysis(db, resultId, includePrivate, (ids) =>
      visibleTotals(db, ids, () => audienceOf(includePrivate), undefined),
    ),
  );
}
