/**
 * How a read sees data points: what members see (the current versions, or those valid at `asOf`), or what the
 * public sees where publication is required (docs/publication.md).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../schema/database.ts';
import { validAt } from './versions.ts';

/** How a read sees data points: as they stand (or stood at `asOf`), or only as published. */
export interface PointView {
  asOf?: Date | undefined;
  /** Only published periods, each point as it stood when its period was published (the public's view). */
  publishedOnly: boolean;
}

/**
 * Restricts a read of `data_points` to what the view sees. Members (and everyone where publication is not
 * required): the current versions, or those valid at `asOf`. The public where it is required: the points of
 * periods published (at `asOf`, or now), each as it stood at the moment its period was published.
 *
 * @example whereVisible(db.selectFrom('dataPoints').selectAll(), { publishedOnly: true })
 * // … where exists (select from period_publications p where p.indicator_id = data_points.indicator_id
 * //   and p.period_index = data_points.period_index and p.valid_to is null and p.published_at is not null
 * //   and data_points.valid_from <= p.published_at and (data_points.valid_to is null or data_points.valid_to > p.published_at))
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table list that includes data_points
export function whereVisible<QB extends SelectQueryBuilder<Database, any, object>>(query: QB, view: PointView): QB {
  if (!view.publishedOnly) return validAt(query, 'dataPoints', view.asOf);
  const publicationThen =
    view.asOf === undefined
      ? sql`p.valid_to is null`
      : sql`p.valid_from <= ${view.asOf} and (p.valid_to is null or p.valid_to > ${view.asOf})`;
  return query.where(
    sql<boolean>`exists (
      select 1 from period_publications p
      where p.indicator_id = data_points.indicator_id and p.period_index = data_points.period_index
        and ${publicationThen} and p.published_at is not null
        and data_points.valid_from <= p.published_at
        and (data_points.valid_to is null or data_points.valid_to > p.published_at))`,
  ) as QB;
}
