/**
 * What the dashboard and embed routes draw: an indicator with all its points and its initiative's brand, or
 * a result's scorecard inputs with its initiative. A fixed number of queries each.
 */
import type { Kysely } from 'kysely';
import type { Database, DataPointRow } from '../../schema/database.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import type { Initiative } from '../../schema/contracts/initiatives.ts';
import type { Result } from '../../schema/contracts/results.ts';
import type { Action } from '../../schema/contracts/actions.ts';
import type { CurveReport } from '../../schema/contracts/curve-reports.ts';
import { actionsOfIndicators, toAction, type ActionWithLinks } from './actions.ts';
import { findCurveReport } from './curve-reports.ts';
import { allPointsOf } from './data-points.ts';
import { selectIndicators, toIndicator, type IndicatorWithVisibility } from './indicators.ts';
import { findInitiativeOrThrow } from './initiatives.ts';
import { loadResultForAnalysis, type ResultForAnalysis } from './result-analysis.ts';
import { findResultOrThrow } from './results.ts';
import { NotFoundError } from '../errors.ts';

export interface IndicatorChartData {
  indicator: Indicator;
  row: IndicatorWithVisibility;
  points: DataPointRow[];
  result: Result;
  initiative: Initiative;
  /** The turn-the-curve report (the story behind the curve, what works, the plan); null when none. */
  curveReport: CurveReport | null;
  /** The actions linked to the indicator that the reader may see, judged at `asOf` or now. */
  actions: Action[];
}

export async function loadIndicatorChartData(
  db: Kysely<Database>,
  indicatorId: string,
  asOf: Date | undefined,
  includePrivate: boolean,
): Promise<IndicatorChartData> {
  const row = await selectIndicators(db).where('indicators.id', '=', indicatorId).executeTakeFirst();
  if (!row) throw new NotFoundError('indicator', indicatorId);
  const [points, result, initiative, curveReport, actionRows] = await Promise.all([
    allPointsOf(db, [indicatorId], asOf),
    findResultOrThrow(db, row.resultId),
    findInitiativeOrThrow(db, row.initiativeId),
    findCurveReport(db, indicatorId, asOf),
    actionsOfIndicators(db, [indicatorId], includePrivate),
  ]);
  const today = (asOf ?? new Date()).toISOString().slice(0, 10);
  const actions = actionRows.filter((a) => asOf === undefined || a.createdAt <= asOf).map((a) => toAction(a, today));
  return { indicator: toIndicator(row), row, points, result, initiative, curveReport, actions };
}

export interface ResultDashboardData {
  loaded: ResultForAnalysis;
  initiative: Initiative;
  /** The actions linked to its indicators that the reader may see (for overdue flags). */
  actions: ActionWithLinks[];
}

export async function loadResultDashboardData(
  db: Kysely<Database>,
  resultId: string,
  includePrivate: boolean,
  asOf?: Date,
): Promise<ResultDashboardData> {
  const loaded = await loadResultForAnalysis(db, resultId, includePrivate, asOf);
  const [initiative, actions] = await Promise.all([
    findInitiativeOrThrow(db, loaded.result.initiativeId),
    actionsOfIndicators(
      db,
      loaded.indicators.map((i) => i.indicator.id),
      includePrivate,
    ),
  ]);
  return { loaded, initiative, actions };
}
