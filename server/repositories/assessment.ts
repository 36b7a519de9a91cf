/**
 * Everything the self-assessment and the field summary need about a set of partnerships, in seven queries
 * whatever their number: the initiatives, their results, indicators, total-slice points, partners, actions
 * and current turn-the-curve reports — each filtered to what the caller may see.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { PrivateScope } from '../auth/visibility.ts';
import type { LoadedPartnership } from '../domain/assessment.ts';
import type { TotalsReader } from '../domain/series-point.ts';
import { actionIsPublic, selectActions, toStoredAction } from './actions.ts';
import { indicatorsWithReport } from './curve-reports.ts';
import { selectIndicators, toIndicator } from './indicators.ts';
import { toInitiative } from './initiatives.ts';
import { toResult } from './results.ts';

/**
 * The partnerships `initiativeIds` (or every partnership the caller may see, when null: all of them for
 * administrators; otherwise those with a public result, and the token's own), with what the caller may see
 * of each.
 */
export async function loadPartnerships(
  db: Kysely<Database>,
  initiativeIds: string[] | null,
  scope: PrivateScope,
  /** Reads the indicators' totals as the caller may see them (services/reader-view.ts `visibleTotals`). */
  readTotals: TotalsReader,
): Promise<LoadedPartnership[]> {
  const own = scope === 'all' ? [] : scope;
  let initiativeQuery = db.selectFrom('initiatives').selectAll().orderBy('name').orderBy('id');
  if (initiativeIds !== null) {
    if (initiativeIds.length === 0) return [];
    initiativeQuery = initiativeQuery.where('id', 'in', initiativeIds);
  } else if (scope !== 'all') {
    initiativeQuery = initiativeQuery.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('results')
            .select('results.id')
            .whereRef('results.initiativeId', '=', 'initiatives.id')
            .where('results.visibility', '=', 'public'),
        ),
        ...(own.length ? [eb('initiatives.id', 'in', own)] : []),
      ]),
    );
  }
  const initiatives = await initiativeQuery.execute();
  const ids = initiatives.map((i) => i.id);
  if (ids.length === 0) return [];

  const seesPrivateSql = (column: string) =>
    scope === 'all'
      ? sql<boolean>`true`
      : own.length
        ? sql<boolean>`${sql.ref(column)} in (${sql.join(own)})`
        : sql<boolean>`false`;
  const [results, indicatorRows, partners, actions] = await Promise.all([
    db
      .selectFrom('results')
      .selectAll()
      .where('initiativeId', 'in', ids)
      .where((eb) => eb.or([eb('visibility', '=', 'public'), seesPrivateSql('results.initiative_id')]))
      .orderBy('createdAt')
      .orderBy('id')
      .execute(),
    selectIndicators(db)
      .where('indicators.initiativeId', 'in', ids)
      .where(
        sql<boolean>`(coalesce(indicators.visibility, results.visibility) = 'public' or ${seesPrivateSql('indicators.initiative_id')})`,
      )
      .orderBy('indicators.position')
      .orderBy('indicators.id')
      .execute(),
    db.selectFrom('partners').select(['id', 'name', 'initiativeId']).where('initiativeId', 'in', ids).execute(),
    selectActions(db)
      .where('actions.initiativeId', 'in', ids)
      .where(sql<boolean>`(${actionIsPublic} or ${seesPrivateSql('actions.initiative_id')})`)
      .orderBy('actions.startDate')
      .orderBy('actions.id')
      .execute(),
  ]);
  const indicatorIds = indicatorRows.map((row) => row.id);
  const [seriesOf, reported] = await Promise.all([readTotals(indicatorIds), indicatorsWithReport(db, indicatorIds)]);
  return initiatives.map((initiative) => ({
    initiative: toInitiative(initiative),
    results: results
      .filter((r) => r.initiativeId === initiative.id)
      .map((r) => ({
        result: toResult(r),
        outcomes: [],
        indicators: indicatorRows
          .filter((row) => row.resultId === r.id)
          .map((row) => ({ indicator: toIndicator(row), totalPoints: seriesOf.get(row.id) ?? [] })),
      })),
    partners: partners.filter((p) => p.initiativeId === initiative.id).map(({ id, name }) => ({ id, name })),
    actions: actions.filter((a) => a.initiativeId === initiative.id).map(toStoredAction),
    reported,
  }));
}
