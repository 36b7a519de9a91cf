/**
 * Resolves the object a request touches to its access anchor (initiative, effective visibility, owning
 * partner) in one query, for the access policy (server/auth/policy.ts).
 *
 * An initiative (and its partners) counts as public when at least one of its results is public: that is
 * what its public dashboards show.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { Anchor } from '../auth/policy.ts';
import { actionIsPublic } from './actions.ts';

export type AnchorKind = 'initiative' | 'partner' | 'result' | 'outcome' | 'indicator' | 'dataPoint' | 'action';

const initiativeIsPublic = (initiativeColumn: string) =>
  sql<boolean>`exists (select 1 from results pr where pr.initiative_id = ${sql.ref(initiativeColumn)} and pr.visibility = 'public')`;

const toVisibility = (isPublic: boolean | string): Anchor['visibility'] =>
  isPublic === true || isPublic === 'public' ? 'public' : 'private';

export async function resolveAnchor(db: Kysely<Database>, kind: AnchorKind, id: string): Promise<Anchor | null> {
  switch (kind) {
    case 'initiative': {
      const row = await db
        .selectFrom('initiatives')
        .select(['id', initiativeIsPublic('initiatives.id').as('isPublic')])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { initiativeId: row.id, visibility: toVisibility(row.isPublic), ownerPartnerId: null } : null;
    }
    case 'partner': {
      const row = await db
        .selectFrom('partners')
        .select(['initiativeId', initiativeIsPublic('partners.initiative_id').as('isPublic')])
        .where('id', '=', id)
        .executeTakeFirst();
      return row
        ? { initiativeId: row.initiativeId, visibility: toVisibility(row.isPublic), ownerPartnerId: null }
        : null;
    }
    case 'result': {
      const row = await db
        .selectFrom('results')
        .select(['initiativeId', 'visibility'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row
        ? { initiativeId: row.initiativeId, visibility: toVisibility(row.visibility), ownerPartnerId: null }
        : null;
    }
    case 'outcome': {
      const row = await db
        .selectFrom('outcomes')
        .innerJoin('results', 'results.id', 'outcomes.resultId')
        .select(['outcomes.initiativeId', 'results.visibility'])
        .where('outcomes.id', '=', id)
        .executeTakeFirst();
      return row
        ? { initiativeId: row.initiativeId, visibility: toVisibility(row.visibility), ownerPartnerId: null }
        : null;
    }
    case 'indicator':
    case 'dataPoint': {
      let query = db
        .selectFrom('indicators')
        .innerJoin('results', 'results.id', 'indicators.resultId')
        .select([
          'indicators.initiativeId',
          'indicators.ownerPartnerId',
          sql<string>`coalesce(indicators.visibility, results.visibility)`.as('visibility'),
        ]);
      query =
        kind === 'indicator'
          ? query.where('indicators.id', '=', id)
          : query.where('indicators.id', '=', (eb) =>
              eb.selectFrom('dataPoints').select('dataPoints.indicatorId').where('dataPoints.id', '=', id).limit(1),
            );
      const row = await query.executeTakeFirst();
      return row
        ? {
            initiativeId: row.initiativeId,
            visibility: toVisibility(row.visibility),
            ownerPartnerId: row.ownerPartnerId,
          }
        : null;
    }
    case 'action': {
      // Public only when not marked private, in a public initiative, and linked to public indicators only
      // (repositories/actions.ts); its owner partner's contributors may post updates (write_data).
      const row = await db
        .selectFrom('actions')
        .select(['initiativeId', 'ownerPartnerId', actionIsPublic.as('isPublic')])
        .where('id', '=', id)
        .executeTakeFirst();
      return row
        ? { initiativeId: row.initiativeId, visibility: toVisibility(row.isPublic), ownerPartnerId: row.ownerPartnerId }
        : null;
    }
  }
}
