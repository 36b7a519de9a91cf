/**
 * Stored baseline fits (table baseline_fits): one read for any number of indicators and one upsert for any
 * number of slices, so a scorecard's SQL count does not grow with its indicators.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';

export interface StoredFit {
  fitKey: string;
  model: unknown;
}

export interface FitToStore extends StoredFit {
  initiativeId: string;
  indicatorId: string;
  sliceKey: string;
}

/** indicatorId → sliceKey → the stored fit (one query; none when there are no indicators). */
export async function storedFitsOf(
  db: Kysely<Database>,
  indicatorIds: readonly string[],
): Promise<Map<string, Map<string, StoredFit>>> {
  const out = new Map<string, Map<string, StoredFit>>();
  if (indicatorIds.length === 0) return out;
  const rows = await db
    .selectFrom('baselineFits')
    .select(['indicatorId', 'sliceKey', 'fitKey', 'model'])
    .where('indicatorId', 'in', [...indicatorIds])
    .execute();
  for (const row of rows) {
    let bySlice = out.get(row.indicatorId);
    if (!bySlice) out.set(row.indicatorId, (bySlice = new Map<string, StoredFit>()));
    bySlice.set(row.sliceKey, { fitKey: row.fitKey, model: row.model });
  }
  return out;
}

/**
 * Inserts or replaces fits (one statement). An indicator deleted meanwhile is skipped (its fits would go with
 * it anyway), so a read that refitted never fails on a concurrent delete.
 */
export async function saveFits(db: Kysely<Database>, fits: readonly FitToStore[]): Promise<void> {
  if (fits.length === 0) return;
  const values = fits.map(
    (f) =>
      sql`(${f.initiativeId}::uuid, ${f.indicatorId}::uuid, ${f.sliceKey}, ${f.fitKey}, ${JSON.stringify(f.model)}::jsonb)`,
  );
  await sql`
    insert into baseline_fits (initiative_id, indicator_id, slice_key, fit_key, model)
    select v.initiative_id, v.indicator_id, v.slice_key, v.fit_key, v.model
    from (values ${sql.join(values)}) as v (initiative_id, indicator_id, slice_key, fit_key, model)
    join indicators i on i.initiative_id = v.initiative_id and i.id = v.indicator_id
    on conflict (indicator_id, slice_key)
      do update set fit_key = excluded.fit_key, model = excluded.model, fitted_at = now()
  `.execute(db);
}
